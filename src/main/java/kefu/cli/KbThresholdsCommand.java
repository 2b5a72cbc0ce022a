package kefu.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import kefu.config.ConfigException;
import kefu.config.ConfigLoader;
import kefu.config.KefuConfig;
import kefu.kb.Candidate;
import kefu.kb.KnowledgeBase;
import kefu.kb.KnowledgeBaseException;
import kefu.kb.KnowledgeBaseLoader;
import kefu.kb.Match;
import kefu.kb.Outcome;
import kefu.kb.Problem;
import kefu.kb.Reranker;
import kefu.kb.SentenceEncoder;
import kefu.kb.VectorCache;
import kefu.kb.eval.BenchmarkSet;
import kefu.kb.eval.EachQuery;
import kefu.kb.eval.HeldOutFolds;
import kefu.kb.eval.ThresholdReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code kefu kb-thresholds [DIR]}: how often the bot would answer a knowledge base's own questions, and be right,
 * at each answer threshold, so that a business sets {@code kb.answer-threshold} knowing what it trades. The
 * shipped threshold is chosen on public sets, which are not this business's questions.
 */
@Command(
    name = "kb-thresholds",
    mixinStandardHelpOptions = true,
    description = {
        "Show how often the bot would answer a knowledge base's own questions, and rightly, at each answer threshold.",
        "In scope: each similar question asked of the rest of the knowledge base. Out of scope: each entry's questions"
            + " asked without that entry.",
        "Exit 0, 1 if the knowledge base has problems, 2 if the configuration is wrong."})
public final class KbThresholdsCommand implements Callable<Integer> {
  private static final int FOLDS = 5;
  private static final double RIGHT_SHARE = 0.90;
  private static final int MISTAKES_SHOWN = 10;

  @Parameters(arity = "0..1", paramLabel = "DIR", description = "the knowledge base (default: kb.dir of the configuration)")
  Path dir;

  @Option(names = "--cache", paramLabel = "FILE",
      description = "vector cache to keep between runs; default: a fresh one, removed afterwards")
  Path cache;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    KefuConfig config;
    try {
      config = ConfigLoader.load(Optional.empty(), System.getenv());
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("kefu: configuration error: " + e.getMessage());
      return KbCheckCommand.BAD_CONFIG;
    }
    Path kbDir = dir != null ? dir : config.paths().kbDir();
    PrintWriter out = spec.commandLine().getOut();
    KnowledgeBase kb;
    try {
      kb = KnowledgeBaseLoader.load(kbDir);
    } catch (KnowledgeBaseException e) {
      for (Problem problem : e.problems()) {
        out.println(problem);
      }
      out.println(Counts.of(e.problems().size(), "problem", "problems") + "; fix them first (kb-check)");
      return KbCheckCommand.PROBLEMS;
    }
    if (kb.entries().size() < 2 || kb.entries().stream().allMatch(e -> e.similar().isEmpty())) {
      out.println(kbDir + ": kb-thresholds needs at least two entries and some similar questions (相似问法) to hold out");
      return KbCheckCommand.PROBLEMS;
    }
    boolean vectors = config.kb().vectors();
    Reranker shipped = Reranker.shipped(vectors);
    double configured = config.kb().answerThreshold().orElse(shipped.answer());
    Reranker model = shipped.withThresholds(configured, shipped.suggest());
    ThresholdReport report = measure(kb, vectors, model);
    print(out, kbDir, kb, vectors, configured, report);
    return 0;
  }

  private ThresholdReport measure(KnowledgeBase kb, boolean vectors, Reranker model) throws Exception {
    Path cacheFile = cache != null ? cache : Files.createTempFile("kefu-kb-thresholds", ".bin");
    ExecutorService workers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try (SentenceEncoder encoder = vectors ? new SentenceEncoder() : null;
        VectorCache vectorCache = vectors ? new VectorCache(cacheFile, SentenceEncoder.DIMENSION) : null) {
      List<ThresholdReport.Result> inScope = new ArrayList<>();
      for (BenchmarkSet fold : HeldOutFolds.inScope(kb, FOLDS)) {
        inScope.addAll(results(fold, kb, encoder, vectorCache, workers, model));
      }
      List<ThresholdReport.Result> outOfScope = new ArrayList<>();
      for (BenchmarkSet fold : HeldOutFolds.outOfScope(kb, FOLDS)) {
        outOfScope.addAll(results(fold, kb, encoder, vectorCache, workers, model));
      }
      return new ThresholdReport(inScope, outOfScope);
    } finally {
      workers.shutdownNow();
      if (cache == null) {
        Files.deleteIfExists(cacheFile);
      }
    }
  }

  private List<ThresholdReport.Result> results(BenchmarkSet fold, KnowledgeBase kb, SentenceEncoder encoder,
      VectorCache vectorCache, ExecutorService workers, Reranker model) throws Exception {
    spec.commandLine().getErr().println("kb-thresholds: " + fold.name() + ", " + Counts.of(fold.queries().size(), "question", "questions"));
    return EachQuery.ask(fold, kb.synonymGroups(), encoder, vectorCache, workers, model,
        (matcher, q) -> result(q, matcher.match(q.text()), model));
  }

  private static ThresholdReport.Result result(BenchmarkSet.Query asked, Match match, Reranker model) {
    Optional<Candidate> best = match.best();
    double sureness = best.map(Candidate::confidence).orElse(0.0);
    if (match.outcome() == Outcome.ANSWER && sureness < model.answer()) {
      sureness = 1; // the exact-question rule answers whatever the threshold
    }
    return new ThresholdReport.Result(asked.text(), asked.expectedId(), best.map(Candidate::entryId).orElse(null), sureness);
  }

  private static void print(PrintWriter out, Path kbDir, KnowledgeBase kb, boolean vectors, double configured,
      ThresholdReport report) {
    out.println(kbDir + ": " + Counts.of(kb.entries().size(), "entry", "entries") + ", sentence vectors " + (vectors ? "on" : "off"));
    out.println("in scope: " + Counts.of(report.inScopeCount(), "similar question", "similar questions")
        + ", each asked of the rest of the knowledge base");
    out.println("out of scope: " + Counts.of(report.outOfScopeCount(), "question", "questions")
        + ", each asked with its own entry left out");
    out.println();
    out.println("answer     in scope           out of scope  all answers");
    out.println("threshold  answered    right  answered      right*");
    OptionalDouble lowest = report.lowestWhereRight(RIGHT_SHARE);
    TreeSet<Double> thresholds = new TreeSet<>(Comparator.reverseOrder());
    for (int t = 95; t >= 40; t -= 5) {
      thresholds.add(t / 100.0);
    }
    thresholds.add(configured);
    lowest.ifPresent(thresholds::add);
    for (double threshold : thresholds) {
      ThresholdReport.Row row = report.at(threshold);
      String mark = threshold == configured ? "  <- configured (kb.answer-threshold)"
          : lowest.isPresent() && threshold == lowest.getAsDouble() ? "  <- lowest with " + percent(RIGHT_SHARE) + " right" : "";
      out.println(String.format(Locale.ROOT, "%-9.3f  %8s  %7s  %8s     %7s%s", threshold, percent(row.inScopeAnswered()),
          percent(row.inScopeRight()), percent(row.outOfScopeAnswered()), percent(row.rightOfAll()), mark));
    }
    out.println("* if as many questions come from outside the knowledge base as from inside it");
    out.println();
    out.println(lowest.isPresent()
        ? String.format(Locale.ROOT, "Lowest answer threshold with %s of all answers right: %.3f", percent(RIGHT_SHARE), lowest.getAsDouble())
        : "No answer threshold gets " + percent(RIGHT_SHARE) + " of all answers right: the bot should suggest rather than answer.");
    List<ThresholdReport.Result> mistakes = report.surestMistakes(MISTAKES_SHOWN);
    if (!mistakes.isEmpty()) {
      out.println();
      out.println("The surest wrong answers to the knowledge base's own questions: entries too close to each other, or");
      out.println("too thin (give them more similar questions, or merge them):");
      for (ThresholdReport.Result r : mistakes) {
        out.println(String.format(Locale.ROOT, "  %.3f  %s  (%s) got %s", r.sureness(), r.question(), r.expectedId(), r.bestId()));
      }
    }
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * share);
  }
}
