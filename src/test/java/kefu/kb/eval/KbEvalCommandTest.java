package kefu.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = new CommandLine(new KefuCommand()).execute("kb-eval", "--faq", faq.toString(), "--queries", queries.toString());
    } finally {
      System.setOut(original);
    }

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines().toList())
        .extracting(line -> line.replaceAll(" .*", ""))
        .containsExactly("system=kefu", "system=kefu-words", "system=cjk-bm25", "system=smartcn-bm25", "system=bge-dense");
    assertThat(out.toString(StandardCharsets.UTF_8)).containsPattern(
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

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    int code;
    int unknown;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      code = new CommandLine(new KefuCommand()).execute("kb-eval", "--faq", faq.toString(), "--queries", queries.toString(),
          "--systems", "kefu,cjk-bm25", "--cache", cache.toString());
      unknown = new CommandLine(new KefuCommand()).execute("kb-eval", "--faq", faq.toString(), "--queries", queries.toString(),
          "--systems", "nope");
    } finally {
      System.setOut(original);
    }

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines().map(line -> line.replaceAll(" .*", "")).toList())
        .containsExactly("system=kefu", "system=cjk-bm25");
    assertThat(cache).exists();
    assertThat(unknown).isEqualTo(2);
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
