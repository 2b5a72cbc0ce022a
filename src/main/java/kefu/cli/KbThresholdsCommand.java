package kefu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import kefu.config.ConfigException;
import kefu.config.ConfigLoader;
import kefu.config.KefuConfig;
import kefu.kb.AnswerRule;
import kefu.kb.Candidate;
import kefu.kb.Entry;
import kefu.kb.KnowledgeBase;
import kefu.kb.KnowledgeBaseException;
import kefu.kb.KnowledgeBaseLoader;
import kefu.kb.Match;
import kefu.kb.Outcome;
import kefu.kb.Problem;
import kefu.kb.QuestionSet;
import kefu.kb.MatchModel;
import kefu.kb.SecondStage;
import kefu.kb.SentenceEncoder;
import kefu.kb.VectorCache;
import kefu.kb.eval.AnswerCalibration;
import kefu.kb.eval.BenchmarkSet;
import kefu.kb.eval.EachQuery;
import kefu.kb.eval.HeldOutFolds;
import kefu.kb.eval.QuestionFile;
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
  /** How many suggestions the bot offers at most. */
  private static final int CHOICES = 3;
  private static final int EXACT = Candidate.featureNames().indexOf("exact");

  @Parameters(arity = "0..1", paramLabel = "DIR", description = "the knowledge base (default: kb.dir of the configuration)")
  Path dir;

  @Option(names = "--cache", paramLabel = "FILE",
      description = "vector cache to keep between runs; default: a fresh one, removed afterwards")
  Path cache;

  @Option(names = "--questions", paramLabel = "FILE",
      description = "your customers' own questions (tab-separated, header question<TAB>entry, - for none): fit the"
          + " answer rule on them and show its figures on folds it was not fitted on")
  Path questions;

  @Option(names = "--write", paramLabel = "FILE",
      description = "with --questions: write the rule fitted on all of them, as the answer-rule properties file, and the"
          + " second stage fitted with it beside it (stage-vectors.properties or stage-words.properties)")
  Path write;

  @Option(names = "--no-stage",
      description = "with --questions: fit the rule on the reranker's confidence alone, without a second stage")
  boolean noStage;

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
    if (questions != null) {
      return calibrate(out, kbDir, kb, vectors);
    }
    MatchModel shipped = MatchModel.shipped(vectors);
    double configured = config.kb().answerThreshold().orElse(shipped.rule().answer());
    // This table weighs confidence alone: no lead asked of an answer.
    MatchModel model = shipped.configured(OptionalDouble.of(configured), OptionalDouble.of(0), OptionalDouble.empty());
    ThresholdReport report = measure(kb, vectors, model);
    print(out, kbDir, kb, vectors, configured, report);
    return 0;
  }

  /** Fits the answer rule on the business's own questions and prints its held-out figures. */
  private int calibrate(PrintWriter out, Path kbDir, KnowledgeBase kb, boolean vectors) throws Exception {
    List<QuestionFile.Labelled> labelled;
    try {
      labelled = QuestionFile.read(questions, kb.entries().stream().map(Entry::id).collect(Collectors.toSet()));
    } catch (IOException e) {
      out.println(e.getMessage());
      return KbCheckCommand.PROBLEMS;
    }
    // Candidates are found and judged by the reranker alone: the stage's inputs do not depend on the stage, which is
    // fitted below on the folds it is not measured on.
    MatchModel shipped = MatchModel.shipped(vectors);
    MatchModel model = new MatchModel(shipped.reranker(), SecondStage.none(), shipped.rule());
    Map<String, String> parts = new HashMap<>();
    labelled.forEach(l -> parts.put(l.text(), l.part()));
    List<QuestionSet> faq = kb.entries().stream().map(e -> new QuestionSet(e.id(), e.questions(), e.answer())).toList();
    BenchmarkSet asked = new BenchmarkSet(questions.getFileName().toString(), faq,
        labelled.stream().map(l -> new BenchmarkSet.Query(l.text(), l.expectedId())).toList());
    List<AnswerCalibration.Asked> theirs = new ArrayList<>();
    List<AnswerCalibration.Asked> own = new ArrayList<>();
    List<AnswerCalibration.Asked> leftOut = new ArrayList<>();
    withEngine(vectors, (encoder, vectorCache, workers) -> {
      theirs.addAll(ask(asked, kb, encoder, vectorCache, workers, model, true, parts));
      for (BenchmarkSet fold : HeldOutFolds.inScope(kb, FOLDS)) {
        own.addAll(ask(fold, kb, encoder, vectorCache, workers, model, true, Map.of()));
      }
      for (BenchmarkSet fold : HeldOutFolds.outOfScope(kb, FOLDS)) {
        leftOut.addAll(ask(fold, kb, encoder, vectorCache, workers, model, false, Map.of()));
      }
    });
    // The entries' own questions asked with their entry left out are shown, not fitted on: a sibling entry answers
    // nearly all of them with some confidence, which would forbid every answer. Customers' out-of-scope questions
    // (other businesses', near misses) are in their own set.
    AnswerCalibration.HeldOut held = AnswerCalibration.crossValidate(theirs, own, FOLDS, !noStage, CHOICES);
    List<AnswerCalibration.Asked> all = new ArrayList<>(theirs);
    all.addAll(own);
    SecondStage stage = noStage ? SecondStage.none() : AnswerCalibration.fitStage(all);
    AnswerRule rule = AnswerCalibration.fit(AnswerCalibration.rescored(all, stage), CHOICES);
    printCalibration(out, kbDir, kb, held, rule,
        AnswerCalibration.measure(AnswerCalibration.rescored(theirs, stage), rule, CHOICES));
    out.println("  the knowledge base's similar questions, each asked of the rest: "
        + row("", AnswerCalibration.measure(AnswerCalibration.rescored(own, stage), rule, CHOICES)).strip());
    out.println("  its entries' questions with the entry left out: "
        + row("", AnswerCalibration.measure(AnswerCalibration.rescored(leftOut, stage), rule, CHOICES)).strip());
    if (write != null) {
      String about = "kb-thresholds --questions " + questions.getFileName() + ": " + kbDir.getFileName() + ", "
          + Counts.of(theirs.size(), "question", "questions") + " and the knowledge base's own, sentence vectors " + (vectors ? "on" : "off");
      rule.write(write, about);
      Path stageFile = write.toAbsolutePath().resolveSibling(vectors ? "stage-vectors.properties" : "stage-words.properties");
      stage.write(stageFile, about);
      out.println("Written to " + write + " and " + stageFile);
    }
    return 0;
  }

  private List<AnswerCalibration.Asked> ask(BenchmarkSet set, KnowledgeBase kb, SentenceEncoder encoder, VectorCache vectorCache,
      ExecutorService workers, MatchModel model, boolean inScope, Map<String, String> parts) throws Exception {
    spec.commandLine().getErr().println("kb-thresholds: " + set.name() + ", " + Counts.of(set.queries().size(), "question", "questions"));
    return EachQuery.ask(set, kb.synonymGroups(), encoder, vectorCache, workers, model, (matcher, q) -> {
      Match match = matcher.match(q.text());
      List<AnswerCalibration.Offer> offers = match.candidates().stream()
          .map(c -> new AnswerCalibration.Offer(c.entryId(), c.confidence(), c.stageInputs())).toList();
      boolean exact = match.outcome() == Outcome.ANSWER && match.best().map(c -> c.features()[EXACT] == 1).orElse(false);
      return new AnswerCalibration.Asked(q.text(), inScope ? q.expectedId() : null, offers, exact,
          parts.getOrDefault(q.text(), "own"));
    });
  }

  private static void printCalibration(PrintWriter out, Path kbDir, KnowledgeBase kb, AnswerCalibration.HeldOut held,
      AnswerRule rule, AnswerCalibration.Tally fitted) {
    out.println(kbDir + ": " + Counts.of(kb.entries().size(), "entry", "entries"));
    out.println("Held out: each fold's questions measured with the rule fitted on the other folds and the knowledge base's own questions.");
    out.println();
    out.println("part           in scope  first right  answered right  answered wrong  asked about one (right)  right shown of the rest  out of scope  answered");
    held.byPart().forEach((part, t) -> out.println(row(part, t)));
    out.println(row("all", held.tally()));
    out.println();
    out.println("Rules fitted per fold (answer / lead, confirm / lead, suggest within):");
    held.rules().forEach(r -> out.println("  " + describe(r)));
    out.println();
    out.println("Fitted on all of them: " + describe(rule));
    out.println("  on the same questions: " + row("", fitted).strip());
  }

  private static String row(String part, AnswerCalibration.Tally t) {
    int in = Math.max(t.inScope(), 1);
    return String.format(Locale.ROOT, "%-13s  %8d  %11s  %14s  %14s  %23s  %23s  %12d  %8s", part, t.inScope(),
        percent((double) t.firstRight() / in), percent((double) t.answeredRight() / in), percent((double) t.answeredWrong() / in),
        percent((double) (t.confirmedRight() + t.confirmedWrong()) / in) + " (" + t.confirmedRight() + ")",
        percent(t.restShownRight()), t.outOfScope(),
        t.outOfScope() == 0 ? "-" : percent((double) t.outOfScopeAnswered() / t.outOfScope()));
  }

  private static String describe(AnswerRule r) {
    return String.format(Locale.ROOT, "answer %.2f / %.2f, confirm %.2f / %.2f, suggest %.2f within %.2f", r.answer(),
        r.answerLead(), r.confirm(), r.confirmLead(), r.suggest(), r.suggestWithin());
  }

  /** What a calibration runs with: the encoder, the vector cache and worker threads. */
  private interface EngineWork {
    void run(SentenceEncoder encoder, VectorCache vectorCache, ExecutorService workers) throws Exception;
  }

  private void withEngine(boolean vectors, EngineWork work) throws Exception {
    Path cacheFile = cache != null ? cache : Files.createTempFile("kefu-kb-thresholds", ".bin");
    ExecutorService workers = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    try (SentenceEncoder encoder = vectors ? new SentenceEncoder() : null;
        VectorCache vectorCache = vectors ? new VectorCache(cacheFile, SentenceEncoder.DIMENSION) : null) {
      work.run(encoder, vectorCache, workers);
    } finally {
      workers.shutdownNow();
      if (cache == null) {
        Files.deleteIfExists(cacheFile);
      }
    }
  }

  private ThresholdReport measure(KnowledgeBase kb, boolean vectors, MatchModel model) throws Exception {
    List<ThresholdReport.Result> inScope = new ArrayList<>();
    List<ThresholdReport.Result> outOfScope = new ArrayList<>();
    withEngine(vectors, (encoder, vectorCache, workers) -> {
      for (BenchmarkSet fold : HeldOutFolds.inScope(kb, FOLDS)) {
        inScope.addAll(results(fold, kb, encoder, vectorCache, workers, model));
      }
      for (BenchmarkSet fold : HeldOutFolds.outOfScope(kb, FOLDS)) {
        outOfScope.addAll(results(fold, kb, encoder, vectorCache, workers, model));
      }
    });
    return new ThresholdReport(inScope, outOfScope);
  }

  private List<ThresholdReport.Result> results(BenchmarkSet fold, KnowledgeBase kb, SentenceEncoder encoder,
      VectorCache vectorCache, ExecutorService workers, MatchModel model) throws Exception {
    spec.commandLine().getErr().println("kb-thresholds: " + fold.name() + ", " + Counts.of(fold.queries().size(), "question", "questions"));
    return EachQuery.ask(fold, kb.synonymGroups(), encoder, vectorCache, workers, model,
        (matcher, q) -> result(q, matcher.match(q.text()), model));
  }

  private static ThresholdReport.Result result(BenchmarkSet.Query asked, Match match, MatchModel model) {
    Optional<Candidate> best = match.best();
    double sureness = best.map(Candidate::confidence).orElse(0.0);
    if (match.outcome() == Outcome.ANSWER && sureness < model.rule().answer()) {
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
