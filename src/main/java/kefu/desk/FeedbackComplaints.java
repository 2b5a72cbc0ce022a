package kefu.desk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.config.BusinessCalendar;
import kefu.conversation.Conversation;
import kefu.conversation.ConversationRepository;
import kefu.customer.CustomerRepository;
import kefu.template.Templates;
import kefu.ticket.ComplaintRepository;
import kefu.ticket.Ticket;
import kefu.ticket.TicketEvents;
import kefu.ticket.TicketRepository;

/**
 * Complaints from return visits (回访反馈, 001): a low survey score or a flagged comment opens a complaint ticket in the
 * queue that must be answered within one working day (by the end of the next working day's hours) and, still open
 * after two, goes to the manager as a major complaint — through the desk's complaint form, digest and alerts.
 */
public final class FeedbackComplaints {
  private final Templates templates;
  private final Chats chats;
  private final BusinessCalendar calendar;
  private final Optional<String> managerOpenid;
  private final TicketEvents events;
  private final TicketRepository tickets = new TicketRepository();
  private final ComplaintRepository complaints = new ComplaintRepository();
  private final ConversationRepository conversations = new ConversationRepository();

  FeedbackComplaints(Templates templates, Chats chats, BusinessCalendar calendar, Optional<String> managerOpenid, TicketEvents events) {
    this.templates = templates.require(List.of("manager.feedback-overdue"));
    this.chats = chats;
    this.calendar = calendar;
    this.managerOpenid = managerOpenid;
    this.events = events;
  }

  /**
   * Opens the customer's complaint ticket (or joins the one open) with {@code told}, in the caller's transaction; its
   * id. Call {@link #opened} once committed.
   */
  public long open(Connection c, long customerId, String told, Instant now) throws SQLException {
    // Locked, as the dialogue does, so that a turn of the same customer meanwhile finds this ticket rather than opening another.
    CustomerRepository.lock(c, customerId);
    long conversationId = conversations.openFor(c, customerId, Conversation.WECHAT_INBOX, now).id();
    Ticket ticket = tickets.openFor(c, customerId, conversationId, Ticket.Kind.COMPLAINT, Ticket.Reason.COMPLAINT, now);
    tickets.markComplaint(c, ticket.id(), now);
    complaints.followUp(c, ticket.id(), told, afterWorkingDays(now, 1), afterWorkingDays(now, 2), now);
    return ticket.id();
  }

  /** The consoles hear of a complaint opened. */
  public void opened() {
    events.queueChanged();
  }

  /**
   * Reports to the manager the return-visit complaints still open two working days after they were opened: major
   * now, and the manager told on WeChat (if configured); the tickets reported. Call {@link #reported} once committed.
   */
  List<Long> escalateDue(Connection c, Instant now) throws SQLException {
    List<Long> reported = new ArrayList<>();
    for (ComplaintRepository.Escalation due : complaints.dueForEscalation(c, now)) {
      if (complaints.escalated(c, due.ticketId(), now)) {
        if (managerOpenid.isPresent()) {
          chats.tellManager(c, managerOpenid.get(), templates.render("manager.feedback-overdue",
              Map.of("ticket", due.ticketId(), "told", due.told())), now);
        }
        reported.add(due.ticketId());
      }
    }
    return reported;
  }

  /** The supervisors' consoles are alerted of each ticket reported, as of a major complaint. */
  void reported(List<Long> ticketIds) {
    ticketIds.forEach(events::majorComplaint);
  }

  /** The end of the working hours of the {@code days}-th working day after {@code from}'s day. */
  Instant afterWorkingDays(Instant from, int days) {
    LocalDate day = from.atZone(calendar.zone()).toLocalDate();
    for (int left = days; left > 0;) {
      day = day.plusDays(1);
      if (calendar.isWorkday(day)) {
        left--;
      }
    }
    // To the minute, as times are shown and kept (a calendar open all day closes at 23:59:59.999…).
    return day.atTime(calendar.closes().truncatedTo(ChronoUnit.MINUTES)).atZone(calendar.zone()).toInstant();
  }
}
