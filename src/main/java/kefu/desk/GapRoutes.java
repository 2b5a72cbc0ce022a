package kefu.desk;

import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import kefu.gaps.BotFigures;
import kefu.gaps.BotQuestions;
import kefu.gaps.ConsoleEdits;
import kefu.gaps.Gap;
import kefu.gaps.GapKind;
import kefu.gaps.GapRepository;
import kefu.gaps.KbEdits;
import kefu.kb.Entry;
import kefu.kb.FaqEngine;
import kefu.kb.KbEdit;
import kefu.kb.QuestionClusters;
import kefu.kb.analysis.TextNormalizer;
import kefu.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisors' page of the questions the knowledge base lacks ({@code /desk/kb/gaps}): the recorded questions
 * grouped by meaning, each group or question to add as a similar question of an entry, to make a new entry of, or to
 * dismiss; and the bot's figures of the last days.
 */
final class GapRoutes {
  private static final Logger log = LoggerFactory.getLogger(GapRoutes.class);
  /** How far back the page looks: questions older than this and still open are no longer news. */
  private static final Duration LOOK_BACK = Duration.ofDays(90);
  /** The most questions grouped on one page; the newest are kept. */
  private static final int MOST = 2000;
  /** The days of figures shown, today first. */
  private static final int DAYS = 7;
  /** A group's questions offered one by one, the newest: each comes with its forms. */
  private static final int ONE_BY_ONE = 50;
  /** Wordings shown of a group. */
  private static final int WORDINGS = 5;
  /** The limits of kb-import: a question, an answer, a topic. */
  private static final int MAX_QUESTION = 200;
  private static final int MAX_ANSWER = 4000;
  private static final int MAX_TOPIC = 50;
  /** The most wordings added at once: a group's shown ones, and some of the agent's own. */
  private static final int MAX_LINES = 20;
  private static final Pattern IDS = Pattern.compile("\\d{1,18}(,\\d{1,18}){0,1999}");

  private final Database database;
  private final DeskPages pages;
  private final FaqEngine faq;
  private final QuestionClusters clusters;
  private final ConsoleEdits consoleEdits;
  private final BotFigures figures;
  private final LocalTimes times;
  private final Clock clock;
  private final WorkerExecutor encoding;
  private final GapRepository gaps = new GapRepository();
  private final KbEdits edits = new KbEdits();

  GapRoutes(Vertx vertx, Database database, DeskPages pages, FaqEngine faq, QuestionClusters clusters,
      ConsoleEdits consoleEdits, BotFigures figures, LocalTimes times, Clock clock) {
    this.database = database;
    this.pages = pages;
    this.faq = faq;
    this.clusters = clusters;
    this.consoleEdits = consoleEdits;
    this.figures = figures;
    this.times = times;
    this.clock = clock;
    // Grouping encodes each new question with the model: one thread, so that a page never takes every worker.
    this.encoding = vertx.createSharedWorkerExecutor("kefu-kb-gaps", 1);
  }

  /** Adds the routes; the console's session and CSRF checks must come first. */
  void routes(Router router) {
    router.route("/desk/kb/gaps*").handler(GapRoutes::supervisorsOnly);
    router.get("/desk/kb/gaps").handler(ctx -> page(ctx, 200, Optional.empty()));
    router.post("/desk/kb/gaps/similar").handler(this::similar);
    router.post("/desk/kb/gaps/entry").handler(this::entry);
    router.post("/desk/kb/gaps/dismiss").handler(this::dismiss);
  }

  /** Supervisors and admins keep the knowledge base; to agents the page does not exist. */
  private static void supervisorsOnly(RoutingContext ctx) {
    if (DeskConsole.session(ctx).agent().role() == Agent.Role.AGENT) {
      ctx.fail(404);
      return;
    }
    ctx.next();
  }

  /** A group of questions as the page shows it: newest first within, the nearest entry the surest one met. */
  public record Cluster(String key, int count, String firstSeen, String lastSeen, Instant last, List<String> wordings,
      String wordingLines, String ids, String entryId, String entryQuestion, int confidence, List<KindCount> kinds, List<Question> questions) {}

  /** One recorded question; {@code confidence} in per cent, -1 where unknown. */
  public record Question(long id, String text, String kind, String seen, String entryId, String entryQuestion, int confidence) {}

  /** How many of a group's questions a signal recorded. */
  public record KindCount(String kind, int count) {}

  /** An entry to pick from. */
  public record EntryChoice(String id, String question, String topic) {}

  private void page(RoutingContext ctx, int status, Optional<String> problem) {
    String order = "newest".equals(ctx.request().getParam("order")) ? "newest" : "largest";
    Instant now = clock.instant();
    database.transaction(c -> new Stored(gaps.open(c, now.minus(LOOK_BACK), MOST), figures.lastDays(c, DAYS)))
        .compose(stored -> encoding.executeBlocking(() -> group(stored.open(), order), false).map(grouped -> {
          Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
          model.put("clusters", grouped);
          model.put("open", stored.open().size());
          model.put("days", stored.days());
          model.put("order", order);
          model.put("problem", problem.orElse(""));
          model.put("done", Optional.ofNullable(ctx.request().getParam("done")).filter(d -> d.matches("[a-z]{1,16}")).orElse(""));
          model.put("maxQuestion", MAX_QUESTION);
          model.put("maxAnswer", MAX_ANSWER);
          model.put("maxTopic", MAX_TOPIC);
          Optional<FaqEngine.Snapshot> snapshot = faq.snapshot();
          List<EntryChoice> entries = snapshot.map(s -> s.entries().values().stream()
              .sorted(Comparator.comparing(Entry::topic).thenComparing(Entry::id))
              .map(e -> new EntryChoice(e.id(), e.question(), e.topic())).toList()).orElse(List.of());
          model.put("entries", entries);
          model.put("topics", entries.stream().map(EntryChoice::topic).distinct().toList());
          model.put("kbEntries", snapshot.map(s -> s.index().entryCount()).orElse(0));
          model.put("kbQuestions", snapshot.map(s -> s.index().questionCount()).orElse(0));
          model.put("kbBuilt", snapshot.map(s -> times.dayTime(s.builtAt())).orElse(""));
          return model;
        })).onSuccess(model -> pages.send(ctx, status, "desk/gaps", model)).onFailure(ctx::fail);
  }

  private record Stored(List<Gap> open, List<BotQuestions.Day> days) {}

  /** Groups the questions (given newest first) by meaning and orders the groups. Blocks: encodes. */
  private List<Cluster> group(List<Gap> open, String order) {
    List<List<Integer>> groups = clusters.group(open.stream().map(Gap::question).toList());
    List<Cluster> shown = new ArrayList<>(groups.size());
    for (List<Integer> group : groups) {
      shown.add(cluster(group.stream().map(open::get).toList()));
    }
    Comparator<Cluster> newest = Comparator.comparing(Cluster::last).reversed();
    shown.sort("newest".equals(order) ? newest : Comparator.comparingInt(Cluster::count).reversed().thenComparing(newest));
    return shown;
  }

  private Cluster cluster(List<Gap> members) {
    Map<String, List<String>> wordings = new LinkedHashMap<>();
    members.forEach(g -> wordings.computeIfAbsent(TextNormalizer.normalize(g.question()), k -> new ArrayList<>()).add(g.question()));
    List<String> often = wordings.values().stream().sorted(Comparator.comparingInt(List<String>::size).reversed())
        .limit(WORDINGS).map(GapRoutes::mostCommon).toList();
    Optional<Gap> nearest = members.stream().filter(g -> g.entryId().isPresent())
        .max(Comparator.comparingDouble(g -> g.confidence().orElse(-1.0)));
    Map<GapKind, Long> kinds = members.stream().collect(Collectors.groupingBy(Gap::kind, LinkedHashMap::new, Collectors.counting()));
    Instant first = members.stream().map(Gap::seenAt).min(Comparator.naturalOrder()).orElseThrow();
    Instant last = members.stream().map(Gap::seenAt).max(Comparator.naturalOrder()).orElseThrow();
    return new Cluster(Long.toString(members.get(0).id()), members.size(), times.dayTime(first), times.dayTime(last), last, often,
        String.join("\n", often),
        members.stream().map(g -> Long.toString(g.id())).collect(Collectors.joining(",")),
        nearest.flatMap(Gap::entryId).orElse(""), nearest.flatMap(Gap::entryId).flatMap(faq::entry).map(Entry::question).orElse(""),
        nearest.flatMap(Gap::confidence).map(GapRoutes::percent).orElse(-1),
        kinds.entrySet().stream().map(k -> new KindCount(DeskPages.key(k.getKey()), k.getValue().intValue())).toList(),
        members.stream().limit(ONE_BY_ONE).map(this::question).toList());
  }

  /** Of the ways one wording was written (punctuation, Traditional), the one written most, the newest of equals. */
  private static String mostCommon(List<String> written) {
    Map<String, Long> counts = written.stream().collect(Collectors.groupingBy(w -> w, LinkedHashMap::new, Collectors.counting()));
    return counts.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
        .thenComparing(e -> -written.indexOf(e.getKey()))).orElseThrow().getKey();
  }

  private Question question(Gap gap) {
    return new Question(gap.id(), gap.question(), DeskPages.key(gap.kind()), times.dayTime(gap.seenAt()), gap.entryId().orElse(""),
        gap.entryId().flatMap(faq::entry).map(Entry::question).orElse(""), gap.confidence().map(GapRoutes::percent).orElse(-1));
  }

  private static int percent(double confidence) {
    return (int) Math.round(confidence * 100);
  }

  /** Adds wordings, one a line, as similar questions of an entry; the group's questions are settled. */
  private void similar(RoutingContext ctx) {
    Form form = new Form(ctx);
    List<Long> ids = ids(form);
    String entryId = form.text("entry", 1, 64);
    List<String> questions = Arrays.stream(form.text("question", 1, (MAX_QUESTION + 1) * MAX_LINES).split("\\R"))
        .map(String::strip).filter(q -> !q.isEmpty()).distinct().toList();
    if (questions.isEmpty() || questions.size() > MAX_LINES || questions.stream().anyMatch(q -> q.length() > MAX_QUESTION)) {
      throw new HttpException(400);
    }
    if (faq.entry(entryId).isEmpty()) {
      page(ctx, 400, Optional.of("entry"));
      return;
    }
    edit(ctx, questions, ids, GapRepository.Status.ADDED, (c, question, agentId) -> edits.addSimilar(c, entryId, question, agentId, clock.instant()));
  }

  /** Makes a new entry of a question; the group's questions are settled. */
  private void entry(RoutingContext ctx) {
    Form form = new Form(ctx);
    List<Long> ids = ids(form);
    String topic = form.text("topic", 1, MAX_TOPIC);
    String question = form.text("question", 1, MAX_QUESTION);
    String answer = form.text("answer", 1, MAX_ANSWER);
    edit(ctx, List.of(question), ids, GapRepository.Status.CREATED,
        (c, asked, agentId) -> edits.addEntry(c, topic, asked, answer, agentId, clock.instant()));
  }

  /** How an edit is stored. */
  @FunctionalInterface
  private interface Making {
    KbEdit make(Connection c, String question, long agentId) throws SQLException;
  }

  /**
   * Stores an edit for each question the knowledge base does not ask already (409 if it asks them all), settles the
   * recorded questions, and has every node rebuild.
   */
  private void edit(RoutingContext ctx, List<String> questions, List<Long> ids, GapRepository.Status status, Making making) {
    Optional<FaqEngine.Snapshot> serving = faq.snapshot();
    List<String> fresh = questions.stream().filter(q -> serving.filter(s -> KbEdit.asks(s.knowledgeBase(), q)).isEmpty()).toList();
    if (fresh.isEmpty()) {
      page(ctx, 409, Optional.of("known"));
      return;
    }
    long agentId = DeskConsole.session(ctx).agent().id();
    database.transaction(c -> {
      KbEdit made = null;
      for (String question : fresh) {
        made = making.make(c, question, agentId);
      }
      gaps.settle(c, ids, status, agentId, clock.instant());
      return made;
    }).compose(made -> encoding.executeBlocking(() -> {
      consoleEdits.made(made);
      return made;
    }, false)).onSuccess(made -> {
      log.info("Desk: Agent#{} edited the knowledge base in the console ({} {} edit(s) of entry {}, the last {})", agentId,
          fresh.size(), DeskPages.key(made.kind()), made.targetId(), made.id());
      DeskPages.redirect(ctx, "/desk/kb/gaps?done=" + DeskPages.key(status));
    }).onFailure(ctx::fail);
  }

  private void dismiss(RoutingContext ctx) {
    List<Long> ids = ids(new Form(ctx));
    long agentId = DeskConsole.session(ctx).agent().id();
    database.transaction(c -> gaps.settle(c, ids, GapRepository.Status.DISMISSED, agentId, clock.instant()))
        .onSuccess(settled -> DeskPages.redirect(ctx, "/desk/kb/gaps?done=dismissed")).onFailure(ctx::fail);
  }

  /** The recorded questions a form acts on, comma-separated; 400 unless there is one or more. */
  private static List<Long> ids(Form form) {
    String ids = form.text("ids", 1, 40_000);
    if (!IDS.matcher(ids).matches()) {
      throw new HttpException(400);
    }
    return Arrays.stream(ids.split(",")).map(Long::parseLong).toList();
  }

  void close() {
    encoding.close();
  }
}
