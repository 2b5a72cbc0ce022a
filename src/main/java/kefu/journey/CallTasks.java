package kefu.journey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import kefu.store.Sql;

/**
 * The calls agents are to make (回访任务), one per step or greeting at most; the console's 今日回访 works through them.
 */
public final class CallTasks {

  /** Opens the call task of step {@code stepId}, due on {@code dueOn}, for {@code owner} (empty: any agent). */
  void open(Connection c, long recordId, long stepId, Optional<Long> owner, LocalDate dueOn, String script, String reason,
      Instant now) throws SQLException {
    Sql.insert(c, "INSERT INTO call_tasks (record_id, step_id, owner_agent_id, due_on, script, reason, status, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)", recordId, stepId, owner, dueOn, script, truncate(reason), now, now);
  }

  /** Opens the call task of greeting {@code greetingId} (a gift reminder, 004), due on {@code dueOn}, for {@code owner}. */
  public void openForGreeting(Connection c, long recordId, long greetingId, Optional<Long> owner, LocalDate dueOn, String script,
      String reason, Instant now) throws SQLException {
    Sql.insert(c, "INSERT INTO call_tasks (record_id, greeting_id, owner_agent_id, due_on, script, reason, status, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?)", recordId, greetingId, owner, dueOn, script, truncate(reason), now, now);
  }

  static String truncate(String text) {
    return text.length() <= 1000 ? text : text.substring(0, 999) + "…";
  }
}
