package kefu.customer;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Told of every milestone set, moved or cancelled, in the transaction that changed it, so that a feature planning
 * from milestones (follow-up journeys) can move or stop its pending steps atomically with the change. A feature may
 * instead read the {@code milestones} table itself: a change always sets {@code updated_at}, a cancellation
 * {@code cancelled_at} and {@code cancel_reason}, and a new date clears both.
 */
@FunctionalInterface
public interface MilestoneChanges {
  MilestoneChanges NONE = (c, milestone) -> {};

  /** {@code milestone} as it is now; {@link Milestone#cancelled()} if it was cancelled. */
  void changed(Connection c, Milestone milestone) throws SQLException;
}
