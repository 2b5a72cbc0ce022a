package kefu.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kefu.kb.SentenceEncoder;
import kefu.kb.eval.BenchmarkSet;
import kefu.kb.eval.Evaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kefu kb-eval}: measures kefu and three stock baselines on a FAQ-matching set, one line per system. */
@Command(name = "kb-eval", mixinStandardHelpOptions = true,
    description = "Measure FAQ matching: kefu against cjk-bm25, smartcn-bm25 and bge-dense, in one run.")
public final class KbEvalCommand implements Callable<Integer> {
  @Option(names = "--faq", required = true, paramLabel = "FILE", description = "FAQ: id<TAB>question per line")
  Path faq;

  @Option(names = "--queries", required = true, paramLabel = "FILE", description = "queries: query<TAB>expected id per line")
  Path queries;

  @Override
  public Integer call() throws Exception {
    BenchmarkSet set = BenchmarkSet.read(faq, queries);
    ExecutorService workers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try (SentenceEncoder encoder = new SentenceEncoder()) {
      Evaluation.run(set, encoder, workers, metrics -> System.out.println(metrics.line()));
    } finally {
      workers.shutdownNow();
    }
    return 0;
  }
}
