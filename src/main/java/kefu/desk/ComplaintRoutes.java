package kefu.desk;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kefu.conversation.Delivery;
import kefu.store.Database;
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

  private final Database database;
  private final Chats chats;
  private final TicketAccess access;
  private final AfterCommit after;
  private final Delivery delivery;
  private final TicketEvents events;
  private final ZoneId zone;
  private final Clock clock;
  private final ComplaintRepository complaints = new ComplaintRepository();

  ComplaintRoutes(Database database, Chats chats, TicketAccess access, AfterCommit after, Delivery delivery, TicketEvents events,
      ZoneId zone, Clock clock) {
    this.database = database;
    this.chats = chats;
    this.access = access;
    this.after = after;
    this.delivery = delivery;
    this.events = events;
    this.zone = zone;
    this.clock = clock;
  }

  /** Adds the routes; the console's session and CSRF checks must come first. */
  void routes(Router router) {
    router.post("/desk/tickets/:id/complaint").handler(this::record);
    router.post("/desk/tickets/:id/result").handler(this::tellResult);
  }

  private void record(RoutingContext ctx) {
    Agent me = DeskConsole.session(ctx).agent();
    long id = TicketAccess.ticketId(ctx);
    Optional<Chats.ComplaintForm> form = form(ctx);
    if (form.isEmpty()) {
      ctx.fail(400);
      return;
    }
    database.transaction(c -> {
      Ticket ticket = access.followable(c, id, me);
      // A new promise must be a time to come; the form sends back the one it showed, which may have passed.
      Optional<Instant> promised = complaints.byTicket(c, ticket.id()).flatMap(Complaint::replyDueAt)
          .map(due -> due.truncatedTo(ChronoUnit.MINUTES)); // as the form shows it
      if (form.get().replyDueAt().filter(due -> due.isBefore(clock.instant()) && !promised.equals(Optional.of(due))).isPresent()) {
        throw new HttpException(400);
      }
      return new Recorded(ticket, chats.recordComplaint(c, ticket, form.get(), clock.instant()));
    }).compose(recorded -> after.run(() -> {
      if (recorded.reported()) {
        delivery.wake();
        events.majorComplaint(recorded.ticket().id());
      }
      events.queueChanged();
      return recorded;
    })).onSuccess(recorded -> DeskPages.redirect(ctx, "/desk/tickets/" + id)).onFailure(ctx::fail);
  }

  /** A complaint recorded, and whether it was reported (newly major) just now. */
  private record Recorded(Ticket ticket, boolean reported) {}

  /** The complaint form, if every field is within bounds. */
  private Optional<Chats.ComplaintForm> form(RoutingContext ctx) {
    List<String> fields = new ArrayList<>();
    for (String name : List.of("told", "asked", "handling", "result")) {
      String value = DeskPages.field(ctx, name);
      if (value.length() > MAX_FIELD) {
        return Optional.empty();
      }
      fields.add(value);
    }
    Complaint.Severity severity;
    Optional<Instant> due;
    try {
      severity = Complaint.Severity.valueOf(Optional.ofNullable(ctx.request().getFormAttribute("severity")).orElse("").toUpperCase(Locale.ROOT));
      String dueText = DeskPages.field(ctx, "replyDue");
      due = dueText.isEmpty() ? Optional.empty() : Optional.of(LocalDateTime.parse(dueText).atZone(zone).toInstant());
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return Optional.empty();
    }
    return Optional.of(new Chats.ComplaintForm(severity, fields.get(0), fields.get(1), fields.get(2), fields.get(3), due));
  }

  private void tellResult(RoutingContext ctx) {
    Agent me = DeskConsole.session(ctx).agent();
    long id = TicketAccess.ticketId(ctx);
    database.transaction(c -> {
      Ticket ticket = access.followable(c, id, me);
      if (!chats.tellResult(c, ticket, me, clock.instant())) {
        throw new HttpException(409);
      }
      return ticket;
    }).compose(after::ticketChanged).onSuccess(ticket -> DeskPages.redirect(ctx, "/desk/tickets/" + id)).onFailure(ctx::fail);
  }
}
