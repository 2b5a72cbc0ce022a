package kefu.desk;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.rating.RatedTickets;
import kefu.store.Database;

/**
 * The ratings in the console ({@code /desk/ratings}): an agent sees their own scores (this week, this month) and their
 * latest ratings; a supervisor every closed ticket with its rating, filtered by agent, level and the days closed, a
 * page at a time. Filters that cannot be read are ignored and said so, never guessed.
 */
final class RatingRoutes {
  /** Rows a page shows. */
  static final int PAGE = 50;
  private static final int LATEST = 20;

  private final Database database;
  private final DeskPages pages;
  private final LocalTimes times;
  private final Clock clock;
  private final RatedTickets rated = new RatedTickets();
  private final AgentRepository agents = new AgentRepository();

  RatingRoutes(Database database, DeskPages pages, LocalTimes times, Clock clock) {
    this.database = database;
    this.pages = pages;
    this.times = times;
    this.clock = clock;
  }

  /** Adds the routes; the console's session check must come first. */
  void routes(Router router) {
    router.get("/desk/ratings").handler(this::page);
  }

  /** A ticket and its rating as the page lists it; {@code level} 0 when not rated. */
  public record Line(long ticketId, String kind, String closed, int level, String label, String score, String rated, String agents) {}

  /** An agent to filter by. */
  public record Choice(long id, String name) {}

  private void page(RoutingContext ctx) {
    AgentSessions.Session session = DeskConsole.session(ctx);
    database.transaction(c -> session.agent().role() == Agent.Role.AGENT ? mine(c, session) : everyone(c, session, ctx))
        .onSuccess(model -> pages.send(ctx, 200, "desk/ratings", model)).onFailure(ctx::fail);
  }

  private Map<String, Object> mine(Connection c, AgentSessions.Session session) throws SQLException {
    long me = session.agent().id();
    LocalDate today = times.day(clock.instant());
    LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    Instant tomorrow = start(today.plusDays(1));
    Map<String, Object> model = DeskPages.model(session);
    model.put("week", rated.scores(c, me, start(monday), tomorrow));
    model.put("month", rated.scores(c, me, start(today.withDayOfMonth(1)), tomorrow));
    model.put("lines", rated.latestOf(c, me, LATEST).stream().map(this::line).toList());
    return model;
  }

  private Map<String, Object> everyone(Connection c, AgentSessions.Session session, RoutingContext ctx) throws SQLException {
    Optional<Long> agent = number(ctx, "agent").filter(id -> id > 0);
    Optional<Integer> level = number(ctx, "level").filter(l -> l >= 1 && l <= 5).map(Long::intValue);
    Optional<LocalDate> from = day(ctx, "from");
    Optional<LocalDate> to = day(ctx, "to");
    int page = number(ctx, "page").filter(p -> p >= 1 && p <= 10_000).orElse(1L).intValue();
    List<RatedTickets.Row> rows = rated.closed(c, new RatedTickets.Filter(agent, level, from.map(this::start),
        to.map(d -> start(d.plusDays(1)))), (page - 1) * PAGE, PAGE + 1);
    Map<String, Object> model = DeskPages.model(session);
    model.put("lines", rows.stream().limit(PAGE).map(this::line).toList());
    model.put("agents", agents.all(c).stream().map(a -> new Choice(a.id(), a.name())).toList());
    model.put("agentFilter", agent.orElse(0L));
    model.put("levelFilter", level.orElse(0));
    model.put("from", from.map(LocalDate::toString).orElse(""));
    model.put("to", to.map(LocalDate::toString).orElse(""));
    model.put("page", page);
    model.put("more", rows.size() > PAGE);
    model.put("unread", given(ctx, "from") && from.isEmpty() || given(ctx, "to") && to.isEmpty()
        || given(ctx, "level") && level.isEmpty() || given(ctx, "agent") && agent.isEmpty());
    model.put("query", "agent=" + agent.orElse(0L) + "&level=" + level.orElse(0) + "&from=" + from.map(LocalDate::toString).orElse("")
        + "&to=" + to.map(LocalDate::toString).orElse(""));
    return model;
  }

  private Line line(RatedTickets.Row row) {
    return new Line(row.ticketId(), row.kind(), row.closedAt().map(times::dayTime).orElse(""),
        row.given().map(g -> g.rating().level()).orElse(0), row.given().map(g -> g.rating().label()).orElse(""),
        row.given().map(g -> g.rating().score().toPlainString()).orElse(""), row.given().map(g -> times.dayTime(g.at())).orElse(""),
        String.join("、", row.agents()));
  }

  private Instant start(LocalDate day) {
    return day.atStartOfDay(times.zone()).toInstant();
  }

  private static boolean given(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    return value != null && !value.isBlank() && !value.equals("0");
  }

  private static Optional<Long> number(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    return value != null && value.matches("\\d{1,18}") ? Optional.of(Long.parseLong(value)) : Optional.empty();
  }

  private static Optional<LocalDate> day(RoutingContext ctx, String name) {
    try {
      return Optional.ofNullable(ctx.request().getParam(name)).filter(v -> !v.isBlank()).map(LocalDate::parse);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
