package kefu.desk;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import kefu.customer.CustomerRecord;
import kefu.customer.CustomerRecords;
import kefu.journey.CallTasks;
import kefu.journey.Coverage;
import kefu.store.Database;
import kefu.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follow-up calls in the console: 今日回访 ({@code /desk/calls}), each agent's due and overdue call tasks and
 * those nobody owns yet, every agent's for supervisors; a task's page with the customer's file, the step's script and
 * the outcome form; taking a task and a supervisor's reassigning it; and the supervisors' coverage page
 * ({@code /desk/coverage}, 三个必保).
 */
public final class CallRoutes {
  private static final Logger log = LoggerFactory.getLogger(CallRoutes.class);
  /** The notices a redirect after a form may ask the list or a task's page to show. */
  private static final Set<String> NOTICES = Set.of("closed", "retry", "declined", "taken", "assigned", "gone", "reason");
  /** The longest period the coverage page reads at once. */
  private static final int MOST_DAYS = 366;

  private final Database database;
  private final DeskPages pages;
  private final CallTasks tasks;
  private final Coverage coverage;
  private final CustomerRecords records;
  private final CallViews views;
  private final AgentRepository agents = new AgentRepository();
  private final Clock clock;

  public CallRoutes(Vertx vertx, Database database, Pages pages, CallTasks tasks, CustomerRecords records, Clock clock) {
    this.database = database;
    this.pages = new DeskPages(vertx, pages);
    this.tasks = tasks;
    this.coverage = new Coverage(clock.getZone());
    this.records = records;
    this.views = new CallViews(new LocalTimes(clock.getZone()));
    this.clock = clock;
  }

  /** Adds the routes; the console's session and CSRF checks must come first ({@link DeskConsole#routes} before these). */
  public void routes(Router router) {
    router.get("/desk/calls").handler(this::list);
    router.get("/desk/calls/:id").handler(this::show);
    router.post("/desk/calls/:id/outcome").handler(this::outcome);
    router.post("/desk/calls/:id/take").handler(this::take);
    router.post("/desk/calls/:id/assign").handler(this::assign);
    router.get("/desk/coverage").handler(this::coverage);
  }

  private static boolean supervises(Agent agent) {
    return agent.role() != Agent.Role.AGENT;
  }

  private static Optional<String> notice(RoutingContext ctx) {
    return Optional.ofNullable(ctx.queryParams().get("notice")).filter(NOTICES::contains);
  }

  /**
   * 今日回访: an agent's own tasks due by today and those nobody owns yet; a supervisor sees every agent's
   * ({@code ?agent=} one agent's, 0 nobody's), with each agent's count of due and overdue tasks.
   */
  private void list(RoutingContext ctx) {
    Agent me = DeskConsole.session(ctx).agent();
    // A supervisor may narrow the list to one agent's; an agent's is narrowed by the query.
    Optional<Long> only = supervises(me) ? agentParam(ctx) : Optional.empty();
    Instant now = clock.instant();
    LocalDate today = LocalDate.now(clock);
    database.transaction(c -> new Listed(tasks.due(c, supervises(me) ? Optional.empty() : Optional.of(me.id()), today), names(c)))
        .onSuccess(listed -> {
          List<CallTasks.Task> shown = listed.due().stream()
              .filter(t -> only.isEmpty() || t.ownerAgentId().orElse(0L).equals(only.get())).toList();
          Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
          model.put("tasks", shown.stream().map(t -> views.call(t, listed.names(), now)).toList());
          model.put("supervises", supervises(me));
          model.put("agents", CallViews.named(listed.names()));
          model.put("only", only.orElse(-1L));
          model.put("today", today.toString());
          model.put("overdue", shown.stream().filter(t -> t.overdue(now)).count());
          model.put("team", supervises(me) ? team(listed, now) : List.of());
          notice(ctx).ifPresent(n -> model.put("notice", n));
          pages.send(ctx, 200, "desk/calls", model);
        }).onFailure(ctx::fail);
  }

  private static Optional<Long> agentParam(RoutingContext ctx) {
    try {
      return Optional.ofNullable(ctx.queryParams().get("agent")).filter(a -> !a.isBlank() && !a.equals("all")).map(Long::parseLong);
    } catch (NumberFormatException e) {
      throw new HttpException(400);
    }
  }

  private record Listed(List<CallTasks.Task> due, Map<Long, String> names) {}

  /** One agent's line of the supervisor's summary; agent 0 stands for the tasks nobody owns yet. */
  public record TeamLine(long agentId, String name, int due, int overdue) {}

  private static List<TeamLine> team(Listed listed, Instant now) {
    Map<Long, int[]> counts = new LinkedHashMap<>();
    listed.names().keySet().forEach(id -> counts.put(id, new int[2]));
    counts.put(0L, new int[2]);
    for (CallTasks.Task t : listed.due()) {
      int[] c = counts.computeIfAbsent(t.ownerAgentId().orElse(0L), id -> new int[2]);
      c[0]++;
      c[1] += t.overdue(now) ? 1 : 0;
    }
    List<TeamLine> lines = new ArrayList<>();
    counts.forEach((id, c) -> {
      if (c[0] > 0 || id != 0) {
        lines.add(new TeamLine(id, listed.names().getOrDefault(id, ""), c[0], c[1]));
      }
    });
    return lines;
  }

  /** Every active agent's name by id, in the order the desk lists them. */
  private Map<Long, String> names(Connection c) throws SQLException {
    Map<Long, String> names = new LinkedHashMap<>();
    agents.all(c).stream().filter(Agent::active).forEach(a -> names.put(a.id(), a.name()));
    return names;
  }

  /** The task if the agent may see it: theirs, nobody's yet, or any for a supervisor; else 404 or 403. */
  private CallTasks.Task visible(Connection c, long id, Agent me) throws SQLException {
    CallTasks.Task task = tasks.byId(c, id).orElseThrow(() -> new HttpException(404));
    if (!supervises(me) && task.ownerAgentId().filter(owner -> owner != me.id()).isPresent()) {
      throw new HttpException(403);
    }
    return task;
  }

  /** What a task's page shows. */
  private record Page(CallTasks.Task task, CustomerRecord record, List<RecordRoutes.ShownMilestone> milestones, Map<Long, String> names) {}

  private void show(RoutingContext ctx) {
    long id = RecordRoutes.id(ctx);
    Agent me = DeskConsole.session(ctx).agent();
    database.transaction(c -> {
      CallTasks.Task task = visible(c, id, me);
      return new Page(task, records.byId(c, task.recordId()).orElseThrow(),
          records.milestones(c, task.recordId()).stream().map(RecordRoutes.ShownMilestone::of).toList(), names(c));
    }).onSuccess(page -> {
      Instant now = clock.instant();
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("task", views.call(page.task(), page.names(), now));
      model.put("script", page.task().script());
      model.put("reason", page.task().reason());
      // The full number: calling the customer is the task.
      model.put("phone", page.record().details().phone().orElse(""));
      model.put("record", RecordRoutes.Shown.of(page.record()));
      model.put("milestones", page.milestones());
      model.put("supervises", supervises(me));
      model.put("agents", CallViews.named(page.names()));
      model.put("retriesLeft", tasks.retriesLeft(page.task()));
      model.put("outcomes", Arrays.stream(CallTasks.Outcome.values()).map(CallTasks.Outcome::key).toList());
      notice(ctx).ifPresent(n -> model.put("notice", n));
      pages.send(ctx, 200, "desk/call", model);
    }).onFailure(ctx::fail);
  }

  /** Runs {@code work} on a task the agent may see, then shows what the result names. */
  private interface TaskWork {
    String on(Connection c, CallTasks.Task task, Agent me, Instant now) throws SQLException;
  }

  private void changing(RoutingContext ctx, TaskWork work) {
    long id = RecordRoutes.id(ctx);
    Agent me = DeskConsole.session(ctx).agent();
    database.transaction(c -> work.on(c, visible(c, id, me), me, clock.instant()))
        .onSuccess(to -> DeskPages.redirect(ctx, to)).onFailure(ctx::fail);
  }

  private void outcome(RoutingContext ctx) {
    Form form = new Form(ctx);
    CallTasks.Outcome outcome = form.choice("outcome", CallTasks.Outcome.class);
    Optional<String> notes = form.given("notes", CallTasks.MAX_TEXT);
    Optional<String> feedback = form.given("feedback", CallTasks.MAX_TEXT);
    changing(ctx, (c, task, me, now) -> {
      if (!task.open()) {
        return "/desk/calls?notice=gone";
      }
      if (outcome == CallTasks.Outcome.DECLINED && notes.isEmpty()) {
        // The reason is kept on every step it stops: without it nothing is recorded.
        return "/desk/calls/" + task.id() + "?notice=reason";
      }
      try {
        CallTasks.Recorded done = tasks.record(c, task, me.id(), outcome, notes, feedback, now);
        log.info("Desk: Agent#{} recorded {} of {}: {}", me.id(), outcome.key(), task, done);
        return "/desk/calls?notice=" + switch (done) {
          case CLOSED -> "closed";
          case RETRY -> "retry";
          case DECLINED -> "declined";
        };
      } catch (IllegalStateException e) {
        return "/desk/calls?notice=gone";
      }
    });
  }

  private void take(RoutingContext ctx) {
    changing(ctx, (c, task, me, now) -> {
      if (!task.open() || !tasks.take(c, task, me.id(), now)) {
        return "/desk/calls?notice=gone";
      }
      log.info("Desk: Agent#{} took {}", me.id(), task);
      return "/desk/calls/" + task.id() + "?notice=taken";
    });
  }

  /** A supervisor gives the task (with the customer's series, see {@link CallTasks#assign}) to another agent. */
  private void assign(RoutingContext ctx) {
    long agentId = new Form(ctx).number("agent");
    if (!supervises(DeskConsole.session(ctx).agent())) {
      ctx.fail(403);
      return;
    }
    changing(ctx, (c, task, me, now) -> {
      if (!names(c).containsKey(agentId)) {
        throw new HttpException(400);
      }
      if (!task.open()) {
        return "/desk/calls?notice=gone";
      }
      tasks.assign(c, task, agentId, now);
      log.info("Desk: Agent#{} gave {} to Agent#{}", me.id(), task, agentId);
      return "/desk/calls?notice=assigned";
    });
  }

  /** The supervisors' coverage page: the steps due from {@code ?from=} to {@code ?to=}, by default the last 30 days. */
  private void coverage(RoutingContext ctx) {
    Agent me = DeskConsole.session(ctx).agent();
    if (!supervises(me)) {
      ctx.fail(404);
      return;
    }
    LocalDate today = LocalDate.now(clock);
    LocalDate to = day(ctx, "to").orElse(today);
    LocalDate from = day(ctx, "from").orElse(to.minusDays(Coverage.WINDOW_DAYS - 1L));
    if (from.isAfter(to) || from.plusDays(MOST_DAYS).isBefore(to)) {
      ctx.fail(400);
      return;
    }
    database.transaction(c -> new Covered(coverage.of(c, from, to, clock.instant()), names(c))).onSuccess(covered -> {
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("figures", covered.figures());
      model.put("from", from.toString());
      model.put("to", to.toString());
      model.put("byWhom", views.byWhom(covered.figures().byWhom(), covered.names()));
      model.put("missing", covered.figures().missing().stream().map(views::missing).toList());
      pages.send(ctx, 200, "desk/coverage", model);
    }).onFailure(ctx::fail);
  }

  private record Covered(Coverage.Figures figures, Map<Long, String> names) {}

  private static Optional<LocalDate> day(RoutingContext ctx, String name) {
    try {
      return Optional.ofNullable(ctx.queryParams().get(name)).filter(d -> !d.isBlank()).map(LocalDate::parse);
    } catch (DateTimeParseException e) {
      throw new HttpException(400);
    }
  }
}
