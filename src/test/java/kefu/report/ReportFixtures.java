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
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.customer.CustomerRepository;
import kefu.desk.Agent;
import kefu.desk.AgentRepository;
import kefu.rating.Rating;
import kefu.rating.RatingRepository;
import kefu.store.Database;
import kefu.store.Sql;
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
 *
 * <p>{@link #loadMore} adds the rest of the week's desk, each figure by hand:
 * <pre>
 * messages   Mon 09:15 in, 09:16 out, 09:40 in; Tue 14:05 in (and Sun 11-15 23:59, Mon 11-23 00:00: outside)
 *            → 4 messages, 3 from customers: hour 9 two, hour 14 one
 * bot        能开发票吗 ✗ Tue, ✗ Wed; 可以开发票吗 ✗ Thu; 几点关门 ✗ Thu; 婚纱照多少钱 answered; 儿童照价格 suggested,
 *            then a person asked for (and 能开发票吗 ✗ Mon 11-23: outside) → 6 questions, 1, 1, 4 fallbacks, 1 handoff
 * complaints two more, closed, told 设备修好后又坏了 and 维修后还是坏的 → with the fixture's: 3 about a repair, 1 not recorded
 * breaches   a reply promised Wed 12:00 kept late; one promised Sat 18:00 not kept by Monday 09:00; a customer offered to
 *            be called back Fri 11:00 → 2 missed replies, 1 long wait
 * follow-ups R1 (member) due Tue, sent at once; R2 (member) due Wed, a call made Sun 09:00 (4 days late), due Thu not
 *            yet; R3 due Fri skipped, due Sat a call still open; R1 due Mon 11-23 (outside)
 *            → due 4, done 2, within 3 days 1, members 2, reached 2
 * </pre>
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

  /** The ids {@link #loadMore} made that tests look for. */
  public record More(long missedReply, long unkeptReply, long longWait) {}

  /** The rest of the week's desk, as the class comment sets out. */
  public More loadMore(Connection c) throws SQLException {
    long customer = new CustomerRepository().findOrCreate(c, "o-report-more", at(MONDAY, 9, 0)).id();
    long conversation = new ConversationRepository().openFor(c, customer, "wechat", at(MONDAY, 9, 15)).id();
    MessageRepository messages = new MessageRepository();
    Object[][] said = {{MONDAY.minusDays(1), 23, 59, Message.Direction.IN}, {MONDAY, 9, 15, Message.Direction.IN},
        {MONDAY, 9, 16, Message.Direction.OUT}, {MONDAY, 9, 40, Message.Direction.IN}, {MONDAY.plusDays(1), 14, 5, Message.Direction.IN},
        {NEXT_MONDAY, 0, 0, Message.Direction.IN}};
    for (Object[] m : said) {
      messages.append(c, new MessageRepository.Draft(conversation, (Message.Direction) m[3], "text", "您好", null),
          at((LocalDate) m[0], (Integer) m[1], (Integer) m[2]));
    }
    asked(c, conversation, "能开发票吗", "fallback", null, at(MONDAY.plusDays(1), 10, 0));
    asked(c, conversation, "能开发票吗", "fallback", null, at(MONDAY.plusDays(2), 10, 0));
    asked(c, conversation, "可以开发票吗", "fallback", null, at(MONDAY.plusDays(3), 10, 0));
    asked(c, conversation, "几点关门", "fallback", null, at(MONDAY.plusDays(3), 11, 0));
    asked(c, conversation, "婚纱照多少钱", "answer", null, at(MONDAY.plusDays(3), 12, 0));
    asked(c, conversation, "儿童照价格", "suggest", "handoff", at(MONDAY.plusDays(3), 13, 0));
    asked(c, conversation, "能开发票吗", "fallback", null, at(NEXT_MONDAY, 0, 0));

    ComplaintRepository complaints = new ComplaintRepository();
    long missed = complaint(c, complaints, "设备修好后又坏了", at(MONDAY.plusDays(2), 9, 0));
    Sql.update(c, "UPDATE complaints SET reply_due_at = ?, breached_at = ? WHERE ticket_id = ?",
        at(MONDAY.plusDays(2), 12, 0), at(MONDAY.plusDays(2), 12, 0), missed);
    long unkept = complaint(c, complaints, "维修后还是坏的", at(MONDAY.plusDays(5), 9, 0));
    Sql.update(c, "UPDATE complaints SET reply_due_at = ? WHERE ticket_id = ?", at(MONDAY.plusDays(5), 18, 0), unkept);
    Ticket waited = ticket(c, Ticket.Kind.HANDOFF, at(MONDAY.plusDays(4), 10, 45));
    Sql.update(c, "UPDATE tickets SET wait_offered_at = ? WHERE id = ?", at(MONDAY.plusDays(4), 11, 0), waited.id());

    long r1 = record(c, "R1", true);
    long r2 = record(c, "R2", true);
    long r3 = record(c, "R3", false);
    step(c, r1, "visit-1", at(MONDAY.plusDays(1), 10, 0), "done", at(MONDAY.plusDays(1), 10, 1), null);
    step(c, r2, "visit-1", at(MONDAY.plusDays(2), 10, 0), "tasked", null, at(NEXT_MONDAY.minusDays(1), 9, 0));
    step(c, r2, "visit-2", at(MONDAY.plusDays(3), 10, 0), "planned", null, null);
    step(c, r3, "visit-1", at(MONDAY.plusDays(4), 10, 0), "skipped", null, null);
    step(c, r3, "visit-2", at(MONDAY.plusDays(5), 10, 0), "tasked", null, null);
    step(c, r1, "visit-2", at(NEXT_MONDAY, 0, 0), "done", at(NEXT_MONDAY, 0, 1), null);
    return new More(missed, unkept, waited.id());
  }

  private static void asked(Connection c, long conversation, String question, String outcome, String followedBy, Instant at)
      throws SQLException {
    Sql.update(c, "INSERT INTO bot_questions (conversation_id, question, outcome, handed_over, followed_by, asked_at)"
        + " VALUES (?, ?, ?, FALSE, ?, ?)", conversation, question, outcome, followedBy, at);
  }

  /** A complaint told {@code told}, opened at {@code at} and closed an hour later. */
  private long complaint(Connection c, ComplaintRepository complaints, String told, Instant at) throws SQLException {
    Ticket ticket = ticket(c, Ticket.Kind.COMPLAINT, at);
    complaints.ensure(c, ticket.id(), at);
    complaints.record(c, ticket.id(), Complaint.Severity.NORMAL, told, "", "", "", Optional.empty(), at);
    tickets.close(c, ticket.id(), Optional.empty(), at.plusSeconds(3600));
    return ticket.id();
  }

  private static long record(Connection c, String reference, boolean member) throws SQLException {
    Instant made = at(MONDAY.minusMonths(1), 9, 0);
    return Sql.insert(c, "INSERT INTO customer_records (reference, line, member, link_code, created_at, updated_at)"
        + " VALUES (?, 'studio', ?, ?, ?, ?)", reference, member, "link-" + reference, made, made);
  }

  /** A follow-up step of {@code record} due at {@code due}; a call task made of it when {@code status} is tasked. */
  private static void step(Connection c, long record, String step, Instant due, String status, Instant finished, Instant called)
      throws SQLException {
    Instant made = at(MONDAY.minusMonths(1), 9, 0);
    long milestone = Sql.one(c, "SELECT id FROM milestones WHERE record_id = ?", row -> row.longValue("id"), record).orElse(0L);
    if (milestone == 0) {
      milestone = Sql.insert(c, "INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at)"
          + " VALUES (?, 'shoot', ?, 'import', ?, ?)", record, MONDAY, made, made);
    }
    long id = Sql.insert(c, "INSERT INTO journey_steps (record_id, milestone_id, plan, step, occurrence, due_at, status,"
        + " finished_at, created_at, updated_at) VALUES (?, ?, 'studio-shoot', ?, 0, ?, ?, ?, ?, ?)",
        record, milestone, step, due, status, finished, made, made);
    if (status.equals("tasked")) {
      LocalDate dueOn = LocalDate.ofInstant(due, BEIJING);
      // The deadline as kefu.journey sets it: the end of the third day after the due date (三天之内).
      Sql.update(c, "INSERT INTO call_tasks (record_id, step_id, due_on, deadline, script, reason, status, done_at, created_at,"
          + " updated_at) VALUES (?, ?, ?, ?, 'journey.call', 'call', ?, ?, ?, ?)", record, id, dueOn,
          dueOn.plusDays(4).atStartOfDay(BEIJING).toInstant(), called == null ? "open" : "done", called, made, made);
    }
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
