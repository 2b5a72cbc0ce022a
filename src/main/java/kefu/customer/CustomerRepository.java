package kefu.customer;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import kefu.store.Database;

/** Reads and writes customers; every method runs inside the caller's transaction. */
public final class CustomerRepository {
  private static final String COLUMNS = "id, openid, name, phone, birthday, notes, tags, created_at, updated_at";
  private static final String UNIQUE_VIOLATION = "23505";

  /** The customer with this openid, created on first contact. Safe when two nodes see the same new customer. */
  public Customer findOrCreate(Connection c, String openid, Instant now) throws SQLException {
    Optional<Customer> existing = byOpenid(c, openid);
    if (existing.isPresent()) {
      return existing.get();
    }
    // Another node may insert the same openid between our select and insert: fall back to its row.
    Savepoint beforeInsert = c.setSavepoint();
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO customers (openid, created_at, updated_at) VALUES (?, ?, ?)")) {
      insert.setString(1, openid);
      insert.setObject(2, Database.timestamp(now));
      insert.setObject(3, Database.timestamp(now));
      insert.executeUpdate();
    } catch (SQLException e) {
      if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
        throw e;
      }
      c.rollback(beforeInsert);
    }
    return byOpenid(c, openid).orElseThrow();
  }

  public Optional<Customer> byOpenid(Connection c, String openid) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM customers WHERE openid = ?", openid);
  }

  public Optional<Customer> byId(Connection c, long id) throws SQLException {
    return one(c, "SELECT " + COLUMNS + " FROM customers WHERE id = ?", id);
  }

  /** Replaces what the business knows of the customer. */
  public void updateProfile(Connection c, long id, CustomerProfile profile, Instant now) throws SQLException {
    try (PreparedStatement update = c.prepareStatement(
        "UPDATE customers SET name = ?, phone = ?, birthday = ?, notes = ?, tags = ?, updated_at = ? WHERE id = ?")) {
      update.setString(1, profile.name().orElse(null));
      update.setString(2, profile.phone().orElse(null));
      if (profile.birthday().isPresent()) {
        update.setDate(3, Date.valueOf(profile.birthday().get()));
      } else {
        update.setNull(3, Types.DATE);
      }
      update.setString(4, profile.notes().orElse(null));
      update.setString(5, profile.tags().isEmpty() ? null : String.join(",", profile.tags()));
      update.setObject(6, Database.timestamp(now));
      update.setLong(7, id);
      if (update.executeUpdate() != 1) {
        throw new SQLException("no customer with id " + id);
      }
    }
  }

  /** Locks the customer's row until the transaction ends, so one customer's turns are stored one at a time. */
  public static void lock(Connection c, long id) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement("SELECT id FROM customers WHERE id = ? FOR UPDATE")) {
      lock.setLong(1, id);
      try (ResultSet rs = lock.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no customer with id " + id);
        }
      }
    }
  }

  /**
   * Records what the customer just did, as WeChat counts it for what may be sent to them: a message opens the
   * customer-service window, a menu click or a follow a short allowance, an unfollow ends everything.
   */
  public void recordActivity(Connection c, long id, Activity activity, Instant at) throws SQLException {
    String set = switch (activity) {
      case MESSAGE -> "subscribed = TRUE, last_inbound_at = ?";
      case EVENT -> "last_event_at = ?";
      case FOLLOW -> "subscribed = TRUE, last_event_at = ?";
      case UNFOLLOW -> "subscribed = FALSE, updated_at = ?";
    };
    try (PreparedStatement update = c.prepareStatement("UPDATE customers SET " + set + " WHERE id = ?")) {
      update.setObject(1, Database.timestamp(at));
      update.setLong(2, id);
      update.executeUpdate();
    }
  }

  /** What a customer did, as far as WeChat's sending rules are concerned. */
  public enum Activity { MESSAGE, EVENT, FOLLOW, UNFOLLOW }

  private Optional<Customer> one(Connection c, String sql, Object key) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setObject(1, key);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(read(rs)) : Optional.empty();
      }
    }
  }

  private static Customer read(ResultSet rs) throws SQLException {
    Date birthday = rs.getDate("birthday");
    return new Customer(
        rs.getLong("id"),
        rs.getString("openid"),
        Optional.ofNullable(rs.getString("name")),
        Optional.ofNullable(rs.getString("phone")),
        Optional.ofNullable(birthday).map(Date::toLocalDate),
        Optional.ofNullable(rs.getString("notes")),
        Optional.ofNullable(rs.getString("tags")).map(t -> List.of(t.split(","))).orElse(List.of()),
        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }
}
