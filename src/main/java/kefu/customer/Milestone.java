package kefu.customer;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A dated milestone of a customer record, one per record and kind: a new date replaces the old, and a cancelled one
 * keeps why until a date is set again.
 */
public record Milestone(long id, long recordId, MilestoneKind kind, LocalDate onDate, Source source,
    Optional<Instant> cancelledAt, Optional<String> cancelReason, Instant createdAt, Instant updatedAt) {

  /** Where a date came from, stored in {@code milestones.source}. */
  public enum Source { IMPORT, AGENT, API, KEFU }

  public boolean cancelled() {
    return cancelledAt.isPresent();
  }
}
