package kefu.conversation;

import java.time.Instant;
import java.util.Optional;

/**
 * One message in a conversation, from the customer or to them. {@link #toString()} leaves out the text:
 * customer data stays out of logs.
 *
 * @param type WeChat's message type: text, image, voice, event …
 * @param wechatMsgId WeChat's MsgId for an inbound message, by which retries are recognised
 * @param agentId the agent who wrote an outbound message; empty for the customer's and the bot's
 */
public record Message(
    long id,
    long conversationId,
    Direction direction,
    String type,
    Optional<String> text,
    Optional<String> wechatMsgId,
    Instant createdAt,
    Optional<Long> agentId) {

  /** Who wrote it: the customer ({@code IN}) or the business ({@code OUT}). */
  public enum Direction { IN, OUT }

  @Override
  public String toString() {
    return "Message#" + id + "[" + direction + " " + type + " in Conversation#" + conversationId + "]";
  }
}
