package kefu.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kefu.App;
import kefu.kb.KnowledgeBase;
import kefu.kb.KnowledgeBaseLoader;
import kefu.kb.AnswerRule;
import kefu.kb.MatchModel;
import kefu.kb.Reranker;
import kefu.kb.SecondStage;
import kefu.kb.RerankerTrainer;
import kefu.kb.SentenceEncoder;
import kefu.kb.VectorCache;
import kefu.kb.eval.BenchmarkSet;
import kefu.kb.eval.EachQuery;
import kefu.kb.eval.HeldOutFolds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kefu kb-train}: fits the reranker's weights and thresholds on FAQ-matching dev sets and writes the
 * two models kefu ships (with vectors, and words only). The same sets give the same models.
 */
@Command(name = "kb-train", mixinStandardHelpOptions = true,
    description = "Fit the reranker on dev sets (pairs of --faq and --queries) and write its models.")
public final class KbTrainCommand implements Callable<Integer> {
  private static final int FOLDS = 5;

  @Spec CommandSpec spec;

  @Option(names = "--faq", required = true, paramLabel = "FILE", description = "a set's FAQ; give one per --queries")
  List<Path> faqs;

  @Option(names = "--queries", required = true, paramLabel = "FILE", description = "a set's dev queries")
  List<Path> queries;

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "src/main/resources/kefu/kb",
      description = "where the models go (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--cache", paramLabel = "FILE", defaultValue = "data/kb-train-vectors.bin",
      description = "vector cache for the FAQ questions (default: ${DEFAULT-VALUE})")
  Path cache;

  @Option(names = "--kb", paramLabel = "DIR",
      description = "also learn from a knowledge base: its similar questions, held out in turn, as queries")
  Path kb;

  @Option(names = "--dump", paramLabel = "FILE",
      description = "also write every candidate's features as TSV (set, query, label, features), for analysis")
  Path dump;

  @Option(names = "--precision", defaultValue = "0.90", description = "answered precision the answer threshold must reach on every set")
  double precision;

  @Override
  public Integer call() throws Exception {
    if (faqs.size() != queries.size()) {
      throw new ParameterException(spec.commandLine(), "give one --queries for each --faq");
    }
    List<BenchmarkSet> sets = new ArrayList<>();
    for (int i = 0; i < faqs.size(); i++) {
      sets.add(BenchmarkSet.read(faqs.get(i), queries.get(i)));
    }
    KnowledgeBase knowledgeBase = kb == null ? null : KnowledgeBaseLoader.load(kb);
    ExecutorService workers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try (SentenceEncoder encoder = new SentenceEncoder();
        VectorCache vectors = new VectorCache(cache, SentenceEncoder.DIMENSION)) {
      for (boolean withVectors : new boolean[] {true, false}) {
        List<List<RerankerTrainer.Example>> examples = new ArrayList<>();
        for (BenchmarkSet set : sets) {
          examples.add(examples(set, List.of(), withVectors ? encoder : null, vectors, workers));
        }
        if (knowledgeBase != null) {
          examples.add(heldOut(knowledgeBase, withVectors ? encoder : null, vectors, workers));
        }
        if (dump != null && withVectors) {
          RerankerTrainer.dump(examples, dump);
        }
        Reranker model = RerankerTrainer.fit(examples, precision, 0.5);
        String file = withVectors ? "reranker-vectors.properties" : "reranker-words.properties";
        model.write(out.resolve(file), "kefu reranker " + (withVectors ? "with sentence vectors" : "words only")
            + ", fitted by kb-train on " + LocalDate.now(App.clock(ZoneOffset.UTC)) + " from " + faqs + " and " + queries
            + (kb == null ? "" : " and the held-out questions of " + kb));
        System.out.printf("%s: answer threshold %.4f, suggest threshold %.4f%n", file, model.answer(), model.suggest());
        for (int i = 0; i < examples.size(); i++) {
          String name = i < sets.size() ? sets.get(i).name() : "knowledge-base";
          System.out.println("  " + name + ": " + RerankerTrainer.summary(model, examples.get(i)));
        }
      }
    } finally {
      workers.shutdownNow();
    }
    return 0;
  }

  private static List<RerankerTrainer.Example> examples(BenchmarkSet set, List<List<String>> synonyms,
      SentenceEncoder encoder, VectorCache cache, ExecutorService workers) throws Exception {
    // The model does not take part in finding candidates, so any model will do here.
    return EachQuery.ask(set, synonyms, encoder, cache, workers, new MatchModel(Reranker.untrained(), SecondStage.none(), AnswerRule.shipped(encoder != null)),
        (matcher, q) -> RerankerTrainer.example(matcher, q.text(), q.expectedId()));
  }

  /** Examples from a knowledge base: its similar questions, each fold asked of an index of everything else. */
  private static List<RerankerTrainer.Example> heldOut(KnowledgeBase kb, SentenceEncoder encoder, VectorCache cache,
      ExecutorService workers) throws Exception {
    List<RerankerTrainer.Example> examples = new ArrayList<>();
    for (BenchmarkSet fold : HeldOutFolds.inScope(kb, FOLDS)) {
      examples.addAll(examples(fold, kb.synonymGroups(), encoder, cache, workers));
    }
    return examples;
  }
}
