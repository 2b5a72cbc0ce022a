package kefu.customer;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Links WeChat followers to customer records without asking them for anything: a follower who scans a record's QR
 * code (its scene is the record's {@code link_code}) is linked to it, as is one an agent links by the reference.
 */
public final class RecordLinks {
  private static final Logger log = LoggerFactory.getLogger(RecordLinks.class);

  private final CustomerRecords records;

  public RecordLinks(CustomerRecords records) {
    this.records = records;
  }

  /**
   * The follower {@code customerId} scanned the QR code of {@code scene}: linked to its record, unless the record is
   * another follower's already (the code was printed for one customer; an agent can relink). Other scenes are not
   * records' and are left alone.
   */
  public void scanned(Connection c, long customerId, String scene, Instant at) throws SQLException {
    Optional<CustomerRecord> record = CustomerRecords.isLinkCode(scene) ? records.byLinkCode(c, scene) : Optional.empty();
    if (record.isEmpty()) {
      return;
    }
    if (records.link(c, record.get().id(), customerId, false, at)) {
      log.info("Customer#{} scanned the QR code of {} and is linked to it", customerId, record.get());
    } else {
      log.info("Customer#{} scanned the QR code of {}, which is another follower's; left as it is", customerId, record.get());
    }
  }

  /** An agent links the follower {@code customerId} to the record {@code reference}, replacing any link; empty if no such record. */
  public Optional<CustomerRecord> linkByHand(Connection c, long customerId, String reference, Instant at) throws SQLException {
    Optional<CustomerRecord> record = records.byReference(c, reference.strip());
    if (record.isPresent()) {
      records.link(c, record.get().id(), customerId, true, at);
    }
    return record;
  }
}
