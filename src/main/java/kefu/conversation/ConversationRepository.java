package kefu.conversation;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import kefu.customer.CustomerRepository;
import kefu.store.Row;
import kefu.store.Sql;

/** Reads and writes conversations; every method runs inside the caller's transaction. */
public final class ConversationRepository {
  private static final String COLUMNS =
      "id, customer_id, inbox, status, started_at, last_message_at, closed_at, bot_state, bot_state_at, assignee_id, question_at";
  private static final Conversation.Status OPEN = Conversation.Status.OPEN;
  private static final Conversation.Status CLOSED = Conversation.Status.CLOSED;

  /**
   * The customer's open conversation in {@code inbox}, started now if there is none. Call it with the customer's row
   * locked ({@link CustomerRepository#lock}, {@link CustomerRepository#lockOrCreate}), so two messages handled at once
   * cannot open two conversations.
   */
  public Conversation openFor(Connection c, long customerId, String inbox, Instant now) throws SQLException {
    Optional<Conversation> open = Sql.one(c,
        "SELECT " + COLUMNS + " FROM conversations WHERE customer_id = ? AND inbox = ? AND status = ?",
        ConversationRepository::read, customerId, inbox, OPEN);
    if (open.isPresent()) {
      return open.get();
    }
    long id = Sql.insert(c, "INSERT INTO conversations (customer_id, inbox, status, started_at, last_message_at) VALUES (?, ?, ?, ?, ?)",
        customerId, inbox, OPEN, now, now);
    return byId(c, id).orElseThrow();
  }

  public Optional<Conversation> byId(Connection c, long id) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + " FROM conversations WHERE id = ?", ConversationRepository::read, id);
  }

  /** Closes the conversation; the customer's next message starts a new one. False if it was not open. */
  public boolean close(Connection c, long id, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE conversations SET status = ?, closed_at = ? WHERE id = ? AND status = ?",
        CLOSED, now, id, OPEN) == 1;
  }

  /**
   * Ends a turn of the bot's: what it remembers now, and the time of the turn's last message. Written
   * {@linkplain Sql#later later} in a group commit: the customer's next turn reads it once committed.
   */
  public void afterTurn(Connection c, long id, String botState, Instant now) throws SQLException {
    Sql.later(c, "UPDATE conversations SET bot_state = ?, bot_state_at = ?, last_message_at = ? WHERE id = ?",
        botState, now, now, id);
  }

  /** Puts {@code agentId} in the conversation, or takes the agent out of it (empty): the bot answers again. */
  public void assign(Connection c, long id, Optional<Long> agentId) throws SQLException {
    Sql.update(c, "UPDATE conversations SET assignee_id = ? WHERE id = ?", agentId, id);
  }

  private static Conversation read(Row row) throws SQLException {
    Optional<String> botState = row.optionalString("bot_state");
    Optional<Conversation.BotMemory> memory = botState.isEmpty() ? Optional.empty()
        : Optional.of(new Conversation.BotMemory(botState.get(), row.instant("bot_state_at")));
    return new Conversation(
        row.longValue("id"),
        row.longValue("customer_id"),
        row.string("inbox"),
        row.enumOf(Conversation.Status.class, "status"),
        row.instant("started_at"),
        row.instant("last_message_at"),
        row.optionalInstant("closed_at"),
        memory,
        row.optionalLong("assignee_id"),
        row.optionalInstant("question_at"));
  }
}
