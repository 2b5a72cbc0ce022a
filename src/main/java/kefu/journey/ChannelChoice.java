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

  /**
   * @param refused the channels WeChat refused for this step before: passed over, said so
   * @param reasons the words of the choice and of each option passed over before it
   */
  static Choice choose(Customer customer, Set<Channel> refused, boolean serviceNotice, boolean templateConfigured, ZoneId zone,
      Reasons reasons) {
    List<String> no = new ArrayList<>();
    if (!customer.linked()) {
      return new Choice(Channel.CALL_TASK, reasons.say("not-linked"));
    }
    if (!customer.following()) {
      return new Choice(Channel.CALL_TASK, reasons.say("unfollowed"));
    }
    Optional<Instant> closes = customer.allowance().closesAt();
    if (refused.contains(Channel.SERVICE)) {
      no.add(reasons.say("service-refused"));
    } else if (closes.isPresent() && customer.allowance().left() > 0) {
      return new Choice(Channel.SERVICE, reasons.say("service", "until", TIME.format(closes.get().atZone(zone)), "left",
          customer.allowance().left()));
    } else {
      no.add(reasons.say(closes.isPresent() ? "service-spent" : "service-closed"));
    }
    if (refused.contains(Channel.SUBSCRIBE)) {
      no.add(reasons.say("subscribe-refused"));
    } else if (customer.consent() == Consent.UNUSED) {
      return new Choice(Channel.SUBSCRIBE, then(no, reasons.say("subscribe")));
    } else {
      no.add(reasons.say(customer.consent() == Consent.NONE ? "subscribe-none" : "subscribe-off"));
    }
    if (refused.contains(Channel.TEMPLATE)) {
      no.add(reasons.say("template-refused"));
    } else if (!serviceNotice) {
      no.add(reasons.say("template-not-notice"));
    } else if (!templateConfigured) {
      no.add(reasons.say("template-off"));
    } else {
      return new Choice(Channel.TEMPLATE, then(no, reasons.say("template")));
    }
    return new Choice(Channel.CALL_TASK, then(no, reasons.say("call")));
  }

  private static String then(List<String> passedOver, String chosen) {
    List<String> all = new ArrayList<>(passedOver);
    all.add(chosen);
    return Reasons.join(all);
  }
}
