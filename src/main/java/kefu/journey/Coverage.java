package kefu.journey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import kefu.store.Sql;

/**
 * The manuals' 三个必保 in figures, per plan and step, over the steps due in a period: how many were due, done, done
 * within {@link CallTasks#DAYS_TO_DO} days, by whom; the coverage of member customers (100 % is the goal) with the
 * members still missing; and the visits recorded incompletely. Runs in the caller's transaction.
 *
 * <p>A step is due unless a condition or its milestone's cancellation ruled it out (skipped, cancelled, or its call
 * stopped because the customer declined). It is done once its message went, or its call reached the customer
 * (declining further visits is an answer too); a call closed as not reached or as a wrong number failed. A visit is
 * incomplete when its call was closed without notes, or is overdue without an outcome.
 */
public final class Coverage {
  /** The days the figures on {@code /metrics} and the page's default period cover, up to today. */
  public static final int WINDOW_DAYS = 30;
  /** The most missing members one reading lists. */
  static final int MOST_MISSING = 200;

  private static final String DUE = "(s.status NOT IN ('cancelled', 'skipped') AND (t.status IS NULL OR t.status <> 'cancelled'))";
  /** Never unknown (SQL's NULL) when the step has no call task, so that NOT DONE means not done. */
  private static final String DONE = "(s.status = 'done' OR (t.id IS NOT NULL AND t.status = 'done' AND t.outcome IN ('reached', 'declined')))";
  private static final String IN_TIME = "((s.status = 'done' AND s.finished_at <= s.due_at + INTERVAL '" + CallTasks.DAYS_TO_DO + "' DAY)"
      + " OR (t.status = 'done' AND t.outcome IN ('reached', 'declined') AND t.done_at < t.deadline))";
  private static final String FAILED = "(t.status = 'done' AND t.outcome IN ('not_reached', 'wrong_number'))";
  private static final String OVERDUE = "(t.status = 'open' AND t.deadline <= ?)";
  private static final String FROM = " FROM journey_steps s JOIN customer_records r ON r.id = s.record_id"
      + " LEFT JOIN call_tasks t ON t.step_id = s.id WHERE s.due_at >= ? AND s.due_at < ?";

  /**
   * The figures of one step of one plan (or of all, in {@link Figures#total()}).
   *
   * @param messages done as a WeChat message rather than a call
   * @param failed calls closed as not reached or a wrong number
   * @param skipped ruled out by a condition, a cancelled milestone or the customer declining
   */
  public record Row(String plan, String step, int due, int done, int inTime, int messages, int failed, int overdue, int skipped,
      int membersDue, int membersDone, int incomplete) {

    /** Due but neither done nor failed yet. */
    public int open() {
      return due - done - failed;
    }

    /** The member customers' steps done, in whole per cent; 100 when none was due. */
    public int memberCoverage() {
      return membersDue == 0 ? 100 : (int) Math.floor(membersDone * 100.0 / membersDue);
    }

    Row plus(Row other) {
      return new Row(plan, step, due + other.due, done + other.done, inTime + other.inTime, messages + other.messages,
          failed + other.failed, overdue + other.overdue, skipped + other.skipped, membersDue + other.membersDue,
          membersDone + other.membersDone, incomplete + other.incomplete);
    }
  }

  /** Calls of a step closed by one agent, whatever their outcome. */
  public record ByWhom(String plan, String step, long agentId, int calls) {}

  /**
   * A member customer's step due and not done.
   *
   * @param state planned (not yet at its time), open, overdue, not_reached or wrong_number
   */
  public record Missing(long recordId, String reference, Optional<String> name, String plan, String step, Instant dueAt, String state) {}

  /** The figures of the steps due from {@code from} to {@code to}, both included. */
  public record Figures(LocalDate from, LocalDate to, List<Row> rows, Row total, List<ByWhom> byWhom, List<Missing> missing) {}

  private final ZoneId zone;

  public Coverage(ZoneId zone) {
    this.zone = zone;
  }

  /** The figures of the steps due on the days {@code from} to {@code to} (both included), as they stand at {@code now}. */
  public Figures of(Connection c, LocalDate from, LocalDate to, Instant now) throws SQLException {
    Instant start = from.atStartOfDay(zone).toInstant();
    Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
    List<Row> rows = Sql.list(c, "SELECT s.plan, s.step, " + sum(DUE) + " AS due, " + sum(DUE + " AND " + DONE) + " AS done, "
        + sum(DUE + " AND " + IN_TIME) + " AS in_time, " + sum("s.status = 'done'") + " AS messages, " + sum(DUE + " AND " + FAILED)
        + " AS failed, " + sum(OVERDUE) + " AS overdue, " + sum("NOT " + DUE + " AND s.status <> 'cancelled'") + " AS skipped, "
        + sum("r.member = TRUE AND " + DUE) + " AS members_due, " + sum("r.member = TRUE AND " + DUE + " AND " + DONE) + " AS members_done, "
        + sum("(t.status = 'done' AND (t.notes IS NULL OR t.notes = '')) OR " + OVERDUE) + " AS incomplete"
        + FROM + " GROUP BY s.plan, s.step ORDER BY s.plan, s.step",
        row -> new Row(row.string("plan"), row.string("step"), row.integer("due"), row.integer("done"), row.integer("in_time"),
            row.integer("messages"), row.integer("failed"), row.integer("overdue"), row.integer("skipped"), row.integer("members_due"),
            row.integer("members_done"), row.integer("incomplete")), now, now, start, end);
    Row total = rows.stream().reduce(new Row("", "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), Row::plus);
    List<ByWhom> byWhom = Sql.list(c, "SELECT s.plan, s.step, t.done_by, COUNT(*) AS calls" + FROM
        + " AND t.status = 'done' AND t.done_by IS NOT NULL GROUP BY s.plan, s.step, t.done_by ORDER BY s.plan, s.step, calls DESC, t.done_by",
        row -> new ByWhom(row.string("plan"), row.string("step"), row.longValue("done_by"), row.integer("calls")), start, end);
    List<Missing> missing = Sql.list(c, "SELECT r.id, r.reference, COALESCE(r.name, r.contact) AS name, s.plan, s.step, s.due_at, s.status, t.status AS task,"
        + " t.outcome, t.deadline" + FROM + " AND r.member = TRUE AND " + DUE + " AND NOT " + DONE
        + " ORDER BY s.due_at, s.id FETCH FIRST " + MOST_MISSING + " ROWS ONLY",
        row -> new Missing(row.longValue("id"), row.string("reference"), row.optionalString("name"), row.string("plan"),
            row.string("step"), row.instant("due_at"), state(row.optionalString("task"), row.optionalString("outcome"),
            row.optionalInstant("deadline"), now)), start, end);
    return new Figures(from, to, rows, total, byWhom, missing);
  }

  private static String state(Optional<String> task, Optional<String> outcome, Optional<Instant> deadline, Instant now) {
    if (task.isEmpty()) {
      return "planned";
    }
    if (outcome.isPresent()) {
      return outcome.get();
    }
    return deadline.filter(d -> !now.isBefore(d)).isPresent() ? "overdue" : "open";
  }

  private static String sum(String condition) {
    return "SUM(CASE WHEN " + condition + " THEN 1 ELSE 0 END)";
  }
}
