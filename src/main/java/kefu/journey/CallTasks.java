package kefu.journey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import kefu.config.KefuConfig;
import kefu.store.Row;
import kefu.store.Sql;
import kefu.template.Templates;

/**
 * The calls agents are to make (回访任务), one per step at most: opened by the scheduler, worked through in the
 * console's 今日回访 — listed per agent, taken, reassigned, and closed with their outcome. One agent owns a customer's
 * whole series (000): the first to take a task of the record, or the one a supervisor assigns, gets the record and
 * its open tasks. Every method runs in the caller's transaction.
 */
public final class CallTasks {
  /** Days after its due date within which a task is done in time (三天之内回访完成); still open after them it is overdue. */
  public static final int DAYS_TO_DO = 3;
  /** What a greeting's task shows as its step. */
  static final String GIFT_REMINDER = "gift-reminder";
  /** A call the customer did not answer comes back this much later, the same day, as the manuals ask. */
  static final Duration RETRY_AFTER = Duration.ofHours(1);
  /** The longest notes or feedback an outcome keeps. */
  public static final int MAX_TEXT = 2000;
  /**
   * A gift reminder (004) is the task of a greeting: its plan and the occasion's date stand where a step's would. A
   * company's record (equipment) is called by its contact's name.
   */
  private static final String COLUMNS = "t.id, t.record_id, r.reference, r.line, COALESCE(r.name, r.contact) AS name, r.phone, r.member, r.model,"
      + " COALESCE(s.plan, g.plan) AS plan, COALESCE(s.step, '" + GIFT_REMINDER + "') AS step,"
      + " COALESCE(m.on_date, g.occasion_date) AS on_date, t.owner_agent_id, t.due_on, t.deadline, t.script, t.reason, t.status, t.outcome, t.notes, t.feedback,"
      + " t.attempts, t.retry_at, t.done_by, t.done_at";
  private static final String FROM = " FROM call_tasks t JOIN customer_records r ON r.id = t.record_id"
      + " LEFT JOIN journey_steps s ON s.id = t.step_id LEFT JOIN milestones m ON m.id = s.milestone_id"
      + " LEFT JOIN greetings g ON g.id = t.greeting_id";

  /** How a call went, as the form gives it and {@code call_tasks.outcome} stores it. */
  public enum Outcome {
    REACHED, NOT_REACHED, WRONG_NUMBER, DECLINED;

    public String key() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A call task with what the console shows of it.
   *
   * @param survey whether its step is a survey, whose form is the survey's own page
   * @param script the step's script, filled in for this customer
   * @param reason why it is a call: the step's kind, or the channel's refusals
   * @param deadline the end of the {@link #DAYS_TO_DO}th day after {@code dueOn}
   * @param retryAt when a call not answered may be tried again
   */
  public record Task(long id, long recordId, String reference, String line, Optional<String> name, Optional<String> phone,
      boolean member, String plan, String step, boolean survey, Optional<Long> ownerAgentId, LocalDate dueOn, Instant deadline,
      String script, String reason, String status, Optional<String> outcome, Optional<String> notes, Optional<String> feedback,
      int attempts, Optional<Instant> retryAt, Optional<Long> doneBy, Optional<Instant> doneAt) {

    public boolean open() {
      return status.equals("open");
    }

    /** Still open at the end of its {@link #DAYS_TO_DO} days: shown red and counted for the supervisor. */
    public boolean overdue(Instant now) {
      return open() && !now.isBefore(deadline);
    }

    /** Not answered and not to be tried again yet. */
    public boolean waiting(Instant now) {
      return open() && retryAt.filter(now::isBefore).isPresent();
    }

    @Override
    public String toString() {
      return "CallTask#" + id;
    }
  }

  /** What recording an outcome did. */
  public enum Recorded {
    /** Closed with its outcome. */
    CLOSED,
    /** Not answered: back later today. */
    RETRY,
    /** The customer declined: closed, and the record's pending steps and calls stopped. */
    DECLINED
  }

  private final Plans plans;
  private final Templates templates;
  private final Reasons reasons;
  private final ZoneId zone;
  private final int retries;

  /** @param zone the business's zone, in which due dates and their deadlines fall */
  public CallTasks(Plans plans, Templates templates, KefuConfig.Journey config, ZoneId zone) {
    this.plans = plans;
    this.templates = templates;
    this.reasons = new Reasons(templates);
    this.zone = zone;
    this.retries = config.callRetries();
  }

  /** Opens the call task of step {@code stepId}, due on {@code dueOn}, for {@code owner} (empty: any agent). */
  void open(Connection c, long recordId, long stepId, Optional<Long> owner, LocalDate dueOn, String script, String reason,
      Instant now) throws SQLException {
    Sql.insert(c, "INSERT INTO call_tasks (record_id, step_id, owner_agent_id, due_on, deadline, script, reason, status, created_at,"
        + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)", recordId, stepId, owner, dueOn, deadline(dueOn), script,
        truncate(reason), now, now);
  }

  /** Opens the call task of greeting {@code greetingId} (a gift reminder, 004), due on {@code dueOn}, for {@code owner}. */
  public void openForGreeting(Connection c, long recordId, long greetingId, Optional<Long> owner, LocalDate dueOn, String script,
      String reason, Instant now) throws SQLException {
    Sql.insert(c, "INSERT INTO call_tasks (record_id, greeting_id, owner_agent_id, due_on, deadline, script, reason, status,"
        + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)", recordId, greetingId, owner, dueOn,
        deadline(dueOn), script, truncate(reason), now, now);
  }

  Instant deadline(LocalDate dueOn) {
    return dueOn.plusDays(DAYS_TO_DO + 1L).atStartOfDay(zone).toInstant();
  }

  static String truncate(String text) {
    return text.length() <= 1000 ? text : text.substring(0, 999) + "…";
  }

  /** Whether the customer of the record declined further visits on a call. */
  boolean declined(Connection c, long recordId) throws SQLException {
    return Sql.count(c, "SELECT COUNT(*) FROM call_tasks WHERE record_id = ? AND outcome = 'declined'", recordId) > 0;
  }

  /**
   * The open tasks due by {@code today}: of the agent {@code agentId} and those nobody owns yet, or with
   * {@code agentId} empty every agent's; by due date, overdue first.
   */
  public List<Task> due(Connection c, Optional<Long> agentId, LocalDate today) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + FROM + " WHERE t.status = 'open' AND t.due_on <= ?"
        + (agentId.isPresent() ? " AND (t.owner_agent_id = ? OR t.owner_agent_id IS NULL)" : "")
        + " ORDER BY t.due_on, t.id", this::read, agentId.isPresent() ? new Object[] {today, agentId.get()} : new Object[] {today});
  }

  public Optional<Task> byId(Connection c, long id) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + FROM + " WHERE t.id = ?", this::read, id);
  }

  /** The record's call tasks, open and done, newest first. */
  public List<Task> ofRecord(Connection c, long recordId) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + FROM + " WHERE t.record_id = ? ORDER BY t.due_on DESC, t.id DESC", this::read, recordId);
  }

  /**
   * The agent {@code agentId} takes the task: they own it, and if it is for the record's own agent (its plan's
   * {@code owner: record}) and the record has none yet, the record and its other open tasks nobody owns. False if
   * another agent has it already.
   */
  public boolean take(Connection c, Task task, long agentId, Instant now) throws SQLException {
    if (Sql.update(c, "UPDATE call_tasks SET owner_agent_id = ?, updated_at = ? WHERE id = ? AND status = 'open'"
        + " AND (owner_agent_id IS NULL OR owner_agent_id = ?)", agentId, now, task.id(), agentId) == 0) {
      return false;
    }
    if (forRecordOwner(task) && Sql.update(c, "UPDATE customer_records SET owner_agent_id = ?, updated_at = ? WHERE id = ?"
        + " AND owner_agent_id IS NULL", agentId, now, task.recordId()) == 1) {
      Sql.update(c, "UPDATE call_tasks SET owner_agent_id = ?, updated_at = ? WHERE record_id = ? AND status = 'open'"
          + " AND owner_agent_id IS NULL", agentId, now, task.recordId());
    }
    return true;
  }

  /**
   * A supervisor gives the task to {@code agentId}; a task for the record's own agent takes the whole series with it:
   * the record's owner and every open task of the record.
   */
  public void assign(Connection c, Task task, long agentId, Instant now) throws SQLException {
    if (forRecordOwner(task)) {
      Sql.update(c, "UPDATE customer_records SET owner_agent_id = ?, updated_at = ? WHERE id = ?", agentId, now, task.recordId());
      Sql.update(c, "UPDATE call_tasks SET owner_agent_id = ?, updated_at = ? WHERE record_id = ? AND status = 'open'",
          agentId, now, task.recordId());
    } else {
      Sql.update(c, "UPDATE call_tasks SET owner_agent_id = ?, updated_at = ? WHERE id = ?", agentId, now, task.id());
    }
  }

  private boolean forRecordOwner(Task task) {
    return plans.step(task.plan(), task.step()).map(s -> s.owner() == Plan.Owner.RECORD).orElse(true);
  }

  /**
   * Records how the call by {@code agentId} went; an open task nobody owned becomes theirs (see {@link #take}). Not
   * reached comes back {@link #RETRY_AFTER} later up to {@code journey.call-retries} times, then closes as not
   * reached; declined closes it and stops the record's pending steps and open calls with {@code notes} as the reason.
   *
   * @throws IllegalStateException if the task is no longer open
   */
  public Recorded record(Connection c, Task task, long agentId, Outcome outcome, Optional<String> notes, Optional<String> feedback,
      Instant now) throws SQLException {
    if (!task.open()) {
      throw new IllegalStateException(task + " is " + task.status());
    }
    if (task.ownerAgentId().isEmpty() && !take(c, task, agentId, now)) {
      throw new IllegalStateException(task + " was taken by another agent meanwhile");
    }
    int attempts = task.attempts() + 1;
    if (outcome == Outcome.NOT_REACHED && attempts <= retries) {
      Sql.update(c, "UPDATE call_tasks SET attempts = ?, retry_at = ?, notes = ?, updated_at = ? WHERE id = ? AND status = 'open'",
          attempts, now.plus(RETRY_AFTER), notes.or(task::notes), now, task.id());
      return Recorded.RETRY;
    }
    if (Sql.update(c, "UPDATE call_tasks SET status = 'done', outcome = ?, notes = ?, feedback = ?, attempts = ?, retry_at = NULL,"
        + " done_by = ?, done_at = ?, updated_at = ? WHERE id = ? AND status = 'open'", outcome.key(), notes.or(task::notes), feedback,
        attempts, agentId, now, now, task.id()) == 0) {
      throw new IllegalStateException(task + " was closed meanwhile");
    }
    if (outcome != Outcome.DECLINED) {
      return Recorded.CLOSED;
    }
    String reason = reasons.say("declined-on-call", "task", task.id(), "notes", notes.orElse(""));
    Sql.update(c, "UPDATE journey_steps SET status = 'skipped', reason = ?, finished_at = ?, updated_at = ?"
        + " WHERE record_id = ? AND status = 'planned'", truncate(reason), now, now, task.recordId());
    Sql.update(c, "UPDATE call_tasks SET status = 'cancelled', notes = ?, updated_at = ? WHERE record_id = ? AND status = 'open'",
        truncate(reason), now, task.recordId());
    return Recorded.DECLINED;
  }

  /** How many more times the task comes back if this call is not answered either. */
  public int retriesLeft(Task task) {
    return Math.max(0, retries - task.attempts());
  }

  /** A step of a record as its page lists it. */
  public record Step(long id, String plan, String step, int occurrence, Instant dueAt, String status, Optional<String> channel,
      Optional<String> reason, Optional<Instant> finishedAt) {}

  /** The record's journey steps, by due time. */
  public List<Step> steps(Connection c, long recordId) throws SQLException {
    return Sql.list(c, "SELECT id, plan, step, occurrence, due_at, status, channel, reason, finished_at FROM journey_steps"
        + " WHERE record_id = ? ORDER BY due_at, id", row -> new Step(row.longValue("id"), row.string("plan"), row.string("step"),
        row.integer("occurrence"), row.instant("due_at"), row.string("status"), row.optionalString("channel"), row.optionalString("reason"),
        row.optionalInstant("finished_at")), recordId);
  }

  /** The script filled in; its key if templates/ no longer has it (a plan edited since the task was opened). */
  private String script(String key, Map<String, String> vars) {
    try {
      return templates.render(key, vars);
    } catch (IllegalArgumentException e) {
      return key;
    }
  }

  private Task read(Row row) throws SQLException {
    String plan = row.string("plan");
    String stepKey = row.string("step");
    Optional<Plan.Step> step = plans.step(plan, stepKey);
    String script = script(row.string("script"), Plan.vars(row.optionalString("name"), row.string("reference"),
        row.optionalString("model"), row.date("on_date")));
    return new Task(row.longValue("id"), row.longValue("record_id"), row.string("reference"), row.string("line"), row.optionalString("name"),
        row.optionalString("phone"), row.bool("member"), plan, stepKey, step.map(s -> s.kind() == Plan.Kind.SURVEY).orElse(false),
        row.optionalLong("owner_agent_id"), row.date("due_on"), row.instant("deadline"), script, row.string("reason"),
        row.string("status"), row.optionalString("outcome"), row.optionalString("notes"), row.optionalString("feedback"),
        row.integer("attempts"), row.optionalInstant("retry_at"), row.optionalLong("done_by"), row.optionalInstant("done_at"));
  }
}
