package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kefu.TestStore;
import kefu.config.BusinessCalendar;
import kefu.conversation.ConversationRepository;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.customer.CustomerRepository;
import kefu.store.InProcessCoordination;
import kefu.template.Templates;
import kefu.ticket.Complaint;
import kefu.ticket.ComplaintRepository;
import kefu.ticket.Ticket;
import kefu.ticket.TicketClosings;
import kefu.ticket.TicketEvents;
import kefu.ticket.TicketRepository;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The 18:00 digest: made once a working day at the configured time, never before it or on a day off, listing the
 * major complaints still open and the tickets not closed, kept for the console and sent to the manager; and the
 * return visits' complaints, reported to the manager when still open after two working days.
 */
class DigestTest {
  private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
  private static final LocalDate WEDNESDAY = LocalDate.of(2026, 11, 25);
  private static final LocalDate HOLIDAY = LocalDate.of(2026, 11, 26);
  private static final BusinessCalendar CALENDAR = new BusinessCalendar(BEIJING, LocalTime.of(9, 0), LocalTime.of(18, 0),
      EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), Set.of(HOLIDAY), Set.of());

  @TempDir Path dir;

  /** The channel as the digest sees it: what was queued, for whom. */
  private static final class Recorded implements Delivery {
    final List<Long> customers = new ArrayList<>();
    final List<String> texts = new ArrayList<>();

    @Override
    public void queue(Connection c, long customerId, Message message, Instant now) {
      customers.add(customerId);
      texts.add(message.text().orElse(""));
    }

    @Override
    public void queue(Connection c, long customerId, Message message, Route route, Optional<String> templateId, Instant now) {
      queue(c, customerId, message, now);
    }

    @Override
    public void wake() {}

    @Override
    public boolean settle(Connection c, long messageId, boolean resend, Instant now) {
      throw new AssertionError("the digest settles nothing");
    }

    @Override
    public Allowance allowance(Connection c, long customerId, Instant now) {
      return new Allowance(5, Optional.empty());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void madeOnceAWorkingDayAtItsTimeWithTheMajorComplaintsAndOpenTickets(TestStore store) throws Exception {
    Templates templates = Templates.load(Path.of("templates"));
    Recorded sent = new Recorded();
    Chats chats = new Chats(templates, sent, Optional.of("o-manager"), TicketClosings.NONE);
    Digest digest = new Digest(templates, chats, CALENDAR, LocalTime.of(18, 0), Optional.of("o-manager"));
    TicketRepository tickets = new TicketRepository();
    try (TestStore.Open db = store.open(dir)) {
      Instant morning = at(WEDNESDAY, 10, 0);
      long major = db.db().inTransaction(c -> {
        long agent = new AgentRepository().add(c, "wangfang", "王芳", Agent.Role.AGENT, "unused", morning).orElseThrow().id();
        ticket(c, "o-waiting", Ticket.Kind.HANDOFF, morning);
        Ticket complaint = ticket(c, "o-major", Ticket.Kind.COMPLAINT, morning);
        tickets.assign(c, complaint.id(), agent, morning);
        ComplaintRepository complaints = new ComplaintRepository();
        complaints.ensure(c, complaint.id(), morning);
        complaints.record(c, complaint.id(), Complaint.Severity.MAJOR, "拍糊了", "", "", "", Optional.empty(), morning);
        tickets.close(c, ticket(c, "o-done", Ticket.Kind.HANDOFF, morning).id(), Optional.empty(), morning);
        return complaint.id();
      });

      assertThat(make(db, digest, at(WEDNESDAY, 17, 59))).as("before 18:00").isEmpty();
      Optional<String> made = make(db, digest, at(WEDNESDAY, 18, 0));
      assertThat(made).hasValueSatisfying(text -> assertThat(text)
          .contains("【每日汇总 2026-11-25】").contains("重大投诉未结：1 件（#" + major + "）").contains("排队 1、接待中 1、待告知结果 0"));
      assertThat(sent.texts).containsExactly(made.get());
      assertThat(db.db().<Optional<Digest.Made>>inTransaction(Digest::latest)).hasValue(new Digest.Made(WEDNESDAY, made.get()));

      assertThat(make(db, digest, at(WEDNESDAY, 18, 30))).as("made already").isEmpty();
      assertThat(make(db, digest, at(HOLIDAY, 18, 0))).as("a holiday").isEmpty();
      assertThat(make(db, digest, at(LocalDate.of(2026, 11, 28), 18, 0))).as("a Saturday").isEmpty();
      assertThat(make(db, digest, at(LocalDate.of(2026, 11, 27), 18, 0))).as("Friday").isPresent();
    }
  }

  /**
   * 001: a return visit's feedback is answered within one working day and goes to the manager when still unsolved after
   * two — working days of the calendar, so Thursday's holiday and the weekend do not count.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void returnVisitComplaintsAreDueInOneWorkingDayAndGoToTheManagerAfterTwo(TestStore store) throws Exception {
    Templates templates = Templates.load(Path.of("templates"));
    Recorded sent = new Recorded();
    Chats chats = new Chats(templates, sent, Optional.of("o-manager"), TicketClosings.NONE);
    FeedbackComplaints feedback = new FeedbackComplaints(templates, chats, CALENDAR, Optional.of("o-manager"),
        new TicketEvents(new InProcessCoordination()));
    ComplaintRepository complaints = new ComplaintRepository();
    try (TestStore.Open db = store.open(dir)) {
      Instant morning = at(WEDNESDAY, 10, 0);
      long open = db.db().inTransaction(c -> feedback.open(c, new CustomerRepository().findOrCreate(c, "o-feedback", morning).id(),
          "回访满意度调查（维修服务回访）：技术员维修水平：不满意（0.8分）", morning));
      long told = db.db().inTransaction(c -> {
        long ticket = feedback.open(c, new CustomerRepository().findOrCreate(c, "o-told", morning).id(), "回访：上门服务速度：不满意（0.8分）", morning);
        complaints.resultTold(c, ticket, morning);
        return ticket;
      });
      Complaint recorded = db.db().inTransaction(c -> complaints.byTicket(c, open)).orElseThrow();
      assertThat(recorded.told()).isEqualTo("回访满意度调查（维修服务回访）：技术员维修水平：不满意（0.8分）");
      assertThat(recorded.replyDueAt()).as("Thursday is a holiday").hasValue(at(LocalDate.of(2026, 11, 27), 18, 0));
      assertThat(db.db().inTransaction(c -> new TicketRepository().byId(c, open)).orElseThrow().kind()).isEqualTo(Ticket.Kind.COMPLAINT);

      Instant monday = at(LocalDate.of(2026, 11, 30), 18, 0);
      assertThat(db.db().<List<Long>>inTransaction(c -> feedback.escalateDue(c, monday.minusSeconds(60)))).as("not yet").isEmpty();
      assertThat(db.db().<List<Long>>inTransaction(c -> feedback.escalateDue(c, monday))).as("the one still open").containsExactly(open);
      assertThat(db.db().<List<Long>>inTransaction(c -> feedback.escalateDue(c, monday.plusSeconds(60)))).as("reported once").isEmpty();
      assertThat(db.db().inTransaction(c -> complaints.byTicket(c, open)).orElseThrow().severity()).isEqualTo(Complaint.Severity.MAJOR);
      assertThat(db.db().inTransaction(c -> complaints.byTicket(c, told)).orElseThrow().reportedAt()).isEmpty();
      assertThat(sent.texts).containsExactly("【回访反馈超时】工单 #" + open + " 已超过两个工作日仍未解决：回访满意度调查（维修服务回访）："
          + "技术员维修水平：不满意（0.8分） 请尽快在客服工作台查看处理。");
      assertThat(make(db, new Digest(templates, chats, CALENDAR, LocalTime.of(18, 0), Optional.empty()), monday))
          .hasValueSatisfying(text -> assertThat(text).contains("重大投诉未结：1 件（#" + open + "）"));
    }
  }

  private static Optional<String> make(TestStore.Open db, Digest digest, Instant at) throws Exception {
    return db.db().inTransaction(c -> digest.makeIfDue(c, at));
  }

  private static Ticket ticket(Connection c, String openid, Ticket.Kind kind, Instant at) throws SQLException {
    long customer = new CustomerRepository().findOrCreate(c, openid, at).id();
    long conversation = new ConversationRepository().openFor(c, customer, "wechat", at).id();
    return new TicketRepository().openFor(c, customer, conversation, kind,
        kind == Ticket.Kind.COMPLAINT ? Ticket.Reason.COMPLAINT : Ticket.Reason.ASKED, at);
  }

  private static Instant at(LocalDate day, int hour, int minute) {
    return LocalDateTime.of(day, LocalTime.of(hour, minute)).atZone(BEIJING).toInstant();
  }
}
