package kefu.customer;

import java.time.Instant;
import java.util.Optional;

/**
 * The business's own record of a customer (an order, a repair contract, a membership), by the reference the business
 * knows it by, linked to a WeChat follower once known. {@link #toString()} shows the id only: customer data stays out
 * of logs.
 *
 * @param line which of the business's lines it belongs to, like {@code studio} or {@code equipment}
 * @param customerId the follower ({@code customers.id}) it is linked to, if any
 * @param staff the staff who served, as the business names them
 * @param linkCode the scene of the record's QR code: scanning it links the follower to the record
 */
public record CustomerRecord(long id, String reference, String line, Optional<Long> customerId, Details details,
    Optional<Long> ownerAgentId, String linkCode, Instant createdAt, Instant updatedAt) {

  /** What the business knows of the customer in the record; empty fields are unknown. */
  public record Details(Optional<String> name, Optional<String> phone, Optional<Birthday> birthday, boolean member,
      Optional<String> address, Optional<String> packageName, Optional<String> company, Optional<String> contact,
      Optional<String> site, Optional<String> model, Optional<String> serialNumber, Optional<String> staff) {

    public static final Details NONE = new Details(Optional.empty(), Optional.empty(), Optional.empty(), false,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());

    /** The phone number with its middle hidden (138****5678), as pages show it. */
    public Optional<String> maskedPhone() {
      return phone.map(CustomerRecord::masked);
    }

    @Override
    public String toString() {
      return "Details[…]";
    }
  }

  /** {@code phone} with its middle hidden (138****5678), as pages show it. */
  public static String masked(String phone) {
    return phone.length() >= 7 ? phone.substring(0, 3) + "****" + phone.substring(phone.length() - 4) : "*".repeat(phone.length());
  }

  @Override
  public String toString() {
    return "CustomerRecord#" + id;
  }
}
