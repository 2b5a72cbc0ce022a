package kefu.desk;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.gaps.GapKind;
import kefu.gaps.GapRepository;
import kefu.kb.Entry;
import kefu.kb.FaqEngine;
import kefu.ticket.Ticket;
import kefu.ticket.TicketEvents;

/** What an agent does in a chat under way: writes to the customer, passes the chat to a colleague, closes it. */
final class ChatActionRoutes {
  /** WeChat takes 2,048 bytes of text in a customer-service message; 600 Chinese characters stay under it. */
  static final int MAX_REPLY = 600;
  /** What the agent taking over reads first; the column holds 500. */
  static final int MAX_NOTE = 200;

  private final Chats chats;
  private final Delivery delivery;
  private final TicketEvents events;
  private final TicketAccess access;
  private final AfterCommit after;
  private final FaqEngine faq;
  private final Clock clock;
  private final AgentRepository agents = new AgentRepository();
  private final DeskQueries queries = new DeskQueries();
  private final GapRepository gaps = new GapRepository();

  ChatActionRoutes(Chats chats, Delivery delivery, TicketEvents events, TicketAccess access, AfterCommit after, FaqEngine faq,
      Clock clock) {
    this.chats = chats;
    this.delivery = delivery;
    this.events = events;
    this.access = access;
    this.after = after;
    this.faq = faq;
    this.clock = clock;
  }

  /** Adds the routes; the console's session and CSRF checks must come first. */
  void routes(Router router) {
    router.post("/desk/tickets/:id/messages").handler(this::write);
    router.post("/desk/tickets/:id/close").handler(this::close);
    router.post("/desk/tickets/:id/transfer").handler(this::transfer);
    router.post("/desk/tickets/:id/settle").handler(this::settle);
  }

  /**
   * An agent settles a message that may not have reached the customer (the transcript marks it): {@code action}
   * resend sends it again, delivered records it as arrived. 409 if someone settled it meanwhile.
   */
  private void settle(RoutingContext ctx) {
    Form form = new Form(ctx);
    long message = form.number("message");
    boolean resend = switch (form.text("action", 16)) {
      case "resend" -> true;
      case "delivered" -> false;
      default -> throw new HttpException(400);
    };
    access.writable(ctx, (c, ticket, me) -> {
      if (!queries.unknownDelivery(c, ticket.conversationId()).contains(message)
          || !delivery.settle(c, message, resend, clock.instant())) {
        throw new HttpException(409);
      }
      return ticket;
    }).compose(ticket -> after.run(() -> {
      delivery.wake();
      events.chatChanged(ticket.conversationId(), ticket.agentId().orElseThrow());
      return ticket;
    })).onSuccess(ticket -> DeskPages.redirect(ctx, "/desk/tickets/" + ticket.id())).onFailure(ctx::fail);
  }

  private void write(RoutingContext ctx) {
    Form form = new Form(ctx);
    String text = form.text("text", 1, MAX_REPLY);
    Optional<String> taboo = chats.taboo(text);
    if (taboo.isPresent() && !form.yes("confirmed")) {
      // A warning, not a ban: the agent may rephrase, or confirm and send it as written.
      ctx.response().setStatusCode(422);
      ctx.json(new JsonObject().put("taboo", taboo.get()));
      return;
    }
    // Only an entry the knowledge base has is recorded as the suggestion taken.
    Optional<Entry> suggestion = form.given("suggestion").flatMap(faq::entry);
    access.writable(ctx, (c, ticket, me) -> {
          Written written = new Written(ticket, chats.write(c, ticket, me, text, suggestion.map(Entry::id), clock.instant()));
          if (suggestion.isPresent()) {
            assisted(c, ticket, suggestion.get(), text);
          }
          return written;
        })
        .compose(written -> after.run(() -> {
          delivery.wake();
          events.chatChanged(written.ticket().conversationId(), written.ticket().agentId().orElseThrow());
          return written;
        })).onSuccess(written -> {
          if (wantsJson(ctx)) {
            ctx.json(new JsonObject().put("message", written.message().id()));
          } else {
            DeskPages.redirect(ctx, "/desk/tickets/" + written.ticket().id());
          }
        }).onFailure(ctx::fail);
  }

  private record Written(Ticket ticket, Message message) {}

  /**
   * The customer's latest words got the knowledge base's answer through an agent, as it was or changed: the bot did
   * not give it, so the question is one the knowledge base lacks a way to ask, or an answer.
   */
  private void assisted(Connection c, Ticket ticket, Entry entry, String text) throws SQLException {
    Optional<String> question = queries.lastWords(c, ticket.conversationId());
    if (question.isPresent()) {
      GapKind kind = text.strip().equals(entry.answer().strip()) ? GapKind.ASSIST_USED : GapKind.ASSIST_CHANGED;
      gaps.add(c, ticket.conversationId(), question.get(), kind, Optional.of(entry.id()), Optional.empty(), clock.instant());
    }
  }

  private static boolean wantsJson(RoutingContext ctx) {
    return Optional.ofNullable(ctx.request().getHeader("Accept")).filter(a -> a.contains("application/json")).isPresent();
  }

  private void close(RoutingContext ctx) {
    access.writable(ctx, (c, ticket, me) -> {
      chats.close(c, ticket, me, clock.instant());
      return ticket;
    }).compose(after::ticketChanged).onSuccess(ticket -> DeskPages.redirect(ctx, "/desk")).onFailure(ctx::fail);
  }

  private void transfer(RoutingContext ctx) {
    Form form = new Form(ctx);
    long to = form.number("to");
    String note = form.text("note", MAX_NOTE);
    access.writable(ctx, (c, ticket, me) -> {
      Agent target = agents.all(c).stream()
          .filter(a -> a.id() == to && a.active() && !ticket.agentId().equals(Optional.of(a.id())))
          .findFirst().orElseThrow(() -> new HttpException(400));
      if (!chats.transfer(c, ticket, me, target, note, clock.instant())) {
        throw new HttpException(409);
      }
      return ticket;
    }).compose(ticket -> after.ticketChanged(ticket, to)).onSuccess(ticket -> DeskPages.redirect(ctx, "/desk")).onFailure(ctx::fail);
  }
}
