package kefu.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kefu.cli.KefuCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KbEvalCommandTest {
  @Test
  void printsOneLinePerSystem(@TempDir Path dir) throws Exception {
    Path faq = dir.resolve("faq.tsv");
    Path queries = dir.resolve("queries.tsv");
    Files.writeString(faq, "a\t怎么预约拍摄婚纱照\nb\t打印机保修多久\nc\t尾款什么时候付\n", StandardCharsets.UTF_8);
    Files.writeString(queries, "婚纱照要怎么约\ta\n打印机保修期是几年\tb\n", StandardCharsets.UTF_8);

    Run run = kbEval("--faq", faq.toString(), "--queries", queries.toString());

    assertThat(run.code()).isZero();
    assertThat(run.systems())
        .containsExactly("system=kefu", "system=kefu-words", "system=cjk-bm25", "system=smartcn-bm25", "system=bge-dense");
    assertThat(run.out()).containsPattern(
        "system=kefu entries=3 queries=2 recall@1=\\d\\.\\d{3} recall@3=\\d\\.\\d{3} mrr@10=\\d\\.\\d{3}"
            + " answered_precision=\\d\\.\\d{3} answered_rate=\\d\\.\\d{3} p50_ms=\\d+\\.\\d{2} p99_ms=\\d+\\.\\d{2} build_s=\\d+\\.\\d");
  }

  @Test
  void measuresTheChosenSystemsAndKeepsAGivenCache(@TempDir Path dir) throws Exception {
    Path faq = dir.resolve("faq.tsv");
    Path queries = dir.resolve("queries.tsv");
    Files.writeString(faq, "a\t怎么预约拍摄婚纱照\nb\t打印机保修多久\n", StandardCharsets.UTF_8);
    Files.writeString(queries, "婚纱照要怎么约\ta\n", StandardCharsets.UTF_8);
    Path cache = dir.resolve("vectors.bin");

    Run chosen = kbEval("--faq", faq.toString(), "--queries", queries.toString(),
        "--systems", "kefu,cjk-bm25", "--cache", cache.toString());
    Run unknown = kbEval("--faq", faq.toString(), "--queries", queries.toString(), "--systems", "nope");

    assertThat(chosen.code()).isZero();
    assertThat(chosen.systems()).containsExactly("system=kefu", "system=cjk-bm25");
    assertThat(cache).exists();
    assertThat(unknown.code()).isEqualTo(2);
  }

  /** What one kb-eval run printed on standard output, and its exit code. */
  private record Run(int code, String out) {
    List<String> systems() {
      return out.lines().map(line -> line.replaceAll(" .*", "")).toList();
    }
  }

  private static Run kbEval(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      String[] command = new String[args.length + 1];
      command[0] = "kb-eval";
      System.arraycopy(args, 0, command, 1, args.length);
      return new Run(new CommandLine(new KefuCommand()).execute(command), out.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  @Test
  void aMalformedLineNamesFileAndLine(@TempDir Path dir) throws Exception {
    Path faq = dir.resolve("faq.tsv");
    Path queries = dir.resolve("queries.tsv");
    Files.writeString(faq, "a\t问题\nno tab here\n", StandardCharsets.UTF_8);
    Files.writeString(queries, "问\ta\n", StandardCharsets.UTF_8);

    assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> BenchmarkSet.read(faq, queries)))
        .hasMessage(faq + ":2: expected two tab-separated columns");
  }
}
