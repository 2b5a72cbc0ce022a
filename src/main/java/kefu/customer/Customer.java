package kefu.customer;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A person who writes to the official account, known by their WeChat openid until the business's own records
 * give a name. {@link #toString()} shows the id only: customer data stays out of logs.
 */
public record Customer(
    long id,
    String openid,
    Optional<String> name,
    Optional<String> phone,
    Optional<LocalDate> birthday,
    Optional<String> notes,
    Instant createdAt,
    Instant updatedAt) {

  @Override
  public String toString() {
    return "Customer#" + id;
  }
}
