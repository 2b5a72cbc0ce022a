package kefu.customer;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * A person who writes to the official account, known by their WeChat openid until the business's own records
 * give a name. {@link #toString()} shows the id only: customer data stays out of logs.
 *
 * @param repliesHeld replies wait for the customer's next message, WeChat's quota for them being spent
 * @param promptedAt when the desk last put a question to the customer that their next message may answer (a rating,
 *     whether to keep waiting); what the question was is with the ticket
 * @param surveyUntil until when a survey may be asking the customer in the chat; which one, and whether it still
 *     does, is with the survey's run
 */
public record Customer(
    long id,
    String openid,
    Optional<String> name,
    Optional<String> phone,
    Optional<LocalDate> birthday,
    Optional<String> notes,
    List<String> tags,
    Instant createdAt,
    Instant updatedAt,
    boolean repliesHeld,
    Optional<Instant> promptedAt,
    Optional<Instant> surveyUntil) {

  public Customer {
    tags = List.copyOf(tags);
  }

  /** The phone number with its middle hidden (138****5678), for pages that show it until an agent reveals it. */
  public Optional<String> maskedPhone() {
    return phone.map(p -> p.length() >= 7 ? p.substring(0, 3) + "****" + p.substring(p.length() - 4) : "*".repeat(p.length()));
  }

  @Override
  public String toString() {
    return "Customer#" + id;
  }
}
