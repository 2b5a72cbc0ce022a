package kefu.channel.wechat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Told of a customer's decisions on one-time subscription notices (订阅通知) — the popup's accept or reject, or a
 * change in their settings — in the transaction that stores the event, once per event (WeChat's retries are
 * recognised before); the feature that sends the notices (follow-up journeys) keeps the consents.
 */
@FunctionalInterface
public interface SubscribeDecisions {
  SubscribeDecisions NONE = (c, customerId, decision, at) -> {};

  /**
   * One template's decision in a subscription event.
   *
   * @param popup true: the customer answered the popup (subscribe_msg_popup_event); false: they changed it in their
   *     settings (subscribe_msg_change_event)
   */
  record Decision(String templateId, boolean popup, boolean accepted) {}

  void decided(Connection c, long customerId, Decision decision, Instant at) throws SQLException;
}
