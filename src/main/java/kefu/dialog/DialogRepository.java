package kefu.dialog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import kefu.store.Database;

/** Keeps each customer's {@link DialogState}; every method runs inside the caller's transaction. */
final class DialogRepository {

  /** The customer's state, or a fresh one if none was kept or it was last changed before {@code freshAfter}. */
  DialogState load(Connection c, long customerId, Instant freshAfter) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT state, updated_at FROM dialogs WHERE customer_id = ?")) {
      select.setLong(1, customerId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next() || rs.getObject("updated_at", OffsetDateTime.class).toInstant().isBefore(freshAfter)) {
          return DialogState.FRESH;
        }
        return DialogState.fromJson(rs.getString("state"));
      }
    }
  }

  void save(Connection c, long customerId, DialogState state, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE dialogs SET state = ?, updated_at = ? WHERE customer_id = ?")) {
      update.setString(1, state.toJson());
      update.setObject(2, Database.timestamp(now));
      update.setLong(3, customerId);
      if (update.executeUpdate() == 1) {
        return;
      }
    }
    // The customer's row is locked by the turn (ConversationRepository.openFor), so no other insert races this one.
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO dialogs (customer_id, state, updated_at) VALUES (?, ?, ?)")) {
      insert.setLong(1, customerId);
      insert.setString(2, state.toJson());
      insert.setObject(3, Database.timestamp(now));
      insert.executeUpdate();
    }
  }
}
