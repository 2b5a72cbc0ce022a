package kefu.channel.wechat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import kefu.conversation.Delivery;
import kefu.config.KefuConfig;

/**
 * WeChat's rules for writing to a customer, in the one place every sender asks: customer-service messages only
 * within the window after the customer's last message (48 hours) and only so many of them (5), or a few (3) in
 * the minute after a menu click or follow; outside that a template message if one is configured; never to
 * someone who unfollowed.
 */
final class DeliveryPolicy {
  /** WeChat's allowance after a menu click or a follow lasts a minute. */
  static final Duration EVENT_WINDOW = Duration.ofMinutes(1);

  /** What the rules need to know of the customer. */
  record Customer(boolean subscribed, Optional<Instant> lastInbound, Optional<Instant> lastEvent) {}

  /** How a message may go, if at all. */
  sealed interface Verdict {}

  /** As a customer-service message. */
  record Service() implements Verdict {}

  /** As the template message {@code templateId}. */
  record Template(String templateId) implements Verdict {}

  /** Not now: it waits for the customer's next message, which opens a new allowance. */
  record Hold(String reason) implements Verdict {}

  /** Not at all. */
  record Undeliverable(String reason) implements Verdict {}

  private final KefuConfig.Quotas quotas;
  private final Optional<String> templateId;
  private final Outbox outbox;

  DeliveryPolicy(KefuConfig.Wechat config, Outbox outbox) {
    this.quotas = config.quotas();
    this.templateId = config.serviceTemplateId();
    this.outbox = outbox;
  }

  /** The customer-service messages left within the window opened by the customer's last message. */
  Delivery.Allowance allowance(Connection c, long customerId, Instant now) throws SQLException {
    Optional<Instant> inbound = outbox.recipient(c, customerId).filter(Customer::subscribed).flatMap(Customer::lastInbound)
        .filter(at -> now.isBefore(at.plus(quotas.window())));
    if (inbound.isEmpty()) {
      return new Delivery.Allowance(0, Optional.empty());
    }
    int sent = outbox.sentSince(c, customerId, OutboxMessage.Channel.SERVICE, inbound.get());
    return new Delivery.Allowance(Math.max(0, quotas.perMessage() - sent), Optional.of(inbound.get().plus(quotas.window())));
  }

  /** How a message to {@code customerId} may go now, counting what was sent to them already. */
  Verdict judge(Connection c, long customerId, Instant now) throws SQLException {
    Optional<Customer> customer = outbox.recipient(c, customerId);
    if (customer.isEmpty() || !customer.get().subscribed()) {
      return new Undeliverable("the customer has unfollowed the account");
    }
    Optional<Instant> inbound = customer.get().lastInbound().filter(at -> now.isBefore(at.plus(quotas.window())));
    Optional<Instant> event = customer.get().lastEvent().filter(at -> now.isBefore(at.plus(EVENT_WINDOW)));
    int afterInbound = inbound.isEmpty() ? 0 : outbox.sentSince(c, customerId, OutboxMessage.Channel.SERVICE, inbound.get());
    int afterEvent = event.isEmpty() ? 0 : outbox.sentSince(c, customerId, OutboxMessage.Channel.SERVICE, event.get());
    return decide(inbound.isPresent(), afterInbound, event.isPresent(), afterEvent);
  }

  /**
   * @param inWindow the customer wrote within the window
   * @param afterInbound customer-service messages sent since they wrote
   * @param afterEventOpen a menu click or follow happened within the last minute
   * @param afterEvent customer-service messages sent since it
   */
  Verdict decide(boolean inWindow, int afterInbound, boolean afterEventOpen, int afterEvent) {
    if (inWindow && afterInbound < quotas.perMessage() || afterEventOpen && afterEvent < quotas.perEvent()) {
      return new Service();
    }
    if (templateId.isPresent()) {
      return new Template(templateId.get());
    }
    if (inWindow) {
      return new Hold(quotas.perMessage() + " customer-service messages sent since the customer's last message; waits for the next");
    }
    return new Undeliverable("outside the " + quotas.window().toHours() + "-hour window after the customer's last message, and no wechat.service-template is configured");
  }
}
