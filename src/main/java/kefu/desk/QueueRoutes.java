package kefu.desk;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.conversation.Delivery;
import kefu.kb.FaqEngine;
import kefu.kb.Problem;
import kefu.report.Reports;
import kefu.store.Database;
import kefu.ticket.ComplaintRepository;
import kefu.ticket.Complaint;
import kefu.ticket.Ticket;
import kefu.ticket.TicketEvents;
import kefu.ticket.TicketRepository;

/**
 * The console's front page at {@code /desk}: the queue, the chats under way, the open complaints and, for
 * supervisors, the team, the day's digest and the knowledge base's broken files; and accepting a waiting customer from the queue. An agent sees only
 * their own chats and complaints; supervisors and admins see all.
 */
final class QueueRoutes {
  /** As much of the customer's last words as a queue row shows. */
  private static final int LAST_WORDS = 40;

  private final Database database;
  private final DeskPages pages;
  private final Chats chats;
  private final Delivery delivery;
  private final TicketEvents events;
  private final AfterCommit after;
  private final int maxChats;
  private final LocalTimes times;
  private final FaqEngine faq;
  private final Reports reports;
  /** How long a report made stays in the supervisors' notice. */
  private static final Duration NEW_REPORT = Duration.ofDays(7);
  private final Clock clock;
  private final DeskQueries queries = new DeskQueries();
  private final TicketRepository tickets = new TicketRepository();
  private final AgentRepository agents = new AgentRepository();
  private final ComplaintRepository complaints = new ComplaintRepository();

  QueueRoutes(Database database, DeskPages pages, Chats chats, Delivery delivery, TicketEvents events, AfterCommit after,
      int maxChats, LocalTimes times, FaqEngine faq, Reports reports, Clock clock) {
    this.database = database;
    this.reports = reports;
    this.pages = pages;
    this.chats = chats;
    this.delivery = delivery;
    this.events = events;
    this.after = after;
    this.maxChats = maxChats;
    this.times = times;
    this.faq = faq;
    this.clock = clock;
  }

  /** Adds the routes; the console's session and CSRF checks must come first. */
  void routes(Router router) {
    router.get("/desk").handler(ctx -> send(ctx, 200, "desk/queue", Optional.empty()));
    router.get("/desk/lists").handler(ctx -> send(ctx, 200, "desk/lists", Optional.empty()));
    router.post("/desk/tickets/:id/accept").handler(this::accept);
  }

  /** The page with the lists, and the notice of an accept refused, if any. */
  private void send(RoutingContext ctx, int status, String page, Optional<AcceptOutcome> notice) {
    AgentSessions.Session session = DeskConsole.session(ctx);
    database.transaction(c -> model(c, session)).onSuccess(model -> {
      notice.ifPresent(outcome -> model.put("notice", DeskPages.key(outcome)));
      pages.send(ctx, status, page, model);
    }).onFailure(ctx::fail);
  }

  private Map<String, Object> model(Connection c, AgentSessions.Session session) throws SQLException {
    Agent me = session.agent();
    Instant now = clock.instant();
    Map<String, Object> model = DeskPages.model(session);
    model.put("tickets", queries.queue(c).stream().map(waiting -> queueRow(waiting, now)).toList());
    model.put("chats", queries.chats(c).stream().filter(chat -> me.maySee(chat.ticket())).map(chat -> chatRow(chat, me)).toList());
    model.put("complaints", queries.complaints(c).stream().filter(open -> me.maySee(open.ticket()))
        .map(open -> complaintRow(open, now)).toList());
    model.put("team", me.role() == Agent.Role.AGENT ? List.of() : team(c));
    model.put("digest", me.role() == Agent.Role.AGENT ? "" : Digest.latest(c)
        .filter(d -> d.day().equals(times.day(now))).map(Digest.Made::text).orElse(""));
    model.put("newReports", me.role() == Agent.Role.AGENT ? List.of() : reports.deliveredSince(c, now.minus(NEW_REPORT)).stream()
        .map(d -> new NewReport(d.snapshot().id(), d.snapshot().period().kind().key(), d.snapshot().period().start().toString(),
            d.snapshot().period().end().minusDays(1).toString(), times.dayTime(d.snapshot().createdAt()), DeskPages.key(d.route())))
        .toList());
    model.put("breachesToday", complaints.breachesSince(c, times.startOfDay(now), now));
    model.put("kbProblems", me.role() == Agent.Role.AGENT ? List.of() : faq.problems().stream().map(KbProblem::of).toList());
    return model;
  }

  /** A report made lately, as the supervisors' notice shows it, and how it reached the manager (service, template, console). */
  public record NewReport(long id, String kind, String first, String last, String made, String route) {}

  /** A mistake in a knowledge-base file as the console shows it: the file's name, the line (0: the whole file), what. */
  public record KbProblem(String file, int line, String message) {
    static KbProblem of(Problem problem) {
      return new KbProblem(String.valueOf(problem.file().getFileName()), problem.line(), problem.message());
    }
  }

  /**
   * A waiting ticket as the queue shows it; {@code customerName} is empty until the business names the customer;
   * {@code callBack} when the customer, tired of waiting, asked to be called back; {@code lastWords} the start of
   * their latest message with words, {@code lastWordsCut} when there is more.
   */
  public record QueueRow(long id, String kind, String reason, String customerName, long customerId, String since,
      String sinceShown, long waitingMinutes, boolean callBack, String lastWords, boolean lastWordsCut) {}

  private QueueRow queueRow(DeskQueries.Waiting waiting, Instant now) {
    Ticket t = waiting.ticket();
    String words = waiting.lastWords().orElse("");
    boolean cut = words.codePointCount(0, words.length()) > LAST_WORDS;
    return new QueueRow(t.id(), DeskPages.key(t.kind()), DeskPages.key(t.reason()), waiting.customerName().orElse(""), t.customerId(),
        t.createdAt().toString(), times.dayTime(t.createdAt()), Duration.between(t.createdAt(), now).toMinutes(), waiting.callBack(),
        cut ? words.substring(0, words.offsetByCodePoints(0, LAST_WORDS)) : words, cut);
  }

  /** A chat under way as the lists show it. */
  public record ChatRow(long id, String kind, String customerName, long customerId, String agentName, boolean mine) {}

  private static ChatRow chatRow(DeskQueries.UnderWay chat, Agent me) {
    Ticket t = chat.ticket();
    return new ChatRow(t.id(), DeskPages.key(t.kind()), chat.customerName().orElse(""), t.customerId(), chat.agentName(),
        t.agentId().filter(a -> a == me.id()).isPresent());
  }

  /** An open complaint as the lists show it: overdue when the promised reply is late (shown in red). */
  public record ComplaintRow(long id, String severity, String status, String customerName, long customerId, String agentName,
      String replyDueShown, boolean overdue) {}

  private ComplaintRow complaintRow(DeskQueries.OpenComplaint open, Instant now) {
    Ticket t = open.ticket();
    return new ComplaintRow(t.id(), DeskPages.key(open.severity()), DeskPages.key(t.status()), open.customerName().orElse(""),
        t.customerId(), open.agentName().orElse(""), open.replyDueAt().map(times::dayTime).orElse(""),
        Complaint.overdue(open.replyDueAt(), now));
  }

  /** An agent as the supervisor's view of the team shows them: presence and how many chats of how many. */
  public record AgentRow(String name, String role, String presence, int chats, int maxChats) {}

  private List<AgentRow> team(Connection c) throws SQLException {
    Map<Long, Integer> loads = tickets.loads(c);
    return agents.all(c).stream().filter(Agent::active)
        .map(agent -> new AgentRow(agent.name(), agent.role().key(), agent.presence().key(), loads.getOrDefault(agent.id(), 0), maxChats))
        .toList();
  }

  private void accept(RoutingContext ctx) {
    Agent me = DeskConsole.session(ctx).agent();
    long id = TicketAccess.ticketId(ctx);
    database.transaction(c -> {
      // Under the dispatcher's lock, so that its round and this pick cannot both give the agent the last place.
      Assigner.lock(c);
      Ticket ticket = tickets.byId(c, id).orElseThrow(() -> new HttpException(404));
      // Supervisors step in when the desk is busy; agents keep to the limit auto-assignment keeps to.
      if (me.role() == Agent.Role.AGENT && tickets.loads(c).getOrDefault(me.id(), 0) >= maxChats) {
        return AcceptOutcome.FULL;
      }
      if (!chats.accept(c, ticket, me, clock.instant())) {
        return AcceptOutcome.TAKEN;
      }
      chats.tellFirst(c, ticket, clock.instant());
      return AcceptOutcome.ACCEPTED;
    }).compose(outcome -> after.run(() -> {
      if (outcome == AcceptOutcome.ACCEPTED) {
        delivery.wake();
        events.queueChanged();
      }
      return outcome;
    })).onSuccess(outcome -> {
      if (outcome == AcceptOutcome.ACCEPTED) {
        DeskPages.redirect(ctx, "/desk/tickets/" + id);
      } else {
        send(ctx, 409, "desk/queue", Optional.of(outcome));
      }
    }).onFailure(ctx::fail);
  }

  /** Accepted; or refused because another agent was quicker, or the agent has as many chats as allowed. */
  private enum AcceptOutcome { ACCEPTED, TAKEN, FULL }
}
