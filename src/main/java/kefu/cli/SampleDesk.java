package kefu.cli;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import kefu.conversation.ConversationRepository;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.customer.CustomerRepository;
import kefu.desk.Agent;
import kefu.desk.AgentRepository;
import kefu.desk.Passwords;
import kefu.rating.Rating;
import kefu.rating.RatingRepository;
import kefu.store.Sql;
import kefu.ticket.Complaint;
import kefu.ticket.ComplaintRepository;
import kefu.ticket.Ticket;
import kefu.ticket.TicketRepository;

/**
 * The sample desk of {@code kefu sample-data}: nine weeks of an equipment desk up to yesterday, dated from the day it is
 * loaded so that last week's and last month's reports always have something to show — agents rated (one too rarely to
 * be ranked, some chats transferred), complaints (two still open, replies promised late, a long wait), the bot's
 * questions (some it could not answer, in other words), repair follow-ups (回访) with members — and the manager, who
 * wrote to the account just now, so that a report made within 48 hours reaches them as a customer-service message.
 * Every name it adds says 示例 and every openid starts {@code o-sample-}, so that sample data is never taken for real.
 */
final class SampleDesk {
  /** The manager's openid: {@code desk.manager-openid} to set for the sample. */
  static final String MANAGER = "o-sample-manager";
  static final String SUPERVISOR = "sample-supervisor";
  static final int DAYS = 63;

  /** An agent of the sample and how their customers rate them: the chance of each level, 非常满意 first. */
  private record Staff(String login, String name, double[] levels, int chatsPerDay) {}

  private static final List<Staff> STAFF = List.of(
      new Staff("sample-wangfang", "王芳（示例）", new double[] {0.55, 0.35, 0.07, 0.03, 0.0}, 3),
      new Staff("sample-liming", "李明（示例）", new double[] {0.40, 0.45, 0.10, 0.05, 0.0}, 3),
      new Staff("sample-liuyang", "刘洋（示例）", new double[] {0.30, 0.45, 0.18, 0.05, 0.02}, 2),
      new Staff("sample-zhangwei", "张伟（示例）", new double[] {0.20, 0.45, 0.20, 0.10, 0.05}, 2),
      new Staff("sample-chenjing", "陈静（示例）", new double[] {0.35, 0.40, 0.15, 0.07, 0.03}, 2),
      // New this month: rated once or twice a week, fewer than report.min-ratings, so listed apart.
      new Staff("sample-zhaoli", "赵丽（示例）", new double[] {0.30, 0.40, 0.20, 0.10, 0.0}, 0));

  private static final String[] CHATS = {"打印机卡纸了，取不出来", "复印机显示缺粉，硒鼓怎么换", "上周修好的打印机又有条纹了",
      "想预约技术员上门保养", "扫描的文件是空白的", "这台机器还在保修期内吗"};
  private static final String[] REPLIES = {"您好，请您提供一下机身号，我帮您查询。", "好的，已为您登记，技术员会尽快与您联系。",
      "请您先关机再重新开机试一下，如仍有问题我们安排上门。", "感谢您的耐心等待，问题已经处理好了。"};
  private static final String[] ANSWERED = {"保修期多久", "怎么预约上门维修", "你们几点上班", "硒鼓多少钱", "怎么查维修进度"};
  /** What the bot could not answer, said in several ways, for the report's most frequent unanswered questions. */
  private static final String[] UNANSWERED = {"能开增值税专用发票吗", "可以开专票吗", "发票怎么开", "周末可以上门维修吗",
      "星期天能上门吗", "能不能分期付款"};
  /** The rating questions of templates/surveys/repair.yaml. */
  private static final String[] SURVEY = {"call-taker-attitude", "arrival-speed", "technician-attitude", "technician-skill", "overall"};
  private static final String[] TOLD = {"维修后还是坏的", "设备修好后又坏了", "上门时间一再推迟", "技术员迟到了两个小时", "客服回复太慢"};

  private final AgentRepository agents = new AgentRepository();
  private final CustomerRepository customers = new CustomerRepository();
  private final ConversationRepository conversations = new ConversationRepository();
  private final MessageRepository messages = new MessageRepository();
  private final TicketRepository tickets = new TicketRepository();
  private final ComplaintRepository complaints = new ComplaintRepository();
  private final RatingRepository ratings = new RatingRepository();
  private final ZoneId zone;
  private final Instant now;
  private final LocalDate today;
  private final Random random = new Random(23);
  private int customer;
  private int record;

  /** What was loaded, as the command tells it. */
  record Loaded(String password, LocalDate first, LocalDate last, int tickets, int ratings, int complaints, int questions,
      int visits) {}

  SampleDesk(ZoneId zone, Instant now) {
    this.zone = zone;
    this.now = now;
    this.today = LocalDate.ofInstant(now, zone);
  }

  /** Whether the database is new: no user, customer, customer record or report yet. */
  static boolean isNew(Connection c) throws SQLException {
    return Sql.count(c, "SELECT (SELECT COUNT(*) FROM agents) + (SELECT COUNT(*) FROM customers)"
        + " + (SELECT COUNT(*) FROM customer_records) + (SELECT COUNT(*) FROM reports)") == 0;
  }

  /** Loads the sample desk in {@code c}'s transaction: what went in, and the supervisor's password, made up now. */
  Loaded load(Connection c) throws SQLException {
    Passwords passwords = new Passwords();
    String password = password();
    Instant hired = at(today.minusDays(DAYS + 30), LocalTime.of(9, 0));
    agents.add(c, SUPERVISOR, "示例主管", Agent.Role.SUPERVISOR, passwords.hash(password), hired).orElseThrow();
    List<Long> staff = new ArrayList<>();
    // Nobody knows this password: the sample's agents are there to be ranked, not to log in.
    String nobodys = passwords.hash(password());
    for (Staff s : STAFF) {
      staff.add(agents.add(c, s.login(), s.name(), Agent.Role.AGENT, nobodys, hired).orElseThrow().id());
    }
    int[] counts = new int[5];
    LocalDate first = today.minusDays(DAYS);
    for (LocalDate day = first; day.isBefore(today); day = day.plusDays(1)) {
      for (int a = 0; a < STAFF.size(); a++) {
        // The newcomer serves one chat on Tuesdays and, every other week, one on Fridays.
        int chats = STAFF.get(a).chatsPerDay() > 0 ? 1 + random.nextInt(STAFF.get(a).chatsPerDay())
            : day.getDayOfWeek().getValue() == 2 || day.getDayOfWeek().getValue() == 5 && day.getDayOfYear() % 2 == 0 ? 1 : 0;
        for (int i = 0; i < chats; i++) {
          counts[1] += chat(c, day, staff, a) ? 1 : 0;
          counts[0]++;
        }
      }
      counts[3] += botDay(c, day);
      counts[4] += visits(c, day, staff);
      if (day.getDayOfYear() % 3 == 0) {
        complaint(c, day, staff, false);
        counts[2]++;
        counts[0]++;
      }
    }
    // Two complaints still open: a major one from three days ago, and one whose promised reply came and went.
    complaint(c, today.minusDays(3), staff, true);
    complaint(c, today.minusDays(2), staff, true);
    counts[2] += 2;
    counts[0] += 2;
    manager(c);
    return new Loaded(password, first, today.minusDays(1), counts[0], counts[1], counts[2], counts[3], counts[4]);
  }

  /** A chat handed to agent {@code a}, sometimes transferred to a colleague, closed and, mostly, rated. */
  private boolean chat(Connection c, LocalDate day, List<Long> staff, int a) throws SQLException {
    Instant at = daytime(day);
    Started s = start(c, at, CHATS[random.nextInt(CHATS.length)]);
    if (random.nextInt(3) == 0) {
      asked(c, s.conversation(), UNANSWERED[random.nextInt(UNANSWERED.length)], "fallback", "handoff", at.plusSeconds(20));
    }
    Ticket ticket = tickets.openFor(c, s.customer(), s.conversation(), Ticket.Kind.HANDOFF, Ticket.Reason.ASKED, at.plusSeconds(30));
    long agent = staff.get(a);
    if (random.nextInt(30) == 0) {
      // A customer who waited past desk.max-wait before an agent was free.
      Sql.update(c, "UPDATE tickets SET wait_offered_at = ? WHERE id = ?", at.plusSeconds(60), ticket.id());
    }
    tickets.assign(c, ticket.id(), agent, at.plusSeconds(90));
    reply(c, s.conversation(), agent, REPLIES[random.nextInt(REPLIES.length)], at.plusSeconds(120));
    say(c, s.conversation(), Message.Direction.IN, "好的", at.plusSeconds(240));
    if (random.nextInt(8) == 0) {
      long colleague = staff.get((a + 1 + random.nextInt(staff.size() - 2)) % (staff.size() - 1));
      tickets.transfer(c, ticket.id(), colleague, agent, "需要技术同事协助", at.plusSeconds(300));
      agent = colleague;
    }
    reply(c, s.conversation(), agent, REPLIES[3], at.plusSeconds(600));
    Instant closed = at.plusSeconds(660);
    tickets.close(c, ticket.id(), Optional.of(agent), closed);
    conversations.close(c, s.conversation(), closed);
    // One customer in ten does not rate; the newcomer's few customers all do, so that she is listed apart, not missing.
    if (STAFF.get(a).chatsPerDay() > 0 && random.nextInt(10) == 0) {
      return false;
    }
    ratings.add(c, s.customer(), OptionalLong.of(ticket.id()), level(STAFF.get(a).levels()), closed.plusSeconds(40));
    return true;
  }

  /** A complaint: closed the same day, or still open (its result not yet told) with its reply promised. */
  private void complaint(Connection c, LocalDate day, List<Long> staff, boolean open) throws SQLException {
    Instant at = daytime(day);
    String told = TOLD[random.nextInt(TOLD.length)];
    Started s = start(c, at, "我要投诉，" + told);
    Ticket ticket = tickets.openFor(c, s.customer(), s.conversation(), Ticket.Kind.COMPLAINT, Ticket.Reason.COMPLAINT, at.plusSeconds(10));
    long agent = staff.get(3 + random.nextInt(2));
    tickets.assign(c, ticket.id(), agent, at.plusSeconds(120));
    complaints.ensure(c, ticket.id(), at.plusSeconds(120));
    boolean major = open && day.equals(today.minusDays(3));
    Instant promised = at.plusSeconds(4 * 3600);
    complaints.record(c, ticket.id(), major ? Complaint.Severity.MAJOR : Complaint.Severity.NORMAL, told, "尽快上门重新检修",
        "已安排技术员回访检修", open ? "" : "客户表示满意", Optional.of(promised), at.plusSeconds(600));
    if (major) {
      Sql.update(c, "UPDATE complaints SET reported_at = ? WHERE ticket_id = ?", at.plusSeconds(600), ticket.id());
    }
    if (open) {
      // The chat ended before the customer was told the result (待告知结果); one promised reply was missed.
      if (!major) {
        Sql.update(c, "UPDATE complaints SET breached_at = ? WHERE ticket_id = ?", promised, ticket.id());
      }
      tickets.resolve(c, ticket.id(), Optional.of(agent), at.plusSeconds(900));
    } else {
      complaints.replied(c, ticket.id(), at.plusSeconds(1800));
      complaints.resultTold(c, ticket.id(), at.plusSeconds(3600));
      tickets.close(c, ticket.id(), Optional.of(agent), at.plusSeconds(3600));
    }
    conversations.close(c, s.conversation(), at.plusSeconds(900));
  }

  /** The day's questions the bot answered, suggested answers to, or could not answer. */
  private int botDay(Connection c, LocalDate day) throws SQLException {
    int questions = 6 + random.nextInt(8);
    for (int q = 0; q < questions; q++) {
      Instant at = daytime(day);
      int kind = random.nextInt(10);
      String question = kind < 7 ? ANSWERED[random.nextInt(ANSWERED.length)] : UNANSWERED[random.nextInt(UNANSWERED.length)];
      Started s = start(c, at, question);
      asked(c, s.conversation(), question, kind < 6 ? "answer" : kind < 7 ? "suggest" : "fallback", null, at);
      say(c, s.conversation(), Message.Direction.OUT, kind < 7 ? "您好，这是为您找到的答案。" : "抱歉，这个问题我暂时无法回答。",
          at.plusSeconds(2));
      conversations.close(c, s.conversation(), at.plusSeconds(1800));
    }
    return questions;
  }

  /**
   * The day's repair follow-ups of the plan {@code equipment-repair} (the day after each repair, at 10:00): most sent in
   * the chat, some called (late, some not yet), an occasional one skipped; about half the customers are members.
   */
  private int visits(Connection c, LocalDate day, List<Long> staff) throws SQLException {
    int due = 1 + random.nextInt(3);
    for (int v = 0; v < due; v++) {
      Instant made = at(day.minusDays(1), LocalTime.of(17, 0));
      String reference = String.format("SAMPLE-WX%05d", ++record);
      int owner = random.nextInt(5);
      long id = Sql.insert(c, "INSERT INTO customer_records (reference, line, name, member, owner_agent_id, link_code, created_at,"
          + " updated_at) VALUES (?, 'equipment', ?, ?, ?, ?, ?, ?)", reference, "示例客户" + record, random.nextBoolean(),
          staff.get(owner), "sample-" + record, made, made);
      long milestone = Sql.insert(c, "INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at)"
          + " VALUES (?, 'repair_closed', ?, 'import', ?, ?)", id, day.minusDays(1), made, made);
      Instant dueAt = at(day, LocalTime.of(10, 0));
      int how = random.nextInt(10);
      String status = how < 6 ? "done" : how < 9 ? "tasked" : "skipped";
      long step = Sql.insert(c, "INSERT INTO journey_steps (record_id, milestone_id, plan, step, occurrence, due_at, status, channel,"
          + " finished_at, created_at, updated_at) VALUES (?, ?, 'equipment-repair', 'survey', 0, ?, ?, ?, ?, ?, ?)", id, milestone,
          dueAt, status, how < 6 ? "service" : how < 9 ? "call_task" : null, how < 9 ? dueAt.plusSeconds(60) : null, made, made);
      if (status.equals("done")) {
        survey(c, id, step, staff.get(owner), STAFF.get(owner).levels(), dueAt.plusSeconds(300));
      }
      if (status.equals("tasked")) {
        // Called within the three days as the manual asks, or later; the last days' calls still open.
        int late = random.nextInt(6);
        LocalDate calledOn = day.plusDays(late);
        boolean open = !calledOn.isBefore(today);
        Sql.update(c, "INSERT INTO call_tasks (record_id, step_id, owner_agent_id, due_on, deadline, script, reason, status, outcome,"
            + " attempts, done_by, done_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'journey.equipment.repair-call', 'survey', ?,"
            + " ?, ?, ?, ?, ?, ?)", id, step, staff.get(owner), day, at(day.plusDays(4), LocalTime.MIDNIGHT), open ? "open" : "done",
            open ? null : late % 4 == 3 ? "not_reached" : "reached", open ? 0 : 1, open ? null : staff.get(owner),
            open ? null : at(calledOn, LocalTime.of(15, 0)), dueAt, dueAt);
      }
    }
    return due;
  }

  /** The repair survey answered in the chat, its ratings much as the record's owner is rated. */
  private void survey(Connection c, long record, long step, long owner, double[] levels, Instant at) throws SQLException {
    long run = Sql.insert(c, "INSERT INTO survey_runs (record_id, step_id, survey, channel, status, position, agent_id, started_at,"
        + " ended_at, updated_at) VALUES (?, ?, 'repair', 'wechat', 'done', ?, ?, ?, ?, ?)", record, step, SURVEY.length, owner, at,
        at.plusSeconds(120), at.plusSeconds(120));
    for (int q = 0; q < SURVEY.length; q++) {
      Rating rating = level(levels);
      Sql.update(c, "INSERT INTO survey_answers (run_id, question, level, score, answered_at) VALUES (?, ?, ?, ?, ?)", run,
          SURVEY[q], rating.level(), rating.score(), at.plusSeconds(20L * (q + 1)));
    }
  }

  /**
   * The manager of the sample, who wrote to the account just now: WeChat's 48-hour window is open. Only the time is
   * kept, not a message, which the bot would otherwise answer at start as one left unanswered by a stop.
   */
  private void manager(Connection c) throws SQLException {
    long id = customers.findOrCreate(c, MANAGER, now).id();
    Sql.update(c, "UPDATE customers SET name = ?, subscribed = TRUE, last_inbound_at = ? WHERE id = ?", "示例店长", now, id);
  }

  private record Started(long customer, long conversation) {}

  /** A new sample customer's conversation, opened with {@code said} at {@code at}. */
  private Started start(Connection c, Instant at, String said) throws SQLException {
    long id = customers.findOrCreate(c, "o-sample-" + ++customer, at).id();
    long conversation = conversations.openFor(c, id, "wechat", at).id();
    say(c, conversation, Message.Direction.IN, said, at);
    return new Started(id, conversation);
  }

  private void say(Connection c, long conversation, Message.Direction direction, String text, Instant at) throws SQLException {
    messages.append(c, new MessageRepository.Draft(conversation, direction, "text", text, null), at);
  }

  /** A reply of the agent {@code agent} in the chat. */
  private void reply(Connection c, long conversation, long agent, String text, Instant at) throws SQLException {
    messages.append(c, new MessageRepository.Draft(conversation, Message.Direction.OUT, "text", text, null, agent), at);
  }

  private static void asked(Connection c, long conversation, String question, String outcome, String followedBy, Instant at)
      throws SQLException {
    Sql.update(c, "INSERT INTO bot_questions (conversation_id, question, outcome, handed_over, followed_by, asked_at)"
        + " VALUES (?, ?, ?, ?, ?, ?)", conversation, question, outcome, followedBy != null, followedBy, at);
  }

  private Rating level(double[] chances) {
    double roll = random.nextDouble();
    for (int level = 1; level <= chances.length; level++) {
      roll -= chances[level - 1];
      if (roll < 0) {
        return Rating.ofLevel(level);
      }
    }
    return Rating.ofLevel(chances.length);
  }

  /** A time of {@code day} as a desk's customers write: 08:30 to 21:30, most in office hours. */
  private Instant daytime(LocalDate day) {
    int minute = random.nextInt(4) == 0 ? 510 + random.nextInt(780) : 540 + random.nextInt(540);
    return at(day, LocalTime.ofSecondOfDay(minute * 60L));
  }

  private Instant at(LocalDate day, LocalTime time) {
    return day.atTime(time).atZone(zone).toInstant();
  }

  private static String password() {
    byte[] bytes = new byte[12];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
