package kefu.journey;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kefu.conversation.Delivery;

/**
 * How a message step reaches the customer under WeChat's rules: within 48 hours of the customer's last message as a
 * customer-service message; outside them as a template message for a service notice when one is configured (a
 * subscription notice comes first once kefu records consents); otherwise an agent calls. What was chosen and every option refused on
 * the way are kept together, for the step's record.
 */
final class ChannelChoice {
  /** How a step went. */
  enum Channel { SERVICE, TEMPLATE, CALL_TASK }

  /** The channel and, in words, why: each option refused before it, then the one taken. */
  record Choice(Channel channel, String reason) {}

  /**
   * What is known of the customer now.
   *
   * @param linked whether the record is linked to a WeChat follower
   * @param following whether that follower still follows the account
   * @param allowance what the channel allows of customer-service messages now
   */
  record Customer(boolean linked, boolean following, Delivery.Allowance allowance) {}

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private ChannelChoice() {}

  static Choice choose(Customer customer, boolean serviceNotice, boolean templateConfigured, ZoneId zone) {
    List<String> refused = new ArrayList<>();
    if (!customer.linked()) {
      return new Choice(Channel.CALL_TASK, "call task: the record is not linked to a WeChat follower");
    }
    if (!customer.following()) {
      return new Choice(Channel.CALL_TASK, "call task: the customer no longer follows the account");
    }
    Optional<Instant> closes = customer.allowance().closesAt();
    if (closes.isPresent() && customer.allowance().left() > 0) {
      return new Choice(Channel.SERVICE, "customer-service message: within the window after the customer's last message (open until "
          + TIME.format(closes.get().atZone(zone)) + ", " + customer.allowance().left() + " left)");
    }
    refused.add(closes.isPresent() ? "no customer-service message: WeChat's quota for this window is spent"
        : "no customer-service message: outside the 48-hour window after the customer's last message");
    refused.add("no subscription notice: kefu does not record the customers' consents yet");
    if (!serviceNotice) {
      refused.add("no template message: the step is not a service notice");
    } else if (!templateConfigured) {
      refused.add("no template message: wechat.service-template is not configured");
    } else {
      return new Choice(Channel.TEMPLATE, String.join("; ", refused) + "; template message: a service notice, wechat.service-template");
    }
    return new Choice(Channel.CALL_TASK, String.join("; ", refused) + "; call task for the owner");
  }
}
