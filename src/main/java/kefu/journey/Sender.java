package kefu.journey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import kefu.conversation.Article;
import kefu.conversation.ConversationRepository;
import kefu.conversation.Conversation;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.customer.CustomerRepository;

/**
 * What the journeys need of the customer's channel: what it allows now, and a message queued in the caller's
 * transaction (so that marking a step done and queuing its message commit together, and the channel's own
 * de-duplication and retries apply), sent once committed.
 */
public interface Sender {

  /** How many customer-service messages the channel allows the customer now, and until when. */
  Delivery.Allowance allowance(Connection c, long customerId, Instant now) throws SQLException;

  /** Whether a message outside the window may go as the configured template message. */
  boolean sendsTemplates();

  /**
   * Queues {@code text} to the customer in the caller's transaction, to go by {@code route} only (WeChat's refusal
   * comes back to {@link StepRefusals}); returns the message's id.
   *
   * @param templateId the subscription notice's template, for {@link Delivery.Route#SUBSCRIBE}
   */
  long queue(Connection c, long customerId, String text, Delivery.Route route, Optional<String> templateId, Instant now)
      throws SQLException;

  /**
   * Queues {@code article} to the customer as a customer-service news message (图文) in the caller's transaction, kept in
   * their conversation by its title, digest and address; returns the message's id.
   */
  long queue(Connection c, long customerId, Article article, Instant now) throws SQLException;

  /** Sends what was queued; call once the transaction has committed. */
  void wake();

  /**
   * A sender through {@code delivery} (the WeChat channel's outbox): each message is kept in the customer's
   * conversation, as an agent's is, and queued with it.
   *
   * @param templates whether the channel has a template message for service notices outside the window
   */
  static Sender through(Delivery delivery, boolean templates) {
    ConversationRepository conversations = new ConversationRepository();
    MessageRepository messages = new MessageRepository();
    return new Sender() {
      @Override
      public Delivery.Allowance allowance(Connection c, long customerId, Instant now) throws SQLException {
        return delivery.allowance(c, customerId, now);
      }

      @Override
      public boolean sendsTemplates() {
        return templates;
      }

      @Override
      public long queue(Connection c, long customerId, String text, Delivery.Route route, Optional<String> templateId, Instant now)
          throws SQLException {
        Message message = append(c, customerId, "text", text, now);
        delivery.queue(c, customerId, message, route, templateId, now);
        return message.id();
      }

      @Override
      public long queue(Connection c, long customerId, Article article, Instant now) throws SQLException {
        Message message = append(c, customerId, "news", article.title() + "\n" + article.digest() + "\n" + article.url(), now);
        delivery.queue(c, customerId, message, article, now);
        return message.id();
      }

      private Message append(Connection c, long customerId, String type, String text, Instant now) throws SQLException {
        CustomerRepository.lock(c, customerId);
        long conversationId = conversations.openFor(c, customerId, Conversation.WECHAT_INBOX, now).id();
        return messages.append(c, new MessageRepository.Draft(conversationId, Message.Direction.OUT, type, text, null), now);
      }

      @Override
      public void wake() {
        delivery.wake();
      }
    };
  }
}
