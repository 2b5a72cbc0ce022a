package kefu.dialog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.conversation.Message;

/**
 * The bot's turn as a channel drives it: {@link #open} and {@link #record} inside the channel's transactions,
 * {@link #decide} between them. {@link Dialogue} is the bot; tests put a slow one in its place.
 */
public interface Bot {

  /**
   * Stores what the customer did.
   *
   * @throws MessageRepository.AlreadyStored if the message was stored before (a retry): the transaction must be
   *     rolled back to before the call
   */
  Turn open(Connection c, Inbound in) throws SQLException;

  /** Reopens the turn of a stored message no turn followed; empty if it was answered meanwhile. */
  Optional<Turn> resume(Connection c, Message inbound) throws SQLException;

  /** The decision if it can be taken at once, without the FAQ engine; the channel then stores the turn in one transaction. */
  Optional<Decision> decideAtOnce(Turn turn, Inbound in);

  /** Chooses the replies, outside any transaction. */
  Decision decide(Turn turn, Inbound in);

  /** Stores the replies, state, ticket and rating; returns the replies as stored messages, in order. */
  List<Said> record(Connection c, Turn turn, Decision decision, Instant now) throws SQLException;

  /** After {@link #record} committed: tells whoever watches (the desk's consoles) what changed. */
  void recorded(Turn turn, Decision decision);
}
