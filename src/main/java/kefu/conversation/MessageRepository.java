package kefu.conversation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.store.Row;
import kefu.store.Sql;

/** Appends messages to conversations and reads transcripts; every method runs inside the caller's transaction. */
public final class MessageRepository {
  private static final String COLUMNS = "id, conversation_id, direction, type, text, wechat_msg_id, created_at, agent_id";
  private static final String COLUMNS_OF_M = "m." + COLUMNS.replace(", ", ", m.");

  /** A message to store: text, WeChat MsgId and agent may be null. */
  public record Draft(long conversationId, Message.Direction direction, String type, String text, String wechatMsgId, Long agentId) {
    /** A message from the customer or the bot. */
    public Draft(long conversationId, Message.Direction direction, String type, String text, String wechatMsgId) {
      this(conversationId, direction, type, text, wechatMsgId, null);
    }

    @Override
    public String toString() {
      return "Draft[" + direction + " " + type + " in Conversation#" + conversationId + "]";
    }
  }

  /** Stores the message and moves the conversation's last-message time. */
  public Message append(Connection c, Draft draft, Instant now) throws SQLException {
    Message message = add(c, draft, now);
    Sql.update(c, "UPDATE conversations SET last_message_at = ? WHERE id = ?", now, draft.conversationId());
    return message;
  }

  /**
   * Stores the message only, for a caller that moves the conversation's time itself, once for several messages.
   *
   * @throws AlreadyStored if a message with the draft's WeChat MsgId is stored
   */
  public Message add(Connection c, Draft draft, Instant now) throws SQLException {
    long id;
    try {
      id = Sql.insert(c,
          "INSERT INTO messages (conversation_id, direction, type, text, wechat_msg_id, created_at, agent_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
          draft.conversationId(), draft.direction(), draft.type(), draft.text(), draft.wechatMsgId(), now, draft.agentId());
    } catch (SQLException e) {
      // The MsgId is the messages' one unique key besides the id.
      throw draft.wechatMsgId() != null && Sql.isUniqueViolation(e) ? new AlreadyStored(e) : e;
    }
    return new Message(id, draft.conversationId(), draft.direction(), draft.type(),
        Optional.ofNullable(draft.text()), Optional.ofNullable(draft.wechatMsgId()), now, Optional.ofNullable(draft.agentId()));
  }

  /** A message WeChat sent again (a retry) was stored before: nothing of this attempt is to be kept. */
  public static final class AlreadyStored extends SQLException {
    AlreadyStored(SQLException cause) {
      super("a message with this WeChat MsgId is stored already", cause.getSQLState(), cause);
    }
  }

  /** The agent's reply {@code messageId} started from the knowledge-base entry {@code entryId} (answer assist). */
  public void fromSuggestion(Connection c, long messageId, String entryId) throws SQLException {
    Sql.update(c, "UPDATE messages SET kb_entry_id = ? WHERE id = ?", entryId, messageId);
  }

  /**
   * The customers' messages stored between {@code from} and {@code to} that no turn of the bot's followed: each the
   * last message in of a conversation whose bot memory is older, or absent. A node stopped between storing a message
   * and answering it leaves one.
   */
  public List<Message> unanswered(Connection c, Instant from, Instant to) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS_OF_M + " FROM messages m JOIN conversations v ON v.id = m.conversation_id"
        + " WHERE m.direction = ? AND m.created_at >= ? AND m.created_at < ?"
        + " AND (v.bot_state_at IS NULL OR v.bot_state_at < m.created_at)"
        + " AND m.id = (SELECT MAX(l.id) FROM messages l WHERE l.conversation_id = m.conversation_id AND l.direction = ?)"
        + " ORDER BY m.id", MessageRepository::read, Message.Direction.IN, from, to, Message.Direction.IN);
  }

  /** The conversation's messages in the order they were stored, at most {@code limit} from the start. */
  public List<Message> transcript(Connection c, long conversationId, int limit) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ? ORDER BY id FETCH FIRST ? ROWS ONLY",
        MessageRepository::read, conversationId, limit);
  }

  /** The conversation's last {@code limit} messages, oldest first: what an agent reads of a long conversation. */
  public List<Message> latest(Connection c, long conversationId, int limit) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM (SELECT " + COLUMNS
        + " FROM messages WHERE conversation_id = ? ORDER BY id DESC FETCH FIRST ? ROWS ONLY) AS last ORDER BY id",
        MessageRepository::read, conversationId, limit);
  }

  private static Message read(Row row) throws SQLException {
    return new Message(
        row.longValue("id"),
        row.longValue("conversation_id"),
        row.enumOf(Message.Direction.class, "direction"),
        row.string("type"),
        row.optionalString("text"),
        row.optionalString("wechat_msg_id"),
        row.instant("created_at"),
        row.optionalLong("agent_id"));
  }
}
