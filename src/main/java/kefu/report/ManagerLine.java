package kefu.report;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import kefu.conversation.Conversation;
import kefu.conversation.ConversationRepository;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.customer.CustomerRepository;

/**
 * How a new report reaches the manager on WeChat, by the channel's rules: inside the customer-service window a
 * customer-service message, otherwise the configured template message, otherwise none (the console's notice only).
 * The manager is the follower {@code desk.manager-openid}, as for major complaints and the digest.
 */
public interface ManagerLine {
  /** No manager configured: every report is a console notice only. */
  ManagerLine NONE = new ManagerLine() {
    @Override
    public Sent send(Connection c, String text, Instant now) {
      return new Sent(Route.CONSOLE, Optional.empty());
    }

    @Override
    public void wake() {}
  };

  /** How the message went. */
  enum Route { SERVICE, TEMPLATE, CONSOLE }

  /** The way chosen and the stored message, if one went. */
  record Sent(Route route, Optional<Long> messageId) {}

  /** Queues {@code text} to the manager the way the channel allows now, in the caller's transaction. */
  Sent send(Connection c, String text, Instant now) throws SQLException;

  /** Sends what was queued; call once the transaction has committed. */
  void wake();

  /**
   * The manager {@code openid} through {@code delivery} (the WeChat outbox, which applies the same rules when it
   * sends): the message is kept in the manager's own conversation, like the digest.
   *
   * @param templates whether a template message is configured for outside the window
   */
  static ManagerLine through(Delivery delivery, String openid, boolean templates) {
    CustomerRepository customers = new CustomerRepository();
    ConversationRepository conversations = new ConversationRepository();
    MessageRepository messages = new MessageRepository();
    return new ManagerLine() {
      @Override
      public Sent send(Connection c, String text, Instant now) throws SQLException {
        // Locked, as every writer of a customer's conversation must: the manager may be writing to the account meanwhile.
        long managerId = customers.lockOrCreate(c, openid, now).id();
        Delivery.Allowance allowance = delivery.allowance(c, managerId, now);
        Route route = allowance.left() > 0 && allowance.closesAt().isPresent() ? Route.SERVICE
            : templates ? Route.TEMPLATE : Route.CONSOLE;
        if (route == Route.CONSOLE) {
          return new Sent(route, Optional.empty());
        }
        long conversationId = conversations.openFor(c, managerId, Conversation.WECHAT_INBOX, now).id();
        Message message = messages.append(c, new MessageRepository.Draft(conversationId, Message.Direction.OUT, "text", text, null), now);
        delivery.queue(c, managerId, message, now);
        return new Sent(route, Optional.of(message.id()));
      }

      @Override
      public void wake() {
        delivery.wake();
      }
    };
  }
}
