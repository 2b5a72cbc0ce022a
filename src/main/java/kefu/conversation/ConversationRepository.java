package kefu.conversation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import kefu.customer.CustomerRepository;
import kefu.store.Database;

/** Reads and writes conversations; every method runs inside the caller's transaction. */
public final class ConversationRepository {
  private static final String COLUMNS = "id, customer_id, inbox, status, started_at, last_message_at, closed_at, bot_state, bot_state_at, assignee_id";

  /**
   * The customer's open conversation in {@code inbox}, started now if there is none. The customer's row is
   * locked first, so two messages handled at once cannot open two conversations.
   */
  public Conversation openFor(Connection c, long customerId, String inbox, Instant now) throws SQLException {
    CustomerRepository.lock(c, customerId);
    Optional<Conversation> open = one(c,
        "SELECT " + COLUMNS + " FROM conversations WHERE customer_id = ? AND inbox = ? AND status = 'open'",
        customerId, inbox);
    if (open.isPresent()) {
      return open.get();
    }
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO conversations (customer_id, inbox, status, started_at, last_message_at) VALUES (?, ?, 'open', ?, ?)",
        Statement.RETURN_GENERATED_KEYS)) {
      insert.setLong(1, customerId);
      insert.setString(2, inbox);
      insert.setObject(3, Database.timestamp(now));
      insert.setObject(4, Database.timestamp(now));
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return byId(c, keys.getLong(1)).orElseThrow();
      }
    }
  }

  public Optional<Conversation> byId(Connection c, long id) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM conversations WHERE id = ?", id);
  }

  /** Closes the conversation; the customer's next message starts a new one. False if it was not open. */
  public boolean close(Connection c, long id, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE conversations SET status = 'closed', closed_at = ? WHERE id = ? AND status = 'open'")) {
      update.setObject(1, Database.timestamp(now));
      update.setLong(2, id);
      return update.executeUpdate() == 1;
    }
  }

  /** Ends a turn of the bot's: what it remembers now, and the time of the turn's last message. */
  public void afterTurn(Connection c, long id, String botState, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE conversations SET bot_state = ?, bot_state_at = ?, last_message_at = ? WHERE id = ?")) {
      update.setString(1, botState);
      update.setObject(2, Database.timestamp(now));
      update.setObject(3, Database.timestamp(now));
      update.setLong(4, id);
      update.executeUpdate();
    }
  }

  /** Puts {@code agentId} in the conversation, or takes the agent out of it (empty): the bot answers again. */
  public void assign(Connection c, long id, Optional<Long> agentId) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE conversations SET assignee_id = ? WHERE id = ?")) {
      if (agentId.isPresent()) {
        update.setLong(1, agentId.get());
      } else {
        update.setNull(1, Types.BIGINT);
      }
      update.setLong(2, id);
      update.executeUpdate();
    }
  }

  private Optional<Conversation> one(Connection c, String sql, Object... keys) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql)) {
      for (int i = 0; i < keys.length; i++) {
        select.setObject(i + 1, keys[i]);
      }
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static Conversation read(ResultSet rs) throws SQLException {
    OffsetDateTime closedAt = rs.getObject("closed_at", OffsetDateTime.class);
    long assigneeId = rs.getLong("assignee_id");
    Optional<Long> assignee = rs.wasNull() ? Optional.empty() : Optional.of(assigneeId);
    String botState = rs.getString("bot_state");
    Optional<Conversation.BotMemory> memory = botState == null ? Optional.empty()
        : Optional.of(new Conversation.BotMemory(botState, rs.getObject("bot_state_at", OffsetDateTime.class).toInstant()));
    return new Conversation(
        rs.getLong("id"),
        rs.getLong("customer_id"),
        rs.getString("inbox"),
        Conversation.Status.valueOf(rs.getString("status").toUpperCase(Locale.ROOT)),
        rs.getObject("started_at", OffsetDateTime.class).toInstant(),
        rs.getObject("last_message_at", OffsetDateTime.class).toInstant(),
        Optional.ofNullable(closedAt).map(OffsetDateTime::toInstant),
        memory,
        assignee);
  }
}
