package kefu.report;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import kefu.config.KefuConfig;
import kefu.conversation.ConversationRepository;
import kefu.customer.CustomerRepository;
import kefu.desk.Agent;
import kefu.desk.AgentRepository;
import kefu.rating.Rating;
import kefu.rating.RatingRepository;
import kefu.store.Database;
import kefu.template.Templates;
import kefu.ticket.Complaint;
import kefu.ticket.ComplaintRepository;
import kefu.ticket.Ticket;
import kefu.ticket.TicketRepository;

/**
 * A week of a desk with hand-computed results, for the week of Monday 2026-11-16 in Beijing time.
 *
 * <pre>
 * 王芳  1.1 (Mon 00:00, the week's first instant), 1.1 (Sun 23:59), 1.0 (transferred to 李明)  → 3.2/3 = 1.067, 1st
 *       also 0.7 on Sun 11-15 23:59 and 0.7 on Mon 11-23 00:00: outside the week, not counted
 * 李明  1.0 (transferred from 王芳), 1.0, 1.0, 0.9                                              → 3.9/4 = 0.975, 2nd
 * 刘洋  1.0, 1.0, 1.0, 0.9                                                                      → 3.9/4 = 0.975, 2nd (tie)
 * 张伟  1.1, 1.0, 0.8                                                                           → 2.9/3 = 0.967, 4th
 * 赵丽  0.7, 0.8: fewer than 3 ratings, listed apart                                           → 0.750
 * </pre>
 * 15 ratings in the week (the transferred one once), their mean 14.4/15 = 0.960; low scores (≤ 0.8): 3. A major
 * complaint opened Fri 11-20 10:00 with 张伟, still open; a normal one closed.
 */
public final class ReportFixtures {
  public static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
  public static final LocalDate MONDAY = LocalDate.of(2026, 11, 16);
  public static final LocalDate NEXT_MONDAY = LocalDate.of(2026, 11, 23);

  private final TicketRepository tickets = new TicketRepository();
  private final RatingRepository ratings = new RatingRepository();
  private final AtomicInteger customers = new AtomicInteger();

  /** The ids the tests look for. */
  public record Made(long transferredTicket, long openComplaint) {}

  /** The reports of {@code db} in Beijing time, with no manager and no survey. */
  public static Reports reports(Database db, KefuConfig.Report config) {
    return new Reports(db, BEIJING, config, Templates.load(Path.of("templates")), Wordings.EXACT, SurveyDimensions.NONE,
        ManagerLine.NONE);
  }

  /** The computer of reports in Beijing time, ranking from {@code minRatings}. */
  public static ReportComputer computer(int minRatings) {
    return new ReportComputer(BEIJING, minRatings, Wordings.EXACT, SurveyDimensions.NONE);
  }

  public static Instant at(LocalDate day, int hour, int minute) {
    return LocalDateTime.of(day, LocalTime.of(hour, minute)).atZone(BEIJING).toInstant();
  }

  public Made load(Connection c) throws SQLException {
    AgentRepository agents = new AgentRepository();
    Instant hired = at(MONDAY.minusMonths(2), 9, 0);
    long wang = agents.add(c, "wangfang", "王芳", Agent.Role.AGENT, "unused", hired).orElseThrow().id();
    long li = agents.add(c, "liming", "李明", Agent.Role.AGENT, "unused", hired).orElseThrow().id();
    long liu = agents.add(c, "liuyang", "刘洋", Agent.Role.AGENT, "unused", hired).orElseThrow().id();
    long zhang = agents.add(c, "zhangwei", "张伟", Agent.Role.AGENT, "unused", hired).orElseThrow().id();
    long zhao = agents.add(c, "zhaoli", "赵丽", Agent.Role.AGENT, "unused", hired).orElseThrow().id();

    rated(c, wang, at(MONDAY, 0, 0), Rating.VERY_SATISFIED);
    rated(c, wang, at(NEXT_MONDAY.minusDays(1), 23, 59), Rating.VERY_SATISFIED);
    rated(c, wang, at(MONDAY.minusDays(1), 23, 59), Rating.VERY_DISSATISFIED);
    rated(c, wang, at(NEXT_MONDAY, 0, 0), Rating.VERY_DISSATISFIED);
    Instant tuesday = at(MONDAY.plusDays(1), 10, 0);
    Ticket transferred = ticket(c, Ticket.Kind.HANDOFF, tuesday);
    tickets.assign(c, transferred.id(), wang, tuesday);
    tickets.transfer(c, transferred.id(), li, wang, "设备维修", tuesday.plusSeconds(60));
    rate(c, transferred, tuesday.plusSeconds(600), Rating.SATISFIED);

    for (Rating r : new Rating[] {Rating.SATISFIED, Rating.SATISFIED, Rating.NEUTRAL}) {
      rated(c, li, at(MONDAY.plusDays(2), 11, 0), r);
    }
    for (Rating r : new Rating[] {Rating.SATISFIED, Rating.SATISFIED, Rating.SATISFIED, Rating.NEUTRAL}) {
      rated(c, liu, at(MONDAY.plusDays(3), 15, 0), r);
    }
    for (Rating r : new Rating[] {Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.DISSATISFIED}) {
      rated(c, zhang, at(MONDAY.plusDays(4), 16, 0), r);
    }
    rated(c, zhao, at(MONDAY.plusDays(5), 9, 30), Rating.VERY_DISSATISFIED);
    rated(c, zhao, at(MONDAY.plusDays(5), 9, 45), Rating.DISSATISFIED);

    ComplaintRepository complaints = new ComplaintRepository();
    Instant friday = at(MONDAY.plusDays(4), 10, 0);
    Ticket major = ticket(c, Ticket.Kind.COMPLAINT, friday);
    tickets.assign(c, major.id(), zhang, friday);
    complaints.ensure(c, major.id(), friday);
    complaints.record(c, major.id(), Complaint.Severity.MAJOR, "设备修好后又坏了", "", "", "", Optional.empty(), friday);
    Ticket settled = ticket(c, Ticket.Kind.COMPLAINT, friday);
    tickets.assign(c, settled.id(), zhang, friday);
    complaints.ensure(c, settled.id(), friday);
    tickets.close(c, settled.id(), Optional.of(zhang), friday.plusSeconds(3600));
    return new Made(transferred.id(), major.id());
  }

  /** A chat with {@code agent} rated {@code rating} at {@code at}. */
  private void rated(Connection c, long agent, Instant at, Rating rating) throws SQLException {
    Ticket ticket = ticket(c, Ticket.Kind.HANDOFF, at);
    tickets.assign(c, ticket.id(), agent, at);
    rate(c, ticket, at, rating);
  }

  void rate(Connection c, Ticket ticket, Instant at, Rating rating) throws SQLException {
    ratings.add(c, ticket.customerId(), OptionalLong.of(ticket.id()), rating, at);
  }

  Ticket ticket(Connection c, Ticket.Kind kind, Instant at) throws SQLException {
    long customer = new CustomerRepository().findOrCreate(c, "o-report-" + customers.incrementAndGet(), at).id();
    long conversation = new ConversationRepository().openFor(c, customer, "wechat", at).id();
    return tickets.openFor(c, customer, conversation, kind,
        kind == Ticket.Kind.COMPLAINT ? Ticket.Reason.COMPLAINT : Ticket.Reason.ASKED, at);
  }
}
