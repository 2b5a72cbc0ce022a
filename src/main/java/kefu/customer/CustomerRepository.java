package kefu.customer;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.store.Row;
import kefu.store.Sql;

/** Reads and writes customers; every method runs inside the caller's transaction. */
public final class CustomerRepository {
  private static final String COLUMNS =
      "id, openid, name, phone, birthday, notes, tags, created_at, updated_at, held_since, prompted_at, survey_until";
  private static final String BY_OPENID = "SELECT " + COLUMNS + " FROM customers WHERE openid = ?";

  /** The customer with this openid, created on first contact. Safe when two nodes see the same new customer. */
  public Customer findOrCreate(Connection c, String openid, Instant now) throws SQLException {
    return orCreate(c, openid, now, "");
  }

  /**
   * The customer with this openid, created on first contact, their row locked until the transaction ends — read and
   * locked in one statement, so that one customer's turns are stored one at a time at the cost of a read.
   */
  public Customer lockOrCreate(Connection c, String openid, Instant now) throws SQLException {
    return orCreate(c, openid, now, " FOR UPDATE");
  }

  private Customer orCreate(Connection c, String openid, Instant now, String lock) throws SQLException {
    String select = BY_OPENID + lock;
    Optional<Customer> existing = Sql.one(c, select, CustomerRepository::read, openid);
    if (existing.isPresent()) {
      return existing.get();
    }
    // Another node may insert the same openid between our select and insert: fall back to its row.
    Savepoint beforeInsert = c.setSavepoint();
    try {
      Sql.update(c, "INSERT INTO customers (openid, created_at, updated_at) VALUES (?, ?, ?)", openid, now, now);
    } catch (SQLException e) {
      if (!Sql.isUniqueViolation(e)) {
        throw e;
      }
      c.rollback(beforeInsert);
    }
    return Sql.one(c, select, CustomerRepository::read, openid).orElseThrow();
  }

  public Optional<Customer> byOpenid(Connection c, String openid) throws SQLException {
    return Sql.one(c, BY_OPENID, CustomerRepository::read, openid);
  }

  public Optional<Customer> byId(Connection c, long id) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + " FROM customers WHERE id = ?", CustomerRepository::read, id);
  }

  /** Replaces what the business knows of the customer. */
  public void updateProfile(Connection c, long id, CustomerProfile profile, Instant now) throws SQLException {
    Optional<String> tags = profile.tags().isEmpty() ? Optional.empty() : Optional.of(String.join(",", profile.tags()));
    if (Sql.update(c, "UPDATE customers SET name = ?, phone = ?, birthday = ?, notes = ?, tags = ?, updated_at = ? WHERE id = ?",
        profile.name(), profile.phone(), profile.birthday(), profile.notes(), tags, now, id) != 1) {
      throw new SQLException("no customer with id " + id);
    }
  }

  /** Locks the customer's row until the transaction ends, so one customer's turns are stored one at a time. */
  public static void lock(Connection c, long id) throws SQLException {
    Sql.one(c, "SELECT id FROM customers WHERE id = ? FOR UPDATE", row -> row.longValue("id"), id)
        .orElseThrow(() -> new SQLException("no customer with id " + id));
  }

  /**
   * Records what the customer just did, as WeChat counts it for what may be sent to them: a message opens the
   * customer-service window, a menu click or a follow a short allowance, an unfollow ends everything. Written
   * {@linkplain Sql#later later} in a group commit: what reads it (the outbox's sender) reads it once committed.
   */
  public void recordActivity(Connection c, long id, Activity activity, Instant at) throws SQLException {
    String set = switch (activity) {
      case MESSAGE -> "subscribed = TRUE, last_inbound_at = ?";
      case EVENT -> "last_event_at = ?";
      case FOLLOW -> "subscribed = TRUE, last_event_at = ?";
      case UNFOLLOW -> "subscribed = FALSE, updated_at = ?";
    };
    Sql.later(c, "UPDATE customers SET " + set + " WHERE id = ?", at, id);
  }

  /**
   * What the account may send a customer depends on: whether they follow it, and when they last wrote and last
   * clicked a menu or followed.
   */
  public record Reach(String openid, boolean subscribed, Optional<Instant> lastInbound, Optional<Instant> lastEvent) {
    @Override
    public String toString() {
      return "Reach[subscribed=" + subscribed + ", lastInbound=" + lastInbound + ", lastEvent=" + lastEvent + "]";
    }
  }

  /** The customer's {@link Reach}; empty for an unknown id. */
  public Optional<Reach> reach(Connection c, long id) throws SQLException {
    return Sql.one(c, "SELECT " + REACH + " FROM customers WHERE id = ?", CustomerRepository::readReach, id);
  }

  /**
   * Locks the customers {@code ids} (as {@link #lock} does each), in id order so that two callers never wait for each
   * other in a circle, and returns each one's {@link Reach} by id; unknown ids are left out.
   */
  public Map<Long, Reach> lockReach(Connection c, List<Long> ids) throws SQLException {
    Map<Long, Reach> reach = new HashMap<>();
    for (Map.Entry<Long, Reach> customer : Sql.list(c, "SELECT id, " + REACH + " FROM customers WHERE id IN ("
        + Sql.placeholders(ids.size()) + ") ORDER BY id FOR UPDATE", row -> Map.entry(row.longValue("id"), readReach(row)), ids.toArray())) {
      reach.put(customer.getKey(), customer.getValue());
    }
    return reach;
  }

  private static final String REACH = "openid, subscribed, last_inbound_at, last_event_at";

  private static Reach readReach(Row row) throws SQLException {
    return new Reach(row.string("openid"), row.bool("subscribed"), row.optionalInstant("last_inbound_at"),
        row.optionalInstant("last_event_at"));
  }

  /**
   * Marks the customer as having replies held back until they write again (WeChat's quota was used up); the mark
   * keeps the time of the first. Call it with the customer locked.
   */
  public void holdReplies(Connection c, long id, Instant now) throws SQLException {
    Sql.update(c, "UPDATE customers SET held_since = COALESCE(held_since, ?) WHERE id = ?", now, id);
  }

  /**
   * Clears the mark of {@link #holdReplies} of a customer read with their row locked whose {@link
   * Customer#repliesHeld} says it is set; false, and nothing written, if it was not.
   */
  public boolean releaseReplies(Connection c, Customer locked) throws SQLException {
    return locked.repliesHeld()
        && Sql.update(c, "UPDATE customers SET held_since = NULL WHERE id = ? AND held_since IS NOT NULL", locked.id()) == 1;
  }

  /** What a customer did, as far as WeChat's sending rules are concerned. */
  public enum Activity { MESSAGE, EVENT, FOLLOW, UNFOLLOW }

  private static Customer read(Row row) throws SQLException {
    return new Customer(
        row.longValue("id"),
        row.string("openid"),
        row.optionalString("name"),
        row.optionalString("phone"),
        row.optionalDate("birthday"),
        row.optionalString("notes"),
        row.optionalString("tags").map(t -> List.of(t.split(","))).orElse(List.of()),
        row.instant("created_at"),
        row.instant("updated_at"),
        row.optionalInstant("held_since").isPresent(),
        row.optionalInstant("prompted_at"),
        row.optionalInstant("survey_until"));
  }
}
