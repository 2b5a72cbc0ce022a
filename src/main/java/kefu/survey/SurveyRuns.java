package kefu.survey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.rating.Rating;
import kefu.store.Row;
import kefu.store.Sql;

/** The surveys asked and their answers (V20's tables); every method runs in the caller's transaction. */
final class SurveyRuns {
  private static final String COLUMNS = "id, record_id, customer_id, survey, channel, status, position, ticket_id, expires_at, started_at, updated_at";

  /** Where a survey stands. */
  enum Status { ASKING, DONE, STOPPED, EXPIRED, REFUSED }

  /** A survey asked of a record, as stored. */
  record Run(long id, long recordId, Optional<Long> customerId, String survey, String channel, Status status, int position,
      Optional<Long> ticketId, Optional<Instant> expiresAt, Instant startedAt, Instant updatedAt) {}

  /** One answer as stored: a rating's level, or a comment, and whether an agent flagged it. */
  record Answer(String question, Optional<Integer> level, Optional<String> comment, boolean flagged) {}

  /** Starts asking {@code survey} in the chat for the journey step {@code stepId}; an earlier survey still asked ends. */
  long startInChat(Connection c, long recordId, long stepId, long customerId, String survey, Optional<Long> agentId, Instant expiresAt,
      Instant now) throws SQLException {
    Sql.update(c, "UPDATE customers SET survey_until = ? WHERE id = ?", expiresAt, customerId);
    Sql.update(c, "UPDATE survey_runs SET status = ?, ended_at = ?, updated_at = ? WHERE customer_id = ? AND status = ?",
        Status.EXPIRED, now, now, customerId, Status.ASKING);
    return Sql.insert(c, "INSERT INTO survey_runs (record_id, step_id, customer_id, survey, channel, status, position, agent_id,"
        + " expires_at, started_at, updated_at) VALUES (?, ?, ?, ?, 'wechat', ?, 0, ?, ?, ?, ?)",
        recordId, stepId, customerId, survey, Status.ASKING, agentId, expiresAt, now, now);
  }

  /** The run taken on the phone for call task {@code taskId}, if it was. */
  Optional<Run> ofTask(Connection c, long taskId) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + " FROM survey_runs WHERE task_id = ?", SurveyRuns::read, taskId);
  }

  /** The run taken on the phone for call task {@code taskId}, made (done, no answers yet) if there is none. */
  Run forTask(Connection c, long taskId, long recordId, String survey, long agentId, Instant now) throws SQLException {
    Optional<Run> found = ofTask(c, taskId);
    if (found.isPresent()) {
      Sql.update(c, "UPDATE survey_runs SET taken_by = ?, updated_at = ? WHERE id = ?", agentId, now, found.get().id());
      return found.get();
    }
    long id = Sql.insert(c, "INSERT INTO survey_runs (record_id, task_id, customer_id, survey, channel, status, position, agent_id,"
        + " taken_by, started_at, ended_at, updated_at) SELECT id, ?, customer_id, ?, 'phone', ?, 0, owner_agent_id, ?, ?, ?, ?"
        + " FROM customer_records WHERE id = ?", taskId, survey, Status.DONE, agentId, now, now, now, recordId);
    return byId(c, id).orElseThrow();
  }

  /** The run the customer is being asked in the chat at {@code now}, if any. */
  Optional<Run> asking(Connection c, long customerId, Instant now) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + " FROM survey_runs WHERE customer_id = ? AND status = ? AND expires_at > ?"
        + " ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", SurveyRuns::read, customerId, Status.ASKING, now);
  }

  Optional<Run> byId(Connection c, long id) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + " FROM survey_runs WHERE id = ?", SurveyRuns::read, id);
  }

  /** The runs of a record, newest first. */
  List<Run> ofRecord(Connection c, long recordId) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM survey_runs WHERE record_id = ? ORDER BY id DESC", SurveyRuns::read, recordId);
  }

  /** Runs still asked whose time ran out by {@code now}, oldest first. */
  List<Run> expired(Connection c, Instant now, int limit) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM survey_runs WHERE status = ? AND expires_at <= ? ORDER BY expires_at, id"
        + " FETCH FIRST " + limit + " ROWS ONLY", SurveyRuns::read, Status.ASKING, now);
  }

  /**
   * Moves the run asked in the chat from {@code position} on to the next question, or ends it with {@code ended}; false
   * if it is not at {@code position} any more (answered meanwhile) or no longer asked.
   */
  boolean move(Connection c, long runId, int position, Optional<Status> ended, Instant expiresAt, Instant now) throws SQLException {
    if (ended.isEmpty()) {
      waitsUntil(c, runId, expiresAt);
    }
    return Sql.update(c, "UPDATE survey_runs SET position = ?, status = ?, expires_at = ?, ended_at = ?, updated_at = ?"
        + " WHERE id = ? AND position = ? AND status = ?", ended.isPresent() ? position : position + 1, ended.orElse(Status.ASKING),
        expiresAt, ended.map(e -> now), now, runId, position, Status.ASKING) == 1;
  }

  /** The customer is still about, in between questions: the run waits longer, and counts as asked again now. */
  void asked(Connection c, long runId, Instant expiresAt, Instant now) throws SQLException {
    waitsUntil(c, runId, expiresAt);
    Sql.update(c, "UPDATE survey_runs SET expires_at = ?, updated_at = ? WHERE id = ? AND status = ?", expiresAt, now, runId, Status.ASKING);
  }

  /**
   * Marks the run's customer as perhaps asked until {@code expiresAt}, so that their turns look for the run ({@link
   * #asking}); never earlier than a mark already there. The customer's row first, as a turn locks it first.
   */
  private static void waitsUntil(Connection c, long runId, Instant expiresAt) throws SQLException {
    Sql.update(c, "UPDATE customers SET survey_until = ? WHERE id = (SELECT customer_id FROM survey_runs WHERE id = ?)"
        + " AND (survey_until IS NULL OR survey_until < ?)", expiresAt, runId, expiresAt);
  }

  /** Ends a run left unanswered; false if it ended otherwise meanwhile. */
  boolean expire(Connection c, long runId, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE survey_runs SET status = ?, ended_at = ?, updated_at = ? WHERE id = ? AND status = ?",
        Status.EXPIRED, now, now, runId, Status.ASKING) == 1;
  }

  /** Ends the run asked in the chat for journey step {@code stepId}, if still asked: WeChat refused what asked it. */
  void undelivered(Connection c, long stepId, Instant now) throws SQLException {
    Sql.update(c, "UPDATE survey_runs SET status = ?, ended_at = ?, updated_at = ? WHERE step_id = ? AND status = ?",
        Status.REFUSED, now, now, stepId, Status.ASKING);
  }

  /** Keeps an answer, replacing an earlier one to the same question (the phone form saved again). */
  void answer(Connection c, long runId, String question, Optional<Rating> rating, Optional<String> comment, Instant now)
      throws SQLException {
    Sql.update(c, "DELETE FROM survey_answers WHERE run_id = ? AND question = ?", runId, question);
    Sql.update(c, "INSERT INTO survey_answers (run_id, question, level, score, comment, answered_at) VALUES (?, ?, ?, ?, ?, ?)",
        runId, question, rating.map(Rating::level), rating.map(Rating::score), comment, now);
  }

  /** The answers of a run. */
  List<Answer> answers(Connection c, long runId) throws SQLException {
    return Sql.list(c, "SELECT question, level, comment, flagged_at FROM survey_answers WHERE run_id = ? ORDER BY answered_at, question",
        row -> new Answer(row.string("question"), row.optionalLong("level").map(Long::intValue), row.optionalString("comment"),
            row.optionalInstant("flagged_at").isPresent()), runId);
  }

  /** An agent flagged the comment; false if it is no comment or flagged already. */
  boolean flag(Connection c, long runId, String question, long agentId, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE survey_answers SET flagged_by = ?, flagged_at = ? WHERE run_id = ? AND question = ? AND comment IS NOT NULL"
        + " AND flagged_at IS NULL", agentId, now, runId, question) == 1;
  }

  /** The complaint ticket the run opened. */
  void ticket(Connection c, long runId, long ticketId) throws SQLException {
    Sql.update(c, "UPDATE survey_runs SET ticket_id = ? WHERE id = ?", ticketId, runId);
  }

  private static Run read(Row row) throws SQLException {
    return new Run(row.longValue("id"), row.longValue("record_id"), row.optionalLong("customer_id"), row.string("survey"),
        row.string("channel"), row.enumOf(Status.class, "status"), row.integer("position"), row.optionalLong("ticket_id"),
        row.optionalInstant("expires_at"), row.instant("started_at"), row.instant("updated_at"));
  }
}
