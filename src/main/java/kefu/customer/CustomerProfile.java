package kefu.customer;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/** What the business knows of a customer beyond the openid: imported, or told in chat. */
public record CustomerProfile(
    Optional<String> name, Optional<String> phone, Optional<LocalDate> birthday, Optional<String> notes, List<String> tags) {

  public CustomerProfile {
    tags = List.copyOf(tags);
  }

  @Override
  public String toString() {
    return "CustomerProfile[…]";
  }
}
