package kefu.journey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import kefu.store.Sql;

/**
 * Customers' consents to one-time subscription notices (订阅通知), counted by kefu as WeChat tells nobody how many are
 * left: each accepted popup is one send; a reject in the customer's settings withdraws those not used. Every decision
 * is kept. Every method runs inside the caller's transaction.
 */
public final class Consents {

  /**
   * Records a decision of the customer's on {@code templateId}.
   *
   * @param popup true: the popup's answer (an accept is one send); false: a change in their settings (a reject
   *     withdraws every send not used)
   */
  public void decided(Connection c, long customerId, String templateId, boolean popup, boolean accepted, Instant at) throws SQLException {
    Sql.update(c, "INSERT INTO subscribe_consents (customer_id, template_id, event, accepted, decided_at) VALUES (?, ?, ?, ?, ?)",
        customerId, templateId, popup ? "popup" : "change", accepted, at);
    if (!popup && !accepted) {
      Sql.update(c, "UPDATE subscribe_consents SET withdrawn_at = ? WHERE customer_id = ? AND template_id = ? AND " + UNUSED,
          at, customerId, templateId);
    }
  }

  private static final String UNUSED = "event = 'popup' AND accepted = TRUE AND used_at IS NULL AND withdrawn_at IS NULL";

  /** Whether the customer has a send of {@code templateId} allowed and not used. */
  boolean unused(Connection c, long customerId, String templateId) throws SQLException {
    return Sql.count(c, "SELECT COUNT(*) FROM subscribe_consents WHERE customer_id = ? AND template_id = ? AND " + UNUSED,
        customerId, templateId) > 0;
  }

  /** Uses the customer's oldest unused consent for {@code templateId} for the step {@code stepId}; false if none is left. */
  boolean use(Connection c, long customerId, String templateId, long stepId, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE subscribe_consents SET used_at = ?, used_by_step = ? WHERE id = (SELECT MIN(id) FROM subscribe_consents"
        + " WHERE customer_id = ? AND template_id = ? AND " + UNUSED + ") AND used_at IS NULL", now, stepId, customerId, templateId) == 1;
  }

  /** The consent the step used is not used after all: WeChat refused the notice for another reason than the consent. */
  void giveBack(Connection c, long stepId) throws SQLException {
    Sql.update(c, "UPDATE subscribe_consents SET used_at = NULL, used_by_step = NULL WHERE used_by_step = ?", stepId);
  }
}
