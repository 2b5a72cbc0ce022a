package kefu.conversation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import kefu.store.Database;

/** Appends messages to conversations and reads transcripts; every method runs inside the caller's transaction. */
public final class MessageRepository {
  private static final String COLUMNS = "id, conversation_id, direction, type, text, wechat_msg_id, created_at, agent_id";

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
    try (PreparedStatement touch = c.prepareStatement("UPDATE conversations SET last_message_at = ? WHERE id = ?")) {
      touch.setObject(1, Database.timestamp(now));
      touch.setLong(2, draft.conversationId());
      touch.executeUpdate();
    }
    return message;
  }

  /** Stores the message only, for a caller that moves the conversation's time itself, once for several messages. */
  public Message add(Connection c, Draft draft, Instant now) throws SQLException {
    long id;
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO messages (conversation_id, direction, type, text, wechat_msg_id, created_at, agent_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        Statement.RETURN_GENERATED_KEYS)) {
      insert.setLong(1, draft.conversationId());
      insert.setString(2, draft.direction().name().toLowerCase(Locale.ROOT));
      insert.setString(3, draft.type());
      insert.setString(4, draft.text());
      insert.setString(5, draft.wechatMsgId());
      insert.setObject(6, Database.timestamp(now));
      if (draft.agentId() == null) {
        insert.setNull(7, Types.BIGINT);
      } else {
        insert.setLong(7, draft.agentId());
      }
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        id = keys.getLong(1);
      }
    }
    return new Message(id, draft.conversationId(), draft.direction(), draft.type(),
        Optional.ofNullable(draft.text()), Optional.ofNullable(draft.wechatMsgId()), now, Optional.ofNullable(draft.agentId()));
  }

  /** The agent's reply {@code messageId} started from the knowledge-base entry {@code entryId} (answer assist). */
  public void fromSuggestion(Connection c, long messageId, String entryId) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE messages SET kb_entry_id = ? WHERE id = ?")) {
      update.setString(1, entryId);
      update.setLong(2, messageId);
      update.executeUpdate();
    }
  }

  /** The inbound message WeChat sent with this MsgId, if it was stored. */
  public Optional<Message> byWechatMsgId(Connection c, String wechatMsgId) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM messages WHERE wechat_msg_id = ?")) {
      select.setString(1, wechatMsgId);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  /** The conversation's messages in the order they were stored, at most {@code limit} from the start. */
  public List<Message> transcript(Connection c, long conversationId, int limit) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ? ORDER BY id FETCH FIRST ? ROWS ONLY")) {
      select.setLong(1, conversationId);
      select.setInt(2, limit);
      return readAll(select);
    }
  }

  private static List<Message> readAll(PreparedStatement select) throws SQLException {
    try (ResultSet rs = select.executeQuery()) {
      List<Message> messages = new ArrayList<>();
      while (rs.next()) {
        messages.add(read(rs));
      }
      return messages;
    }
  }

  /** The conversation's last {@code limit} messages, oldest first: what an agent reads of a long conversation. */
  public List<Message> latest(Connection c, long conversationId, int limit) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM (SELECT " + COLUMNS
        + " FROM messages WHERE conversation_id = ? ORDER BY id DESC FETCH FIRST ? ROWS ONLY) AS last ORDER BY id")) {
      select.setLong(1, conversationId);
      select.setInt(2, limit);
      return readAll(select);
    }
  }

  private static Message read(ResultSet rs) throws SQLException {
    long agentId = rs.getLong("agent_id");
    Optional<Long> agent = rs.wasNull() ? Optional.empty() : Optional.of(agentId);
    return new Message(
        rs.getLong("id"),
        rs.getLong("conversation_id"),
        Message.Direction.valueOf(rs.getString("direction").toUpperCase(Locale.ROOT)),
        rs.getString("type"),
        Optional.ofNullable(rs.getString("text")),
        Optional.ofNullable(rs.getString("wechat_msg_id")),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        agent);
  }
}
