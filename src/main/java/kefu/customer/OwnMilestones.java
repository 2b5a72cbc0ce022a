package kefu.customer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.LocalDate;

/**
 * The milestones kefu itself sees happen, for the records linked to the customer: a chat closed, and for an equipment
 * customer (001, whose chats with the desk are their repair work orders, 报修) a repair ticket closed — so that the
 * day-after-repair survey starts from kefu without the business's own systems telling it.
 */
public final class OwnMilestones {
  /** The business line whose closed tickets are repairs. */
  public static final String REPAIR_LINE = "equipment";

  private final CustomerRecords records;
  private final ZoneId zone;

  /** @param zone the business's zone, in which a milestone's day is counted */
  public OwnMilestones(CustomerRecords records, ZoneId zone) {
    this.records = records;
    this.zone = zone;
  }

  /**
   * The customer's ticket was closed at {@code now}: each of their records has the day as its chat_closed milestone,
   * and an equipment record as its repair_closed one. In the caller's transaction.
   */
  public void ticketClosed(Connection c, long customerId, Instant now) throws SQLException {
    LocalDate day = now.atZone(zone).toLocalDate();
    for (CustomerRecord record : records.forCustomer(c, customerId)) {
      records.setMilestone(c, record.id(), MilestoneKind.CHAT_CLOSED, day, Milestone.Source.KEFU, now);
      if (record.line().equals(REPAIR_LINE)) {
        records.setMilestone(c, record.id(), MilestoneKind.REPAIR_CLOSED, day, Milestone.Source.KEFU, now);
      }
    }
  }
}
