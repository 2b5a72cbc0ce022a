package kefu.gaps;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import kefu.kb.Candidate;
import kefu.kb.Match;
import kefu.store.Sql;

/**
 * Stores each question the bot searched the knowledge base for and what the customer did next ({@code bot_questions}),
 * and counts them by day; every method runs inside the caller's transaction.
 */
public final class BotQuestions {

  /** What the customer did right after the bot's turn. */
  public enum Follow { PICK, HANDOFF, AGAIN, OTHER }

  /**
   * A stored question the customer's next message has not yet followed.
   *
   * @param outcome the engine's outcome as stored ({@code answer}, {@code suggest}, {@code fallback} …)
   */
  public record Asked(long id, String question, String outcome, Optional<String> entryId, Optional<Double> confidence,
      Instant askedAt) {}

  /**
   * The bot's figures for one day.
   *
   * @param suggested questions answered with a list of questions to pick from
   * @param picked of those, the ones whose customer picked one
   * @param handoffs questions after which the customer was handed to a person: asked for right after the bot's
   *     turn, or by the turn itself (the bot gave up, or the entry hands over)
   */
  public record Day(LocalDate day, int questions, int answered, int suggested, int picked, int fallbacks, int handoffs) {}

  /** Records the question and what the engine found; held for the end of a group commit's batch. */
  public void add(Connection c, long conversationId, String question, Match match, boolean handedOver, Instant now)
      throws SQLException {
    Optional<Candidate> best = match.best();
    Sql.later(c, "INSERT INTO bot_questions (conversation_id, question, outcome, entry_id, confidence, handed_over, asked_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?)", conversationId, GapRepository.cut(question), match.outcome(),
        best.map(Candidate::entryId), best.map(Candidate::confidence), handedOver, now);
    Sql.later(c, "UPDATE conversations SET question_at = ? WHERE id = ?", now, conversationId);
  }

  /** The conversation's latest question, if the customer has not written since. */
  public Optional<Asked> awaitingFollow(Connection c, long conversationId) throws SQLException {
    return Sql.one(c, "SELECT id, question, outcome, entry_id, confidence, asked_at, followed_by FROM bot_questions"
        + " WHERE conversation_id = ? ORDER BY id DESC FETCH FIRST 1 ROWS ONLY", row -> row.optionalString("followed_by").isPresent()
        ? Optional.<Asked>empty()
        : Optional.of(new Asked(row.longValue("id"), row.string("question"), row.string("outcome"), row.optionalString("entry_id"),
            row.optionalDouble("confidence"), row.instant("asked_at"))), conversationId).flatMap(a -> a);
  }

  /**
   * Records what followed the question; held for the end of a group commit's batch. The conversation's mark goes only
   * if it is still this question's: a newer one, held in the same batch, may be written before or after.
   */
  public void follow(Connection c, long conversationId, Asked asked, Follow follow) throws SQLException {
    Sql.later(c, "UPDATE bot_questions SET followed_by = ? WHERE id = ?", follow, asked.id());
    Sql.later(c, "UPDATE conversations SET question_at = NULL WHERE id = ? AND question_at = ?", conversationId, asked.askedAt());
  }

  /** The figures of {@code day} in {@code zone}. */
  public Day day(Connection c, LocalDate day, ZoneId zone) throws SQLException {
    Instant from = day.atStartOfDay(zone).toInstant();
    Instant to = day.plusDays(1).atStartOfDay(zone).toInstant();
    return Sql.one(c, "SELECT COUNT(*) AS questions,"
        + " SUM(CASE WHEN outcome = 'answer' THEN 1 ELSE 0 END) AS answered,"
        + " SUM(CASE WHEN outcome IN ('suggest', 'confirm') THEN 1 ELSE 0 END) AS suggested,"
        + " SUM(CASE WHEN followed_by = 'pick' THEN 1 ELSE 0 END) AS picked,"
        + " SUM(CASE WHEN outcome = 'fallback' THEN 1 ELSE 0 END) AS fallbacks,"
        + " SUM(CASE WHEN followed_by = 'handoff' OR handed_over THEN 1 ELSE 0 END) AS handoffs"
        + " FROM bot_questions WHERE asked_at >= ? AND asked_at < ?",
        row -> new Day(day, row.integer("questions"), row.integer("answered"), row.integer("suggested"),
            row.integer("picked"), row.integer("fallbacks"), row.integer("handoffs")), from, to).orElseThrow();
  }
}
