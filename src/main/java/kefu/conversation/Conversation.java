package kefu.conversation;

import java.time.Instant;
import java.util.Optional;

/**
 * One customer's exchange with the business through one inbox, from the first message until it is closed;
 * its messages are the transcript.
 *
 * @param assigneeId the agent answering in it now; while there is one, the bot stays silent
 * @param questionAt when the bot last answered a question here that the customer has not followed since, if it may
 *     have (which question, and what followed, is with the knowledge-gap figures)
 */
public record Conversation(
    long id,
    long customerId,
    String inbox,
    Status status,
    Instant startedAt,
    Instant lastMessageAt,
    Optional<Instant> closedAt,
    Optional<BotMemory> botMemory,
    Optional<Long> assigneeId,
    Optional<Instant> questionAt) {

  /** The inbox of conversations that come through the official account. */
  public static final String WECHAT_INBOX = "wechat";

  /** Whether new messages still join this conversation. */
  public enum Status { OPEN, CLOSED }

  /** What the bot kept between turns of this conversation, opaque here, and when it kept it. */
  public record BotMemory(String json, Instant savedAt) {}
}
