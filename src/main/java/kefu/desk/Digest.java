package kefu.desk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import kefu.config.BusinessCalendar;
import kefu.store.Sql;
import kefu.template.Templates;
import kefu.ticket.Complaint;
import kefu.ticket.ComplaintRepository;
import kefu.ticket.Ticket;
import kefu.ticket.TicketRepository;

/**
 * The day's digest for supervisors (每日18:00前报告): major complaints still open, tickets still open, and the day's
 * breaches of promised reply times. Made once a working day at {@code desk.digest-at}, kept for the supervisors'
 * console and sent to the manager on WeChat; runs in the caller's transaction.
 */
public final class Digest {
  static final List<String> TEMPLATE_KEYS = List.of("manager.digest", "manager.digest-major");

  private final Templates templates;
  private final Chats chats;
  private final BusinessCalendar calendar;
  private final LocalTime at;
  private final Optional<String> managerOpenid;
  private final TicketRepository tickets = new TicketRepository();
  private final ComplaintRepository complaints = new ComplaintRepository();

  public Digest(Templates templates, Chats chats, BusinessCalendar calendar, LocalTime at, Optional<String> managerOpenid) {
    this.templates = templates.require(TEMPLATE_KEYS);
    this.chats = chats;
    this.calendar = calendar;
    this.at = at;
    this.managerOpenid = managerOpenid;
  }

  /** Makes today's digest if it is due at {@code now} and was not made yet; its text if made now. */
  public Optional<String> makeIfDue(Connection c, Instant now) throws SQLException {
    ZonedDateTime local = now.atZone(calendar.zone());
    LocalDate today = local.toLocalDate();
    if (!calendar.isWorkday(today) || local.toLocalTime().isBefore(at) || latest(c).filter(d -> d.day().equals(today)).isPresent()) {
      return Optional.empty();
    }
    List<Complaint> open = complaints.open(c);
    List<Complaint> major = open.stream().filter(p -> p.severity() == Complaint.Severity.MAJOR).toList();
    Map<Ticket.Status, Integer> byStatus = tickets.unclosedByStatus(c);
    String text = templates.render("manager.digest", Map.of(
        "date", today.toString(),
        "major", major.size(),
        "majorList", major.isEmpty() ? "" : templates.render("manager.digest-major", Map.of("tickets",
            major.stream().map(p -> "#" + p.ticketId()).collect(Collectors.joining("、")))),
        "complaints", open.size(),
        "waiting", byStatus.getOrDefault(Ticket.Status.WAITING, 0),
        "assigned", byStatus.getOrDefault(Ticket.Status.ASSIGNED, 0),
        "resolved", byStatus.getOrDefault(Ticket.Status.RESOLVED, 0),
        "breaches", complaints.breachesSince(c, today.atStartOfDay(calendar.zone()).toInstant(), now)));
    // The day is the key: a second node making it at the same moment fails here, and its transaction rolls back.
    Sql.update(c, "INSERT INTO digests (made_on, body, created_at) VALUES (?, ?, ?)", today, text, now);
    if (managerOpenid.isPresent()) {
      chats.tellManager(c, managerOpenid.get(), text, now);
    }
    return Optional.of(text);
  }

  /** A digest as kept for the console. */
  public record Made(LocalDate day, String text) {}

  /** The latest digest made. */
  public static Optional<Made> latest(Connection c) throws SQLException {
    return Sql.one(c, "SELECT made_on, body FROM digests ORDER BY made_on DESC FETCH FIRST 1 ROWS ONLY",
        row -> new Made(row.date("made_on"), row.string("body")));
  }
}
