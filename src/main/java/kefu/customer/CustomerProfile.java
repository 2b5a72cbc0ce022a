package kefu.customer;

import java.time.LocalDate;
import java.util.Optional;

/** What the business knows of a customer beyond the openid: imported, or told in chat. */
public record CustomerProfile(
    Optional<String> name, Optional<String> phone, Optional<LocalDate> birthday, Optional<String> notes) {

  @Override
  public String toString() {
    return "CustomerProfile[…]";
  }
}
