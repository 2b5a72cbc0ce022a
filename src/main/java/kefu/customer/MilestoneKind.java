package kefu.customer;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The dated events of a customer's story that follow-ups are planned from; stored by {@link #key()} in
 * {@code milestones.kind}.
 */
public enum MilestoneKind {
  BOOKING, SHOOT, PROOFS, PICKUP, WEDDING,
  PURCHASE, WARRANTY_END, CONSUMABLES, REPAIR_CLOSED,
  /** The customer decided on renewing the warranty (either way): the weekly renewal calls stop. */
  RENEWAL_DECIDED,
  CHAT_CLOSED,
  /** The day the customer became a member: membership anniversaries are greeted from it. */
  MEMBER_SINCE;

  /** The name in the table, the API and the plans: booking, warranty_end … */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<MilestoneKind> byKey(String key) {
    return Arrays.stream(values()).filter(k -> k.key().equals(key)).findFirst();
  }
}
