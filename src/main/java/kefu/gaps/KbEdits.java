package kefu.gaps;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import kefu.kb.KbEdit;
import kefu.store.Sql;

/** Stores the knowledge-base edits made in the console ({@code kb_edits}); every method runs inside the caller's transaction. */
public final class KbEdits {

  /** Stores a similar question for {@code entryId}; returns the edit. */
  public KbEdit addSimilar(Connection c, String entryId, String question, long agentId, Instant now) throws SQLException {
    long id = Sql.insert(c, "INSERT INTO kb_edits (kind, entry_id, question, made_by, made_at) VALUES (?, ?, ?, ?, ?)",
        KbEdit.Kind.SIMILAR, entryId, question, agentId, now);
    return KbEdit.similar(id, entryId, question);
  }

  /** Stores a new entry; returns the edit, whose {@link KbEdit#targetId} the entry will have. */
  public KbEdit addEntry(Connection c, String topic, String question, String answer, long agentId, Instant now) throws SQLException {
    long id = Sql.insert(c, "INSERT INTO kb_edits (kind, topic, question, answer, made_by, made_at) VALUES (?, ?, ?, ?, ?, ?)",
        KbEdit.Kind.ENTRY, topic, question, answer, agentId, now);
    return KbEdit.entry(id, topic, question, answer);
  }

  /** Every edit, in the order made. */
  public List<KbEdit> all(Connection c) throws SQLException {
    return Sql.list(c, "SELECT id, kind, entry_id, topic, question, answer FROM kb_edits ORDER BY id",
        row -> new KbEdit(row.longValue("id"), row.enumOf(KbEdit.Kind.class, "kind"), row.optionalString("entry_id"),
            row.optionalString("topic"), row.string("question"), row.optionalString("answer")));
  }

  /** The number of the latest edit, 0 if there is none: whether there is something new to build. */
  public long latest(Connection c) throws SQLException {
    return Sql.one(c, "SELECT MAX(id) AS latest FROM kb_edits", row -> row.optionalLong("latest").orElse(0L)).orElse(0L);
  }
}
