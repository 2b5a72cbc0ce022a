package kefu.channel.wechat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import kefu.conversation.Article;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.dialog.Reply;

/**
 * Agents' messages to WeChat customers, through the same outbox as the bot's: the 48-hour window and WeChat's
 * quotas hold them back exactly as they do the bot's replies.
 */
final class OutboxDelivery implements Delivery {
  private final Outbox outbox;
  private final OutboxSender sender;
  private final DeliveryPolicy policy;

  OutboxDelivery(Outbox outbox, OutboxSender sender, DeliveryPolicy policy) {
    this.outbox = outbox;
    this.sender = sender;
    this.policy = policy;
  }

  @Override
  public void queue(Connection c, long customerId, Message message, Instant now) throws SQLException {
    outbox.addPending(c, customerId, message.id(), new Reply.Text(message.text().orElseThrow()), now);
  }

  @Override
  public void queue(Connection c, long customerId, Message message, Route route, Optional<String> templateId, Instant now)
      throws SQLException {
    outbox.addRouted(c, customerId, message.id(), new Reply.Text(message.text().orElseThrow()), switch (route) {
      case SERVICE -> OutboxMessage.Channel.SERVICE;
      case TEMPLATE -> OutboxMessage.Channel.TEMPLATE;
      case SUBSCRIBE -> OutboxMessage.Channel.SUBSCRIBE;
    }, templateId, now);
  }

  @Override
  public void queue(Connection c, long customerId, Message message, Article article, Instant now) throws SQLException {
    outbox.addRouted(c, customerId, message.id(), new Reply.News(article.title(), article.digest(), article.url(), article.cover()),
        OutboxMessage.Channel.SERVICE, Optional.empty(), now);
  }

  @Override
  public void wake() {
    sender.wake();
  }

  @Override
  public boolean settle(Connection c, long messageId, boolean resend, Instant now) throws SQLException {
    return resend ? outbox.resend(c, messageId, now) : outbox.delivered(c, messageId, now);
  }

  @Override
  public Allowance allowance(Connection c, long customerId, Instant now) throws SQLException {
    return policy.allowance(outbox.recipient(c, customerId), now);
  }
}
