package kefu.journey;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kefu.conversation.Delivery;

/**
 * How a message step reaches the customer under WeChat's rules: within 48 hours of the customer's last message as a
 * customer-service message; outside them as a one-time subscription notice while the customer has an unused
 * "Allow" for it; else as a template message for a service notice when one is configured; otherwise an agent calls.
 * A way WeChat refused for the step already is passed over: each refusal turns into the next choice. What was
 * chosen and every option refused on the way are kept together, for the step's record.
 */
final class ChannelChoice {
  /** How a step went. */
  enum Channel { SERVICE, SUBSCRIBE, TEMPLATE, CALL_TASK }

  /** The channel and, in words, why: each option refused before it, then the one taken. */
  record Choice(Channel channel, String reason) {}

  /** Whether the customer may be sent the subscription notice. */
  enum Consent {
    /** journey.subscribe-template is not set: kefu sends no subscription notices. */
    NOT_CONFIGURED,
    /** No unused "Allow" of the customer's for it. */
    NONE,
    /** One "Allow" at least not used yet. */
    UNUSED
  }

  /**
   * What is known of the customer now.
   *
   * @param linked whether the record is linked to a WeChat follower
   * @param following whether that follower still follows the account
   * @param allowance what the channel allows of customer-service messages now
   * @param consent whether they allowed a subscription notice not used yet
   */
  record Customer(boolean linked, boolean following, Delivery.Allowance allowance, Consent consent) {}

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private ChannelChoice() {}

  /** @param refused the channels WeChat refused for this step before: passed over, said so */
  static Choice choose(Customer customer, Set<Channel> refused, boolean serviceNotice, boolean templateConfigured, ZoneId zone) {
    List<String> no = new ArrayList<>();
    if (!customer.linked()) {
      return new Choice(Channel.CALL_TASK, "call task: the record is not linked to a WeChat follower");
    }
    if (!customer.following()) {
      return new Choice(Channel.CALL_TASK, "call task: the customer no longer follows the account");
    }
    Optional<Instant> closes = customer.allowance().closesAt();
    if (refused.contains(Channel.SERVICE)) {
      no.add("no customer-service message: WeChat refused it");
    } else if (closes.isPresent() && customer.allowance().left() > 0) {
      return new Choice(Channel.SERVICE, "customer-service message: within the window after the customer's last message (open until "
          + TIME.format(closes.get().atZone(zone)) + ", " + customer.allowance().left() + " left)");
    } else {
      no.add(closes.isPresent() ? "no customer-service message: WeChat's quota for this window is spent"
          : "no customer-service message: outside the 48-hour window after the customer's last message");
    }
    if (refused.contains(Channel.SUBSCRIBE)) {
      no.add("no subscription notice: WeChat refused it");
    } else if (customer.consent() == Consent.UNUSED) {
      return new Choice(Channel.SUBSCRIBE, String.join("; ", no) + "; subscription notice: the customer allowed one, used now");
    } else {
      no.add(customer.consent() == Consent.NONE ? "no subscription notice: the customer has no unused \"Allow\" for it"
          : "no subscription notice: journey.subscribe-template is not configured");
    }
    if (refused.contains(Channel.TEMPLATE)) {
      no.add("no template message: WeChat refused it");
    } else if (!serviceNotice) {
      no.add("no template message: the step is not a service notice");
    } else if (!templateConfigured) {
      no.add("no template message: wechat.service-template is not configured");
    } else {
      return new Choice(Channel.TEMPLATE, String.join("; ", no) + "; template message: a service notice, wechat.service-template");
    }
    return new Choice(Channel.CALL_TASK, String.join("; ", no) + "; call task for the owner");
  }
}
