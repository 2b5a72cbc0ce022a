package kefu.conversation;

import java.time.Instant;
import java.util.Optional;

/**
 * One customer's exchange with the business through one inbox, from the first message until it is closed;
 * its messages are the transcript.
 */
public record Conversation(
    long id,
    long customerId,
    String inbox,
    Status status,
    Instant startedAt,
    Instant lastMessageAt,
    Optional<Instant> closedAt) {

  /** Whether new messages still join this conversation. */
  public enum Status { OPEN, CLOSED }
}
