package kefu.desk;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import kefu.conversation.Delivery;
import kefu.ticket.Complaint;
import kefu.ticket.ComplaintRepository;
import kefu.ticket.Ticket;
import kefu.ticket.TicketEvents;

/**
 * The chat pane's complaint form (五清楚) and its 复清楚 button: recording a complaint, reporting a major one at once,
 * and telling the customer the result.
 */
final class ComplaintRoutes {
  /** Each of the complaint's 五清楚 fields; the columns hold 2,000. */
  static final int MAX_FIELD = 2000;

  private final Chats chats;
  private final TicketAccess access;
  private final AfterCommit after;
  private final Delivery delivery;
  private final TicketEvents events;
  private final LocalTimes times;
  private final Clock clock;
  private final ComplaintRepository complaints = new ComplaintRepository();

  ComplaintRoutes(Chats chats, TicketAccess access, AfterCommit after, Delivery delivery, TicketEvents events, LocalTimes times,
      Clock clock) {
    this.chats = chats;
    this.access = access;
    this.after = after;
    this.delivery = delivery;
    this.events = events;
    this.times = times;
    this.clock = clock;
  }

  /** Adds the routes; the console's session and CSRF checks must come first. */
  void routes(Router router) {
    router.post("/desk/tickets/:id/complaint").handler(this::record);
    router.post("/desk/tickets/:id/result").handler(this::tellResult);
  }

  private void record(RoutingContext ctx) {
    Chats.ComplaintForm form = form(new Form(ctx));
    access.followable(ctx, (c, ticket, me) -> {
      // A new promise must be a time to come; the form sends back the one it showed, which may have passed.
      Optional<Instant> promised = complaints.byTicket(c, ticket.id()).flatMap(Complaint::replyDueAt)
          .map(due -> due.truncatedTo(ChronoUnit.MINUTES)); // as the form shows it
      if (form.replyDueAt().filter(due -> due.isBefore(clock.instant()) && !promised.equals(Optional.of(due))).isPresent()) {
        throw new HttpException(400);
      }
      return new Recorded(ticket, chats.recordComplaint(c, ticket, form, clock.instant()));
    }).compose(recorded -> after.run(() -> {
      if (recorded.reported()) {
        delivery.wake();
        events.majorComplaint(recorded.ticket().id());
      }
      events.queueChanged();
      return recorded;
    })).onSuccess(recorded -> DeskPages.redirect(ctx, "/desk/tickets/" + recorded.ticket().id())).onFailure(ctx::fail);
  }

  /** A complaint recorded, and whether it was reported (newly major) just now. */
  private record Recorded(Ticket ticket, boolean reported) {}

  /** The complaint form; 400 unless every field is within bounds. */
  private Chats.ComplaintForm form(Form form) {
    return new Chats.ComplaintForm(form.choice("severity", Complaint.Severity.class), form.text("told", MAX_FIELD),
        form.text("asked", MAX_FIELD), form.text("handling", MAX_FIELD), form.text("result", MAX_FIELD),
        form.dateTime("replyDue").map(times::of));
  }

  private void tellResult(RoutingContext ctx) {
    access.followable(ctx, (c, ticket, me) -> {
      if (!chats.tellResult(c, ticket, me, clock.instant())) {
        throw new HttpException(409);
      }
      return ticket;
    }).compose(after::ticketChanged).onSuccess(ticket -> DeskPages.redirect(ctx, "/desk/tickets/" + ticket.id())).onFailure(ctx::fail);
  }
}
