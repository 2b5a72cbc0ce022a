package kefu.channel.wechat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import kefu.conversation.Delivery;
import kefu.config.KefuConfig;

/**
 * WeChat's rules for writing to a customer, in the one place every sender asks: customer-service messages only
 * within the window after the customer's last message (48 hours) and only so many of them (5), or a few (3) in
 * the minute after a menu click or follow; outside that a template message if one is configured; never to
 * someone who unfollowed. It decides from what the sender read of the customer in its own transaction ({@link
 * Recipient}) and the time, and reads nothing itself.
 */
final class DeliveryPolicy {
  /** WeChat's allowance after a menu click or a follow lasts a minute. */
  static final Duration EVENT_WINDOW = Duration.ofMinutes(1);

  /**
   * What the rules need to know of the customer: whether they follow the account, when they last wrote and last
   * clicked the menu or followed, and how many customer-service messages were sent to them since each.
   */
  record Recipient(boolean subscribed, Optional<Instant> lastInbound, int serviceSinceInbound, Optional<Instant> lastEvent,
      int serviceSinceEvent) {
    /** Someone who unfollowed, or who is no customer at all. */
    static final Recipient UNFOLLOWED = new Recipient(false, Optional.empty(), 0, Optional.empty(), 0);

    /** The same customer once one more customer-service message went to them. */
    Recipient afterService() {
      return new Recipient(subscribed, lastInbound, serviceSinceInbound + 1, lastEvent, serviceSinceEvent + 1);
    }
  }

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

  /** As the one-time subscription notice {@code templateId}. */
  record Subscribe(String templateId) implements Verdict {}

  /** Not the one way its sender chose, which is closed now: refused, for the sender to choose the next. */
  record Refused(String reason) implements Verdict {}

  private final KefuConfig.Quotas quotas;
  private final Optional<String> templateId;

  DeliveryPolicy(KefuConfig.Wechat config) {
    this.quotas = config.quotas();
    this.templateId = config.serviceTemplateId();
  }

  /** The customer-service messages left within the window opened by the customer's last message. */
  Delivery.Allowance allowance(Recipient recipient, Instant now) {
    Optional<Instant> closes = windowCloses(recipient, now);
    return closes.isEmpty() ? new Delivery.Allowance(0, Optional.empty())
        : new Delivery.Allowance(Math.max(0, quotas.perMessage() - recipient.serviceSinceInbound()), closes);
  }

  /** How a message to {@code recipient} may go at {@code now}, counting what was sent to them already. */
  Verdict judge(Recipient recipient, Instant now) {
    if (!recipient.subscribed()) {
      return new Undeliverable("the customer has unfollowed the account");
    }
    boolean inWindow = windowCloses(recipient, now).isPresent();
    if (serviceAllowed(recipient, now)) {
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

  /**
   * How a message that may go by {@code route} only may go, if at all: a closed way is {@link Refused}, never held
   * or sent another way.
   *
   * @param subscribeTemplate the subscription notice's template, for {@link OutboxMessage.Channel#SUBSCRIBE}
   */
  Verdict judge(Recipient recipient, Instant now, OutboxMessage.Channel route, Optional<String> subscribeTemplate) {
    if (!recipient.subscribed()) {
      return new Refused("the customer has unfollowed the account");
    }
    return switch (route) {
      case SERVICE -> serviceAllowed(recipient, now) ? new Service() : new Refused(windowCloses(recipient, now).isPresent()
          ? "no customer-service message: " + quotas.perMessage() + " sent since the customer's last message (WeChat's quota)"
          : "no customer-service message: outside the " + quotas.window().toHours() + "-hour window after the customer's last message");
      case TEMPLATE -> templateId.<Verdict>map(Template::new).orElse(new Refused("no template message: no wechat.service-template is configured"));
      case SUBSCRIBE -> subscribeTemplate.<Verdict>map(Subscribe::new).orElse(new Refused("no subscription notice: no template given"));
      case REPLY -> judge(recipient, now);
    };
  }

  /** Whether a customer-service message may go now: within the window and its quota, or the minute after an event and its. */
  private boolean serviceAllowed(Recipient recipient, Instant now) {
    boolean afterEvent = recipient.lastEvent().filter(at -> now.isBefore(at.plus(EVENT_WINDOW))).isPresent();
    return windowCloses(recipient, now).isPresent() && recipient.serviceSinceInbound() < quotas.perMessage()
        || afterEvent && recipient.serviceSinceEvent() < quotas.perEvent();
  }

  /** When the window opened by the customer's last message closes, if it is open at {@code now}. */
  private Optional<Instant> windowCloses(Recipient recipient, Instant now) {
    return recipient.lastInbound().filter(at -> recipient.subscribed()).map(at -> at.plus(quotas.window())).filter(now::isBefore);
  }
}
