package kefu.gaps;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.store.Row;
import kefu.store.Sql;

/** Stores the questions the knowledge base lacks ({@code kb_gaps}); every method runs inside the caller's transaction. */
public final class GapRepository {
  /** How long a question is kept for the stored rows' sake, cut beyond: a question, not a letter. */
  static final int MAX_QUESTION = 1000;

  /** What a supervisor did with a question. */
  public enum Status { OPEN, ADDED, CREATED, DISMISSED }

  /**
   * Records a question; held for the end of a group commit's batch, as nothing in the turn reads it back.
   *
   * @param entryId the nearest entry, if any, with the engine's {@code confidence} in it where known
   */
  public void add(Connection c, long conversationId, String question, GapKind kind, Optional<String> entryId,
      Optional<Double> confidence, Instant now) throws SQLException {
    Sql.later(c, "INSERT INTO kb_gaps (conversation_id, question, kind, entry_id, confidence, seen_at, status)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)", conversationId, cut(question), kind, entryId, confidence, now, Status.OPEN);
  }

  /** The questions nobody has settled yet, seen since {@code since}, newest first, at most {@code limit}. */
  public List<Gap> open(Connection c, Instant since, int limit) throws SQLException {
    return Sql.list(c, "SELECT id, conversation_id, question, kind, entry_id, confidence, seen_at FROM kb_gaps"
        + " WHERE status = ? AND seen_at >= ? ORDER BY seen_at DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY",
        GapRepository::gap, Status.OPEN, since);
  }

  /** Settles those of {@code ids} still open; returns how many were. */
  public int settle(Connection c, List<Long> ids, Status status, long agentId, Instant now) throws SQLException {
    if (ids.isEmpty()) {
      return 0;
    }
    Object[] params = new Object[4 + ids.size()];
    params[0] = status;
    params[1] = agentId;
    params[2] = now;
    params[3] = Status.OPEN;
    for (int i = 0; i < ids.size(); i++) {
      params[4 + i] = ids.get(i);
    }
    return Sql.update(c, "UPDATE kb_gaps SET status = ?, settled_by = ?, settled_at = ? WHERE status = ? AND id IN ("
        + Sql.placeholders(ids.size()) + ")", params);
  }

  private static Gap gap(Row row) throws SQLException {
    return new Gap(row.longValue("id"), row.longValue("conversation_id"), row.string("question"),
        row.enumOf(GapKind.class, "kind"), row.optionalString("entry_id"), row.optionalDouble("confidence"),
        row.instant("seen_at"));
  }

  static String cut(String question) {
    return question.length() <= MAX_QUESTION ? question : question.substring(0, MAX_QUESTION);
  }
}
