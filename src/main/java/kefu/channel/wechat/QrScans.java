package kefu.channel.wechat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Told when a follower scans a parametric QR code (or follows the account through one), in the transaction that
 * stores the event, with the code's scene; the feature that made the code (customer records) decides what it means.
 */
@FunctionalInterface
public interface QrScans {
  QrScans NONE = (c, customerId, scene, at) -> {};

  void scanned(Connection c, long customerId, String scene, Instant at) throws SQLException;
}
