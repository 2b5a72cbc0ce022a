package kefu.journey;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kefu.TestConfigs;
import kefu.config.BusinessCalendar;
import kefu.config.KefuConfig;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.customer.CustomerRepository;
import kefu.store.Database;
import kefu.store.Sql;
import kefu.template.Templates;

/**
 * What the journey tests share: customer records and milestones written straight into V15's tables (as the import
 * and the API will), a scheduler on the real plans and templates, and a channel that allows what WeChat would.
 */
final class Journeys {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final Templates TEMPLATES = Templates.load(Path.of("templates"));
  static final Plans SHIPPED = Plans.load(Path.of("templates"), TEMPLATES);

  private Journeys() {}

  /** An instant in Beijing time: {@code at("2026-12-08 10:00")}. */
  static Instant at(String local) {
    return ZonedDateTime.of(LocalDate.parse(local.substring(0, 10)), LocalTime.parse(local.substring(11)), SHANGHAI).toInstant();
  }

  /** The test configuration on {@code db} with {@code calendar} and {@code journey}. */
  static KefuConfig config(Path dir, KefuConfig.Db db, BusinessCalendar calendar, KefuConfig.Journey journey) {
    KefuConfig base = TestConfigs.with(dir, db, Optional.empty());
    return base.withDesk(base.desk().withCalendar(calendar)).withJourney(journey);
  }

  /** Every day a working day, as the sample businesses work. */
  static final BusinessCalendar EVERY_DAY = calendar(EnumSet.allOf(DayOfWeek.class), Set.of(), Set.of());

  /** Working hours 09:00–18:00 on {@code weekdays}, with {@code holidays} and make-up working days (调休). */
  static BusinessCalendar calendar(Set<DayOfWeek> weekdays, Set<LocalDate> holidays, Set<LocalDate> makeUp) {
    return new BusinessCalendar(SHANGHAI, LocalTime.of(9, 0), LocalTime.of(18, 0), weekdays, holidays, makeUp);
  }

  /** {@code config} as the node {@code nodeId}. */
  static KefuConfig node(KefuConfig c, String nodeId) {
    return new KefuConfig(c.mode(), nodeId, c.http(), c.paths(), c.db(), c.redis(), c.kb(), c.wechat(), c.dialog(), c.desk(), c.journey(), c.report());
  }

  static Scheduler scheduler(Vertx vertx, Database db, Plans plans, KefuConfig config, Channel channel) {
    Sender sender = Sender.through(channel, channel.templates);
    return new Scheduler(vertx, db, plans, TEMPLATES, sender, MESSAGE_ONLY, config, Clock.system(SHANGHAI));
  }

  /** Surveys asked in the chat as their step's message alone: the scheduler's tests look at the step, the survey tests at the rest. */
  static final SurveyStart MESSAGE_ONLY = new SurveyStart() {
    @Override
    public Optional<Long> start(Connection c, long recordId, long stepId, long customerId, String survey, Instant now) {
      return Optional.empty();
    }

    @Override
    public void undelivered(Connection c, long stepId, Instant now) {}
  };

  /**
   * WeChat's rule as the outbox applies it: customer-service messages within 48 hours of the customer's last message;
   * what is queued is only counted (the outbox's sending is tested with the channel).
   */
  static final class Channel implements Delivery {
    final boolean templates;
    final CustomerRepository customers = new CustomerRepository();

    Channel(boolean templates) {
      this.templates = templates;
    }

    @Override
    public void queue(Connection c, long customerId, Message message, Instant now) {}

    @Override
    public void queue(Connection c, long customerId, Message message, Route route, Optional<String> templateId, Instant now) {}

    @Override
    public void wake() {}

    @Override
    public boolean settle(Connection c, long messageId, boolean resend, Instant now) {
      return false;
    }

    @Override
    public Allowance allowance(Connection c, long customerId, Instant now) throws SQLException {
      Optional<Instant> closes = customers.reach(c, customerId).flatMap(CustomerRepository.Reach::lastInbound)
          .map(at -> at.plus(Duration.ofHours(48))).filter(now::isBefore);
      return new Allowance(closes.isPresent() ? 5 : 0, closes);
    }
  }

  /** A WeChat follower who last wrote at {@code lastMessage} (empty: never). */
  static long follower(Connection c, String openid, Optional<Instant> lastMessage, boolean following) throws SQLException {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return Sql.insert(c, "INSERT INTO customers (openid, subscribed, last_inbound_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        openid, following, lastMessage, t, t);
  }

  static long agent(Connection c, String login) throws SQLException {
    return Sql.insert(c, "INSERT INTO agents (login, name, role, password_hash, created_at) VALUES (?, ?, 'agent', 'x', ?)",
        login, login, Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** A customer record of {@code line}, linked to {@code customerId} when given. */
  static long record(Connection c, String reference, String line, Optional<Long> customerId, boolean member, Optional<Long> owner)
      throws SQLException {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    return Sql.insert(c, "INSERT INTO customer_records (reference, line, customer_id, name, member, model, owner_agent_id, link_code,"
        + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", reference, line, customerId, "王小姐", member, "夏普AR-2048",
        owner, "q" + reference, t, t);
  }

  static long milestone(Connection c, long recordId, String kind, LocalDate date, Instant now) throws SQLException {
    return Sql.insert(c, "INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at) VALUES (?, ?, ?, 'import', ?, ?)",
        recordId, kind, date, now, now);
  }

  static void moveMilestone(Connection c, long id, LocalDate date, Instant now) throws SQLException {
    Sql.update(c, "UPDATE milestones SET on_date = ?, updated_at = ? WHERE id = ?", date, now, id);
  }

  static void cancelMilestone(Connection c, long id, String reason, Instant now) throws SQLException {
    Sql.update(c, "UPDATE milestones SET cancelled_at = ?, cancel_reason = ?, updated_at = ? WHERE id = ?", now, reason, now, id);
  }

  /** A step as stored. */
  record Step(long id, String plan, String step, int occurrence, Instant dueAt, String status, Optional<String> channel,
      Optional<String> reason, int attempts) {}

  static List<Step> steps(Connection c, long milestoneId) throws SQLException {
    return Sql.list(c, "SELECT id, plan, step, occurrence, due_at, status, channel, reason, attempts FROM journey_steps"
        + " WHERE milestone_id = ? ORDER BY plan, step, occurrence",
        row -> new Step(row.longValue("id"), row.string("plan"), row.string("step"), row.integer("occurrence"), row.instant("due_at"),
            row.string("status"), row.optionalString("channel"), row.optionalString("reason"), row.integer("attempts")), milestoneId);
  }

  /** The messages kept in the customer's conversations, sent to them. */
  static List<String> sentTo(Connection c, long customerId) throws SQLException {
    return Sql.list(c, "SELECT m.text FROM messages m JOIN conversations v ON v.id = m.conversation_id"
        + " WHERE v.customer_id = ? AND m.direction = 'out' ORDER BY m.id", row -> row.string("text"), customerId);
  }

  /** A call task as stored. */
  record Task(long stepId, Optional<Long> owner, LocalDate dueOn, String script, String reason, String status) {}

  static List<Task> tasks(Connection c, long recordId) throws SQLException {
    return Sql.list(c, "SELECT step_id, owner_agent_id, due_on, script, reason, status FROM call_tasks WHERE record_id = ? ORDER BY id",
        row -> new Task(row.longValue("step_id"), row.optionalLong("owner_agent_id"), row.date("due_on"), row.string("script"),
            row.string("reason"), row.string("status")), recordId);
  }
}
