package kefu.desk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kefu.conversation.Message;
import kefu.store.Sql;
import kefu.ticket.Complaint;
import kefu.ticket.Ticket;
import kefu.ticket.TicketRepository;

/**
 * What the console's lists read, each list in one query that joins the tickets to their customers (and agents): the
 * queue with each customer's last words, the chats under way, the open complaints. Runs in the caller's transaction.
 *
 * <p>The one place the desk reads other features' tables, and only reads them: a list a supervisor refreshes all day
 * is worth one query instead of one per row. Every write goes through the owning feature's repository.
 */
final class DeskQueries {
  private static final String TICKET = TicketRepository.columns("t");
  private static final Ticket.Status WAITING = Ticket.Status.WAITING;
  private static final Ticket.Status ASSIGNED = Ticket.Status.ASSIGNED;
  private static final Ticket.Status RESOLVED = Ticket.Status.RESOLVED;
  /** The id of the customer's latest message with words (text, or speech recognised) in the conversation {@code %s}. */
  private static final String LAST_WORDS_ID =
      "(SELECT MAX(w.id) FROM messages w WHERE w.conversation_id = %s AND w.direction = ? AND w.text IS NOT NULL)";

  /**
   * A ticket waiting for an agent; {@code callBack} when the customer, tired of waiting, asked to be called back;
   * {@code lastWords} the customer's latest message with words.
   */
  record Waiting(Ticket ticket, Optional<String> customerName, boolean callBack, Optional<String> lastWords) {}

  /** A chat with an agent. */
  record UnderWay(Ticket ticket, Optional<String> customerName, String agentName) {}

  /** A complaint whose customer has not been told the result; the agent is empty while it waits. */
  record OpenComplaint(Ticket ticket, Optional<String> customerName, Optional<String> agentName, Complaint.Severity severity,
      Optional<Instant> replyDueAt) {}

  /** The queue: tickets waiting for an agent, longest waiting first. */
  List<Waiting> queue(Connection c) throws SQLException {
    return Sql.list(c, "SELECT " + TICKET + ", t.callback_at, u.name AS customer_name, m.text AS last_words FROM tickets t"
        + " JOIN customers u ON u.id = t.customer_id"
        + " LEFT JOIN messages m ON m.id = " + LAST_WORDS_ID.formatted("t.conversation_id")
        + " WHERE t.status = ? ORDER BY t.created_at, t.id",
        row -> new Waiting(TicketRepository.read(row), row.optionalString("customer_name"),
            row.optionalInstant("callback_at").isPresent(), row.optionalString("last_words")),
        Message.Direction.IN, WAITING);
  }

  /** Every chat with an agent, oldest first. */
  List<UnderWay> chats(Connection c) throws SQLException {
    return Sql.list(c, "SELECT " + TICKET + ", u.name AS customer_name, a.name AS agent_name FROM tickets t"
        + " JOIN customers u ON u.id = t.customer_id JOIN agents a ON a.id = t.agent_id WHERE t.status = ? ORDER BY t.id",
        row -> new UnderWay(TicketRepository.read(row), row.optionalString("customer_name"), row.string("agent_name")), ASSIGNED);
  }

  /** The complaints whose customer has not been told the result, promised replies first, soonest first. */
  List<OpenComplaint> complaints(Connection c) throws SQLException {
    return Sql.list(c, "SELECT " + TICKET + ", p.severity, p.reply_due_at, u.name AS customer_name, a.name AS agent_name"
        + " FROM complaints p JOIN tickets t ON t.id = p.ticket_id JOIN customers u ON u.id = t.customer_id"
        + " LEFT JOIN agents a ON a.id = t.agent_id WHERE t.status IN (?, ?, ?)"
        + " ORDER BY CASE WHEN p.reply_due_at IS NULL THEN 1 ELSE 0 END, p.reply_due_at, t.id",
        row -> new OpenComplaint(TicketRepository.read(row), row.optionalString("customer_name"), row.optionalString("agent_name"),
            row.enumOf(Complaint.Severity.class, "severity"), row.optionalInstant("reply_due_at")),
        WAITING, ASSIGNED, RESOLVED);
  }

  /**
   * The outbound messages of the conversation whose delivery is unknown: the sender stopped while it was sending them,
   * so they may or may not have reached the customer, and a person decides (the outbox's status 'unknown').
   */
  Set<Long> unknownDelivery(Connection c, long conversationId) throws SQLException {
    return Set.copyOf(Sql.list(c, "SELECT o.message_id FROM outbox o JOIN messages m ON m.id = o.message_id"
        + " WHERE m.conversation_id = ? AND o.status = 'unknown'", row -> row.longValue("message_id"), conversationId));
  }

  /** The customer's latest message with words in the conversation, if any: what answer assist searches for. */
  Optional<String> lastWords(Connection c, long conversationId) throws SQLException {
    return Sql.one(c, "SELECT text FROM messages WHERE id = " + LAST_WORDS_ID.formatted("?"),
        row -> row.string("text"), conversationId, Message.Direction.IN);
  }
}
