package kefu.ticket;

import java.time.Instant;
import java.util.Optional;

/**
 * A complaint ticket's record by 五清楚一报告: the complaint as told, what was asked, the handling, the result told to
 * the customer, the next reply promised, and whether it was major and reported. {@link #toString()} leaves out what
 * the customer said.
 */
public record Complaint(long ticketId, Severity severity, String told, String asked, String handling, String result,
    Optional<Instant> replyDueAt, Optional<Instant> breachedAt, Optional<Instant> reportedAt, Optional<Instant> resultToldAt) {

  /** 一般 or 重大: a major complaint is reported to the supervisors and the manager at once. */
  public enum Severity { NORMAL, MAJOR }

  /** Whether the promised reply is late at {@code now}. */
  public boolean overdue(Instant now) {
    return overdue(replyDueAt, now);
  }

  /** Whether a reply promised for {@code replyDueAt} (none: nothing promised) is late at {@code now}. */
  public static boolean overdue(Optional<Instant> replyDueAt, Instant now) {
    return replyDueAt.filter(due -> due.isBefore(now)).isPresent();
  }

  @Override
  public String toString() {
    return "Complaint[ticket " + ticketId + ", " + severity + "]";
  }
}
