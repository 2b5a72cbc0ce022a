package kefu.desk;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.customer.Customer;
import kefu.customer.CustomerProfile;
import kefu.customer.CustomerRepository;
import kefu.kb.FaqEngine;
import kefu.store.Database;
import kefu.ticket.Complaint;
import kefu.ticket.ComplaintRepository;
import kefu.ticket.Ticket;
import kefu.ticket.TicketEvents;
import kefu.ticket.TicketRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's chat pages: the queue with the chats under way, accepting a waiting customer, the chat pane with
 * the transcript, writing to the customer and closing the chat. An agent sees only their own chats; supervisors
 * and admins see all.
 */
final class ChatRoutes {
  private static final Logger log = LoggerFactory.getLogger(ChatRoutes.class);
  /** As much of a long conversation as the pane shows: the latest messages. */
  private static final int TRANSCRIPT = 200;
  /** WeChat takes 2,048 bytes of text in a customer-service message; 600 Chinese characters stay under it. */
  static final int MAX_REPLY = 600;
  /** As many answers as answer assist offers. */
  private static final int SUGGESTIONS = 3;
  /** What the agent taking over reads first; the column holds 500. */
  static final int MAX_NOTE = 200;
  private static final DateTimeFormatter LOCAL_INPUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Vertx vertx;
  private final Database database;
  private final DeskPages pages;
  private final Chats chats;
  private final Delivery delivery;
  private final TicketEvents events;
  private final TicketAccess access;
  private final AfterCommit after;
  private final FaqEngine faq;
  private final int maxChats;
  /** The business's zone: times are shown as the agents' clocks show them. */
  private final ZoneId zone;
  private final Clock clock;
  private final TicketRepository tickets = new TicketRepository();
  private final CustomerRepository customers = new CustomerRepository();
  private final MessageRepository messages = new MessageRepository();
  private final AgentRepository agents = new AgentRepository();
  private final ComplaintRepository complaints = new ComplaintRepository();
  private final PhoneReveals reveals = new PhoneReveals();

  ChatRoutes(Vertx vertx, Database database, DeskPages pages, Chats chats, Delivery delivery, TicketEvents events,
      TicketAccess access, AfterCommit after, FaqEngine faq, int maxChats, ZoneId zone, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.pages = pages;
    this.chats = chats;
    this.delivery = delivery;
    this.events = events;
    this.access = access;
    this.after = after;
    this.faq = faq;
    this.maxChats = maxChats;
    this.zone = zone;
    this.clock = clock;
  }

  /** Adds the routes; the console's session and CSRF checks must come first. */
  void routes(Router router) {
    router.get("/desk").handler(ctx -> lists(ctx, "desk/queue"));
    router.get("/desk/lists").handler(ctx -> lists(ctx, "desk/lists"));
    router.post("/desk/tickets/:id/accept").handler(this::accept);
    router.get("/desk/tickets/:id").handler(ctx -> pane(ctx, Part.WHOLE, false));
    router.get("/desk/tickets/:id/transcript").handler(ctx -> pane(ctx, Part.TRANSCRIPT, false));
    router.post("/desk/tickets/:id/customer").handler(this::recordCustomer);
    router.post("/desk/tickets/:id/reveal").handler(this::revealPhone);
    router.get("/desk/tickets/:id/assist").handler(this::assist);
    router.post("/desk/tickets/:id/messages").handler(this::write);
    router.post("/desk/tickets/:id/close").handler(this::close);
    router.post("/desk/tickets/:id/transfer").handler(this::transfer);
  }

  // ---- The queue and the chats under way

  private void lists(RoutingContext ctx, String page) {
    AgentSessions.Session session = DeskConsole.session(ctx);
    database.transaction(c -> listsModel(c, session)).onSuccess(model -> pages.send(ctx, 200, page, model)).onFailure(ctx::fail);
  }

  private Map<String, Object> listsModel(Connection c, AgentSessions.Session session) throws SQLException {
    Agent me = session.agent();
    Instant now = clock.instant();
    List<Agent> everyone = agents.all(c);
    Map<Long, String> names = names(everyone);
    List<QueueRow> queue = new ArrayList<>();
    for (Ticket t : tickets.waiting(c)) {
      queue.add(new QueueRow(t.id(), key(t.kind()), key(t.reason()), customerName(c, t), t.customerId(), t.createdAt().toString(),
          DAY_TIME.format(local(t.createdAt())), Duration.between(t.createdAt(), now).toMinutes(), tickets.callBack(c, t.id())));
    }
    List<ChatRow> chatRows = new ArrayList<>();
    for (Ticket t : me.role() == Agent.Role.AGENT ? tickets.assignedTo(c, me.id()) : tickets.assigned(c)) {
      chatRows.add(new ChatRow(t.id(), key(t.kind()), customerName(c, t), t.customerId(),
          t.agentId().map(names::get).orElse(""), t.agentId().filter(a -> a == me.id()).isPresent()));
    }
    Map<String, Object> model = DeskPages.model(session);
    model.put("tickets", queue);
    model.put("chats", chatRows);
    List<AgentRow> team = new ArrayList<>();
    if (me.role() != Agent.Role.AGENT) {
      Map<Long, Integer> loads = tickets.loads(c);
      for (Agent agent : everyone) {
        if (agent.active()) {
          team.add(new AgentRow(agent.name(), agent.role().key(), agent.presence().key(), loads.getOrDefault(agent.id(), 0), maxChats));
        }
      }
    }
    model.put("team", team);
    List<ComplaintRow> open = new ArrayList<>();
    for (Complaint complaint : complaints.open(c)) {
      Ticket t = tickets.byId(c, complaint.ticketId()).orElseThrow();
      if (me.maySee(t)) {
        open.add(new ComplaintRow(t.id(), complaint.severity().name().toLowerCase(Locale.ROOT), key(t.status()), customerName(c, t),
            t.customerId(), t.agentId().map(names::get).orElse(""),
            complaint.replyDueAt().map(due -> DAY_TIME.format(local(due))).orElse(""), complaint.overdue(now)));
      }
    }
    model.put("complaints", open);
    model.put("digest", me.role() == Agent.Role.AGENT ? "" : Digest.latest(c)
        .filter(d -> d.day().equals(now.atZone(zone).toLocalDate())).map(Digest.Made::text).orElse(""));
    model.put("breachesToday", complaints.breachesSince(c, now.atZone(zone).toLocalDate().atStartOfDay(zone).toInstant(), now));
    return model;
  }

  /** An open complaint as the lists show it: overdue when the promised reply is late (shown in red). */
  public record ComplaintRow(long id, String severity, String status, String customerName, long customerId, String agentName,
      String replyDueShown, boolean overdue) {}

  /** An agent as the supervisor's view of the team shows them: presence and how many chats of how many. */
  public record AgentRow(String name, String role, String presence, int chats, int maxChats) {}

  /**
   * A waiting ticket as the queue shows it; {@code customerName} is empty until the business names the customer;
   * {@code callBack} when the customer, tired of waiting, asked to be called back.
   */
  public record QueueRow(long id, String kind, String reason, String customerName, long customerId, String since,
      String sinceShown, long waitingMinutes, boolean callBack) {}

  /** A chat under way as the lists show it. */
  public record ChatRow(long id, String kind, String customerName, long customerId, String agentName, boolean mine) {}

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
        database.transaction(c -> listsModel(c, DeskConsole.session(ctx))).onSuccess(model -> {
          model.put("notice", outcome.name().toLowerCase(Locale.ROOT));
          pages.send(ctx, 409, "desk/queue", model);
        }).onFailure(ctx::fail);
      }
    }).onFailure(ctx::fail);
  }

  /** Accepted; or refused because another agent was quicker, or the agent has as many chats as allowed. */
  private enum AcceptOutcome { ACCEPTED, TAKEN, FULL }

  // ---- The chat pane

  /** The whole chat pane, or only its transcript, which consoles fetch again on every message. */
  private enum Part {
    WHOLE("desk/chat"), TRANSCRIPT("desk/transcript");

    final String page;

    Part(String page) {
      this.page = page;
    }
  }

  private void pane(RoutingContext ctx, Part part, boolean revealPhone) {
    AgentSessions.Session session = DeskConsole.session(ctx);
    long id = TicketAccess.ticketId(ctx);
    database.transaction(c -> {
      Ticket ticket = access.visible(c, id, session.agent());
      List<Agent> everyone = agents.all(c);
      Map<Long, String> names = names(everyone);
      Map<String, Object> model = DeskPages.model(session);
      model.put("lines", transcript(c, ticket, names));
      Delivery.Allowance allowance = delivery.allowance(c, ticket.customerId(), clock.instant());
      model.put("allowance", new AllowanceView(allowance.left(), allowance.closesAt().map(at -> DAY_TIME.format(local(at))).orElse("")));
      model.put("writable", ticket.status() == Ticket.Status.ASSIGNED);
      if (part == Part.TRANSCRIPT) {
        return model;
      }
      CustomerFile file = CustomerFile.of(c, ticket, revealPhone, zone);
      model.put("customer", file);
      model.put("ticket", new TicketView(ticket.id(), key(ticket.kind()), key(ticket.reason()), key(ticket.status()),
          ticket.conversationId(), file.name(), ticket.customerId(), DAY_TIME.format(local(ticket.createdAt()))));
      model.put("history", tickets.events(c, ticket.id()).stream().map(e -> new HistoryRow(e.action(),
          e.agentId().map(names::get).orElse(""), e.note().orElse(""), DAY_TIME.format(local(e.at())))).toList());
      model.put("colleagues", everyone.stream()
          .filter(a -> a.active() && !ticket.agentId().equals(Optional.of(a.id()))).toList());
      model.put("followable", ticket.status() == Ticket.Status.ASSIGNED || ticket.status() == Ticket.Status.RESOLVED);
      Instant now = clock.instant();
      model.put("complaint", complaints.byTicket(c, ticket.id()).map(p -> new ComplaintView(true,
          p.severity().name().toLowerCase(Locale.ROOT), p.told(), p.asked(), p.handling(), p.result(),
          p.replyDueAt().map(due -> LOCAL_INPUT.format(local(due))).orElse(""), p.overdue(now), p.reportedAt().isPresent(),
          p.resultToldAt().isPresent()))
          .orElse(new ComplaintView(false, "normal", "", "", "", "", "", false, false, false)));
      model.put("maxReply", MAX_REPLY);
      model.put("canned", chats.canned());
      model.put("taboo", chats.tabooPhrases());
      return model;
    }).onSuccess(model -> pages.send(ctx, 200, part.page, model)).onFailure(ctx::fail);
  }

  /** The complaint form's values; {@code recorded} is false for a handoff not (yet) recorded as a complaint. */
  public record ComplaintView(boolean recorded, String severity, String told, String asked, String handling, String result,
      String replyDue, boolean overdue, boolean reported, boolean resultTold) {}

  /** What WeChat still allows: messages left, and when the 48-hour window closes (empty if closed). */
  public record AllowanceView(int left, String closesShown) {}

  /** The ticket as the pane's header shows it. */
  public record TicketView(long id, String kind, String reason, String status, long conversationId, String customerName,
      long customerId, String sinceShown) {}

  /**
   * One message of the transcript. {@code from} is customer, bot or agent; {@code agentName} names the agent;
   * {@code text} is empty for media, whose {@code type} the page names.
   */
  public record Line(long id, String from, String agentName, String type, String text, String at, String atShown) {}

  /** A change of the ticket as its history shows it; {@code agentName} is empty for the customer or the bot. */
  public record HistoryRow(String action, String agentName, String note, String atShown) {}

  private List<Line> transcript(Connection c, Ticket ticket, Map<Long, String> names) throws SQLException {
    List<Line> lines = new ArrayList<>();
    for (Message m : messages.latest(c, ticket.conversationId(), TRANSCRIPT)) {
      String from = m.direction() == Message.Direction.IN ? "customer" : m.agentId().isPresent() ? "agent" : "bot";
      lines.add(new Line(m.id(), from, m.agentId().map(names::get).orElse(""), m.type(), m.text().orElse(""),
          m.createdAt().toString(), TIME.format(local(m.createdAt()))));
    }
    return lines;
  }

  /**
   * Answer assist: the knowledge base's best answers to the customer's latest message, for the agent to take into the
   * reply box. The search runs outside the transaction: it may take the FAQ engine's time.
   */
  private void assist(RoutingContext ctx) {
    AgentSessions.Session session = DeskConsole.session(ctx);
    long id = TicketAccess.ticketId(ctx);
    database.transaction(c -> {
      Ticket ticket = access.visible(c, id, session.agent());
      return messages.latest(c, ticket.conversationId(), TRANSCRIPT).stream()
          .filter(m -> m.direction() == Message.Direction.IN && m.text().isPresent())
          .reduce((first, second) -> second).flatMap(Message::text);
    }).compose(latest -> vertx.executeBlocking(() -> suggestions(latest), false)).onSuccess(found -> {
      Map<String, Object> model = DeskPages.model(session);
      model.put("suggestions", found);
      pages.send(ctx, 200, "desk/assist", model);
    }).onFailure(ctx::fail);
  }

  /** An entry offered by answer assist, with the engine's confidence in per cent. */
  public record Suggestion(String entryId, String question, String answer, int confidence) {}

  private List<Suggestion> suggestions(Optional<String> question) {
    if (question.isEmpty()) {
      return List.of();
    }
    try {
      return faq.search(question.get()).candidates().stream().limit(SUGGESTIONS)
          .flatMap(candidate -> faq.entry(candidate.entryId()).stream()
              .map(entry -> new Suggestion(entry.id(), entry.question(), entry.answer(), (int) Math.round(candidate.confidence() * 100))))
          .toList();
    } catch (IllegalStateException e) {
      return List.of(); // the knowledge base is not loaded yet
    }
  }

  /** What the agent recorded of the customer; an empty phone keeps the number on file (the form never shows it). */
  private void recordCustomer(RoutingContext ctx) {
    Agent me = DeskConsole.session(ctx).agent();
    long id = TicketAccess.ticketId(ctx);
    String name = DeskPages.field(ctx, "name");
    String phone = DeskPages.field(ctx, "phone");
    String birthday = DeskPages.field(ctx, "birthday");
    String notes = DeskPages.field(ctx, "notes");
    List<String> tags = List.of(DeskPages.field(ctx, "tags").split("[,,\\s]+")).stream().filter(t -> !t.isBlank()).toList();
    Optional<LocalDate> born;
    try {
      born = birthday.isEmpty() ? Optional.empty() : Optional.of(LocalDate.parse(birthday));
    } catch (DateTimeParseException e) {
      ctx.fail(400);
      return;
    }
    if (name.length() > 100 || !(phone.isEmpty() || phone.matches("[0-9+\\- ]{5,20}")) || notes.length() > 4000
        || String.join(",", tags).length() > 500) {
      ctx.fail(400);
      return;
    }
    database.transaction(c -> {
      Ticket ticket = access.visible(c, id, me);
      Customer known = customers.byId(c, ticket.customerId()).orElseThrow();
      customers.updateProfile(c, known.id(), new CustomerProfile(Optional.of(name).filter(n -> !n.isEmpty()),
          phone.isEmpty() ? known.phone() : Optional.of(phone), born, Optional.of(notes).filter(n -> !n.isEmpty()), tags),
          clock.instant());
      return ticket;
    }).onSuccess(ticket -> DeskPages.redirect(ctx, "/desk/tickets/" + id)).onFailure(ctx::fail);
  }

  /** Shows the phone number in full once, for a reason the agent gives, which is logged with who and when. */
  private void revealPhone(RoutingContext ctx) {
    Agent me = DeskConsole.session(ctx).agent();
    long id = TicketAccess.ticketId(ctx);
    String reason = DeskPages.field(ctx, "reason");
    if (reason.length() < 2 || reason.length() > 200) {
      ctx.fail(400);
      return;
    }
    database.transaction(c -> {
      Ticket ticket = access.visible(c, id, me);
      reveals.record(c, ticket.customerId(), me.id(), ticket.id(), reason, clock.instant());
      log.info("Desk: Agent#{} revealed the phone number of Customer#{} (reason recorded)", me.id(), ticket.customerId());
      return ticket;
    }).onSuccess(ticket -> pane(ctx, Part.WHOLE, true)).onFailure(ctx::fail);
  }

  private void write(RoutingContext ctx) {
    Agent me = DeskConsole.session(ctx).agent();
    long id = TicketAccess.ticketId(ctx);
    String text = DeskPages.field(ctx, "text");
    if (text.isEmpty() || text.length() > MAX_REPLY) {
      ctx.fail(400);
      return;
    }
    Optional<String> taboo = chats.taboo(text);
    if (taboo.isPresent() && !"yes".equals(ctx.request().getFormAttribute("confirmed"))) {
      // A warning, not a ban: the agent may rephrase, or confirm and send it as written.
      ctx.response().setStatusCode(422);
      ctx.json(new JsonObject().put("taboo", taboo.get()));
      return;
    }
    // Only an entry the knowledge base has is recorded as the suggestion taken.
    Optional<String> suggestion = Optional.ofNullable(ctx.request().getFormAttribute("suggestion"))
        .filter(s -> !s.isBlank() && faq.entry(s).isPresent());
    database.transaction(c -> {
      Ticket ticket = access.writable(c, id, me);
      Message message = chats.write(c, ticket, me, text, suggestion, clock.instant());
      return new Written(ticket, message);
    }).compose(written -> after.run(() -> {
      delivery.wake();
      events.chatChanged(written.ticket().conversationId(), written.ticket().agentId().orElseThrow());
      return written;
    })).onSuccess(written -> {
      if (wantsJson(ctx)) {
        ctx.json(new JsonObject().put("message", written.message().id()));
      } else {
        DeskPages.redirect(ctx, "/desk/tickets/" + id);
      }
    }).onFailure(ctx::fail);
  }

  private record Written(Ticket ticket, Message message) {}

  private void close(RoutingContext ctx) {
    Agent me = DeskConsole.session(ctx).agent();
    long id = TicketAccess.ticketId(ctx);
    database.transaction(c -> {
      Ticket ticket = access.writable(c, id, me);
      chats.close(c, ticket, me, clock.instant());
      return ticket;
    }).compose(after::ticketChanged).onSuccess(ticket -> DeskPages.redirect(ctx, "/desk")).onFailure(ctx::fail);
  }

  private void transfer(RoutingContext ctx) {
    Agent me = DeskConsole.session(ctx).agent();
    long id = TicketAccess.ticketId(ctx);
    String note = DeskPages.field(ctx, "note");
    Optional<Long> to = Optional.ofNullable(ctx.request().getFormAttribute("to")).flatMap(ChatRoutes::number);
    if (to.isEmpty() || note.length() > MAX_NOTE) {
      ctx.fail(400);
      return;
    }
    database.transaction(c -> {
      Ticket ticket = access.writable(c, id, me);
      Agent target = agents.all(c).stream()
          .filter(a -> a.id() == to.get() && a.active() && !ticket.agentId().equals(Optional.of(a.id())))
          .findFirst().orElseThrow(() -> new HttpException(400));
      if (!chats.transfer(c, ticket, me, target, note, clock.instant())) {
        throw new HttpException(409);
      }
      return ticket;
    }).compose(ticket -> after.ticketChanged(ticket, to.get())).onSuccess(ticket -> DeskPages.redirect(ctx, "/desk")).onFailure(ctx::fail);
  }

  // ---- Helpers

  private String customerName(Connection c, Ticket ticket) throws SQLException {
    return customers.byId(c, ticket.customerId()).flatMap(Customer::name).orElse("");
  }

  private static Map<Long, String> names(List<Agent> agents) {
    Map<Long, String> names = new HashMap<>();
    agents.forEach(agent -> names.put(agent.id(), agent.name()));
    return names;
  }

  private static Optional<Long> number(String text) {
    try {
      return Optional.of(Long.parseLong(text.trim()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static boolean wantsJson(RoutingContext ctx) {
    return Optional.ofNullable(ctx.request().getHeader("Accept")).filter(a -> a.contains("application/json")).isPresent();
  }

  private ZonedDateTime local(Instant at) {
    return at.atZone(zone);
  }

  private static String key(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
