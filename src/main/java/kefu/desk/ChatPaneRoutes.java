package kefu.desk;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.kb.FaqEngine;
import kefu.ticket.ComplaintRepository;
import kefu.ticket.Ticket;
import kefu.ticket.TicketRepository;

/**
 * The chat pane at {@code /desk/tickets/:id}: the transcript, which consoles fetch again on every message, the
 * customer's file, the ticket's history, the complaint form, and answer assist.
 */
final class ChatPaneRoutes {
  /** As much of a long conversation as the pane shows: the latest messages. */
  private static final int TRANSCRIPT = 200;
  /** As many answers as answer assist offers. */
  private static final int SUGGESTIONS = 3;

  private final Vertx vertx;
  private final DeskPages pages;
  private final Chats chats;
  private final Delivery delivery;
  private final TicketAccess access;
  private final FaqEngine faq;
  private final LocalTimes times;
  private final kefu.rating.RatedTickets ratings = new kefu.rating.RatedTickets();
  private final Clock clock;
  private final DeskQueries queries = new DeskQueries();
  private final TicketRepository tickets = new TicketRepository();
  private final MessageRepository messages = new MessageRepository();
  private final AgentRepository agents = new AgentRepository();
  private final ComplaintRepository complaints = new ComplaintRepository();

  ChatPaneRoutes(Vertx vertx, DeskPages pages, Chats chats, Delivery delivery, TicketAccess access, FaqEngine faq, LocalTimes times,
      Clock clock) {
    this.vertx = vertx;
    this.pages = pages;
    this.chats = chats;
    this.delivery = delivery;
    this.access = access;
    this.faq = faq;
    this.times = times;
    this.clock = clock;
  }

  /** Adds the routes; the console's session check must come first. */
  void routes(Router router) {
    router.get("/desk/tickets/:id").handler(ctx -> send(ctx, Part.WHOLE, false));
    router.get("/desk/tickets/:id/transcript").handler(ctx -> send(ctx, Part.TRANSCRIPT, false));
    router.get("/desk/tickets/:id/assist").handler(this::assist);
  }

  /** Sends the whole pane, with the customer's phone number in full if {@code revealPhone}. */
  void send(RoutingContext ctx, boolean revealPhone) {
    send(ctx, Part.WHOLE, revealPhone);
  }

  /** The whole chat pane, or only its transcript. */
  private enum Part {
    WHOLE("desk/chat"), TRANSCRIPT("desk/transcript");

    final String page;

    Part(String page) {
      this.page = page;
    }
  }

  /** The customer's rating of the ticket; {@code level} 0 when none was given. */
  public record RatingView(int level, String label, String score, String at) {}

  private void send(RoutingContext ctx, Part part, boolean revealPhone) {
    AgentSessions.Session session = DeskConsole.session(ctx);
    access.visible(ctx, (c, ticket, me) -> model(c, ticket, session, part, revealPhone))
        .onSuccess(model -> pages.send(ctx, 200, part.page, model)).onFailure(ctx::fail);
  }

  private Map<String, Object> model(Connection c, Ticket ticket, AgentSessions.Session session, Part part, boolean revealPhone)
      throws SQLException {
    List<Agent> everyone = agents.all(c);
    Map<Long, String> names = new HashMap<>();
    everyone.forEach(agent -> names.put(agent.id(), agent.name()));
    Map<String, Object> model = DeskPages.model(session);
    model.put("lines", messages.latest(c, ticket.conversationId(), TRANSCRIPT).stream().map(m -> line(m, names)).toList());
    Delivery.Allowance allowance = delivery.allowance(c, ticket.customerId(), clock.instant());
    model.put("allowance", new AllowanceView(allowance.left(), allowance.closesAt().map(times::dayTime).orElse("")));
    model.put("writable", ticket.status() == Ticket.Status.ASSIGNED);
    model.put("ticketId", ticket.id());
    model.put("unknown", queries.unknownDelivery(c, ticket.conversationId()));
    if (part == Part.TRANSCRIPT) {
      return model;
    }
    CustomerFile file = CustomerFile.of(c, ticket, revealPhone, times.zone());
    model.put("customer", file);
    model.put("ticket", new TicketView(ticket.id(), DeskPages.key(ticket.kind()), DeskPages.key(ticket.reason()),
        DeskPages.key(ticket.status()), ticket.conversationId(), file.name(), ticket.customerId(), times.dayTime(ticket.createdAt())));
    model.put("rating", ratings.ofTicket(c, ticket.id()).map(g -> new RatingView(g.rating().level(), g.rating().label(),
        g.rating().score().toPlainString(), times.dayTime(g.at()))).orElse(new RatingView(0, "", "", "")));
    model.put("history", tickets.events(c, ticket.id()).stream().map(e -> new HistoryRow(e.action(),
        e.agentId().map(names::get).orElse(""), e.note().orElse(""), times.dayTime(e.at()))).toList());
    model.put("colleagues", everyone.stream()
        .filter(a -> a.active() && a.role() != Agent.Role.MARKETING && !ticket.agentId().equals(Optional.of(a.id()))).toList());
    model.put("followable", ticket.status() == Ticket.Status.ASSIGNED || ticket.status() == Ticket.Status.RESOLVED);
    Instant now = clock.instant();
    model.put("complaint", complaints.byTicket(c, ticket.id()).map(p -> new ComplaintView(true, DeskPages.key(p.severity()),
            p.told(), p.asked(), p.handling(), p.result(), p.replyDueAt().map(times::field).orElse(""), p.overdue(now),
            p.reportedAt().isPresent(), p.resultToldAt().isPresent()))
        .orElse(new ComplaintView(false, "normal", "", "", "", "", "", false, false, false)));
    model.put("maxReply", ChatActionRoutes.MAX_REPLY);
    model.put("canned", chats.canned());
    model.put("taboo", chats.tabooPhrases());
    return model;
  }

  /** The complaint form's values; {@code recorded} is false for a handoff not (yet) recorded as a complaint. */
  public record ComplaintView(boolean recorded, String severity, String told, String asked, String handling, String result,
      String replyDue, boolean overdue, boolean reported, boolean resultTold) {}

  /** What WeChat still allows: messages left, and when the 48-hour window closes (empty if closed). */
  public record AllowanceView(int left, String closesShown) {}

  /** The ticket as the pane's header shows it. */
  public record TicketView(long id, String kind, String reason, String status, long conversationId, String customerName,
      long customerId, String sinceShown) {}

  /** A change of the ticket as its history shows it; {@code agentName} is empty for the customer or the bot. */
  public record HistoryRow(String action, String agentName, String note, String atShown) {}

  /**
   * One message of the transcript. {@code from} is customer, bot or agent; {@code agentName} names the agent;
   * {@code text} is empty for media, whose {@code type} the page names.
   */
  public record Line(long id, String from, String agentName, String type, String text, String at, String atShown) {}

  private Line line(Message m, Map<Long, String> names) {
    String from = m.direction() == Message.Direction.IN ? "customer" : m.agentId().isPresent() ? "agent" : "bot";
    return new Line(m.id(), from, m.agentId().map(names::get).orElse(""), m.type(), m.text().orElse(""), m.createdAt().toString(),
        times.time(m.createdAt()));
  }

  /**
   * Answer assist: the knowledge base's answers to the customer's latest words that it is sure enough of to offer, for
   * the agent to take into the reply box. The search runs outside the transaction: it may take the FAQ engine's time.
   */
  private void assist(RoutingContext ctx) {
    AgentSessions.Session session = DeskConsole.session(ctx);
    access.visible(ctx, (c, ticket, me) -> queries.lastWords(c, ticket.conversationId()))
        .compose(latest -> vertx.executeBlocking(() -> suggestions(latest), false)).onSuccess(found -> {
          Map<String, Object> model = DeskPages.model(session);
          model.put("suggestions", found);
          pages.send(ctx, 200, "desk/assist", model);
        }).onFailure(ctx::fail);
  }

  /** An entry offered by answer assist, with the engine's confidence in per cent. */
  public record Suggestion(String entryId, String question, String answer, int confidence) {}

  /**
   * The engine's suggestions, as sure as it must be to offer a customer the closest questions (kb.suggest-threshold,
   * or the model's fitted one): below that the bot offers the customer nothing, and an agent would only have to read
   * past them.
   */
  private List<Suggestion> suggestions(Optional<String> question) {
    if (question.isEmpty()) {
      return List.of();
    }
    try {
      return faq.suggestions(question.get()).stream().limit(SUGGESTIONS)
          .flatMap(candidate -> faq.entry(candidate.entryId()).stream()
              .map(entry -> new Suggestion(entry.id(), entry.question(), entry.answer(), (int) Math.round(candidate.confidence() * 100))))
          .toList();
    } catch (IllegalStateException e) {
      return List.of(); // the knowledge base is not loaded yet
    }
  }
}
