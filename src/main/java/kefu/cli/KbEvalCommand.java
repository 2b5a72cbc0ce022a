package kefu.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kefu.kb.SentenceEncoder;
import kefu.kb.eval.BenchmarkSet;
import kefu.kb.eval.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kefu kb-eval}: measures kefu and three stock baselines on a FAQ-matching set, one line per system. */
@Command(name = "kb-eval", mixinStandardHelpOptions = true,
    description = "Measure FAQ matching: kefu against cjk-bm25, smartcn-bm25 and bge-dense, in one run.")
public final class KbEvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--faq", required = true, paramLabel = "FILE", description = "FAQ: id<TAB>question per line")
  Path faq;

  @Option(names = "--queries", required = true, paramLabel = "FILE", description = "queries: query<TAB>expected id per line")
  Path queries;

  @Option(names = "--systems", split = ",", paramLabel = "NAME",
      description = "which systems to measure, comma-separated (default: all: kefu, kefu-words, cjk-bm25, smartcn-bm25, bge-dense)")
  List<String> systems = Evaluation.SYSTEMS;

  @Option(names = "--cache", paramLabel = "FILE",
      description = "kefu's vector cache, kept between runs; default: a fresh one, so build_s includes encoding")
  Path cache;

  @Override
  public Integer call() throws Exception {
    for (String system : systems) {
      if (!Evaluation.SYSTEMS.contains(system)) {
        throw new ParameterException(spec.commandLine(), "unknown system " + system + "; known: " + Evaluation.SYSTEMS);
      }
    }
    BenchmarkSet set = BenchmarkSet.read(faq, queries);
    ExecutorService workers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try (SentenceEncoder encoder = new SentenceEncoder()) {
      Evaluation.run(set, encoder, workers, Set.copyOf(systems), Optional.ofNullable(cache),
          metrics -> System.out.println(metrics.line()));
    } finally {
      workers.shutdownNow();
    }
    return 0;
  }
}
