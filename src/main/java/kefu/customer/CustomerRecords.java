package kefu.customer;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import kefu.store.Row;
import kefu.store.Sql;

/**
 * Reads and writes customer records and their milestones ({@code customer_records}, {@code milestones}); every
 * method runs inside the caller's transaction. Other features use this class and {@link MilestoneChanges}, or read
 * the two tables, never the rest of the package.
 *
 * <p>Milestones: one per record and kind. {@link #setMilestone} with a new date replaces the old one (and revives a
 * cancelled one); {@link #cancelMilestone} keeps the date and the reason. Each change is told to the
 * {@link MilestoneChanges} given, in the same transaction.
 */
public final class CustomerRecords {
  private static final String COLUMNS = "id, reference, line, customer_id, name, phone, birthday_year, birthday_month,"
      + " birthday_day, birthday_lunar, birthday_leap, member, address, package, company, contact, site, model,"
      + " serial_number, staff, owner_agent_id, link_code, created_at, updated_at";
  private static final String MILESTONE_COLUMNS = "id, record_id, kind, on_date, source, cancelled_at, cancel_reason,"
      + " created_at, updated_at";
  /** Letters and digits that are not read one for another on paper (no 0/o, 1/l/i). */
  private static final String CODE_LETTERS = "23456789abcdefghjkmnpqrstuvwxyz";
  private static final int CODE_LENGTH = 10;
  /** {@code customer_records.reference}. */
  public static final int MAX_REFERENCE = 64;
  /** The longest reason a cancellation keeps: {@code milestones.cancel_reason}. */
  public static final int MAX_REASON = 200;

  private final MilestoneChanges changes;
  private final SecureRandom random = new SecureRandom();

  public CustomerRecords(MilestoneChanges changes) {
    this.changes = changes;
  }

  /** What {@link #setMilestone} did. */
  public enum Change { ADDED, MOVED, RESTORED, UNCHANGED }

  public Optional<CustomerRecord> byReference(Connection c, String reference) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + " FROM customer_records WHERE reference = ?", CustomerRecords::read, reference);
  }

  public Optional<CustomerRecord> byId(Connection c, long id) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + " FROM customer_records WHERE id = ?", CustomerRecords::read, id);
  }

  public Optional<CustomerRecord> byLinkCode(Connection c, String code) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + " FROM customer_records WHERE link_code = ?", CustomerRecords::read, code);
  }

  /** The records linked to the follower {@code customerId}, newest first. */
  public List<CustomerRecord> forCustomer(Connection c, long customerId) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM customer_records WHERE customer_id = ? ORDER BY id DESC",
        CustomerRecords::read, customerId);
  }

  /**
   * Records whose reference, name or company contains {@code text} (all records if blank), newest first, at most
   * {@code limit}.
   */
  public List<CustomerRecord> search(Connection c, String text, int limit) throws SQLException {
    String like = "%" + text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return Sql.list(c, "SELECT " + COLUMNS + " FROM customer_records WHERE reference LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\'"
        + " OR company LIKE ? ESCAPE '\\' ORDER BY updated_at DESC, id DESC FETCH FIRST " + limit + " ROWS ONLY",
        CustomerRecords::read, like, like, like);
  }

  /**
   * The record {@code reference}, created with {@code details} if new; if it exists, its line and the details
   * given replace those on file, field by field: an empty field leaves what is on file.
   */
  public CustomerRecord save(Connection c, String reference, String line, CustomerRecord.Details details, Instant now)
      throws SQLException {
    Optional<CustomerRecord> known = byReference(c, reference);
    if (known.isEmpty()) {
      Optional<Birthday> b = details.birthday();
      long id = Sql.insert(c, "INSERT INTO customer_records (reference, line, name, phone, birthday_year, birthday_month,"
              + " birthday_day, birthday_lunar, birthday_leap, member, address, package, company, contact, site, model,"
              + " serial_number, staff, link_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
              + " ?, ?, ?, ?, ?, ?, ?, ?)",
          reference, line, details.name(), details.phone(), b.flatMap(Birthday::year), b.map(Birthday::month),
          b.map(Birthday::day), b.map(Birthday::lunar).orElse(false), b.map(Birthday::leap).orElse(false), details.member(),
          details.address(), details.packageName(), details.company(), details.contact(), details.site(), details.model(),
          details.serialNumber(), details.staff(), newLinkCode(c), now, now);
      return byId(c, id).orElseThrow();
    }
    CustomerRecord.Details old = known.get().details();
    CustomerRecord.Details merged = new CustomerRecord.Details(details.name().or(old::name), details.phone().or(old::phone),
        details.birthday().or(old::birthday), details.member() || old.member(), details.address().or(old::address),
        details.packageName().or(old::packageName), details.company().or(old::company), details.contact().or(old::contact),
        details.site().or(old::site), details.model().or(old::model), details.serialNumber().or(old::serialNumber),
        details.staff().or(old::staff));
    Optional<Birthday> b = merged.birthday();
    Sql.update(c, "UPDATE customer_records SET line = ?, name = ?, phone = ?, birthday_year = ?, birthday_month = ?,"
            + " birthday_day = ?, birthday_lunar = ?, birthday_leap = ?, member = ?, address = ?, package = ?, company = ?,"
            + " contact = ?, site = ?, model = ?, serial_number = ?, staff = ?, updated_at = ? WHERE id = ?",
        line, merged.name(), merged.phone(), b.flatMap(Birthday::year), b.map(Birthday::month), b.map(Birthday::day),
        b.map(Birthday::lunar).orElse(false), b.map(Birthday::leap).orElse(false), merged.member(), merged.address(),
        merged.packageName(), merged.company(), merged.contact(), merged.site(), merged.model(), merged.serialNumber(),
        merged.staff(), now, known.get().id());
    return byId(c, known.get().id()).orElseThrow();
  }

  /** Whether {@code scene} could be a record's {@code link_code}: other QR codes of the account have other scenes. */
  public static boolean isLinkCode(String scene) {
    return scene.length() == CODE_LENGTH && scene.startsWith("r") && scene.chars().allMatch(ch -> ch == 'r' || CODE_LETTERS.indexOf(ch) >= 0);
  }

  /** A fresh scene for a record's QR code. */
  private String newLinkCode(Connection c) throws SQLException {
    while (true) {
      StringBuilder code = new StringBuilder("r");
      for (int i = 1; i < CODE_LENGTH; i++) {
        code.append(CODE_LETTERS.charAt(random.nextInt(CODE_LETTERS.length())));
      }
      if (byLinkCode(c, code.toString()).isEmpty()) {
        return code.toString();
      }
    }
  }

  /**
   * Links the follower {@code customerId} to the record; a record already linked to another follower stays so
   * (the QR code was printed for one customer; an agent relinks by hand with {@code replace}). True if linked now.
   */
  public boolean link(Connection c, long recordId, long customerId, boolean replace, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE customer_records SET customer_id = ?, updated_at = ? WHERE id = ?"
        + (replace ? "" : " AND (customer_id IS NULL OR customer_id = ?)"),
        replace ? new Object[] {customerId, now, recordId} : new Object[] {customerId, now, recordId, customerId}) == 1;
  }

  /** Sets who owns the record's follow-ups. */
  public void setOwner(Connection c, long recordId, Optional<Long> agentId, Instant now) throws SQLException {
    Sql.update(c, "UPDATE customer_records SET owner_agent_id = ?, updated_at = ? WHERE id = ?", agentId, now, recordId);
  }

  /** The record's milestones, cancelled ones too, by date. */
  public List<Milestone> milestones(Connection c, long recordId) throws SQLException {
    return Sql.list(c, "SELECT " + MILESTONE_COLUMNS + " FROM milestones WHERE record_id = ? ORDER BY on_date, kind",
        CustomerRecords::readMilestone, recordId);
  }

  public Optional<Milestone> milestone(Connection c, long recordId, MilestoneKind kind) throws SQLException {
    return Sql.one(c, "SELECT " + MILESTONE_COLUMNS + " FROM milestones WHERE record_id = ? AND kind = ?",
        CustomerRecords::readMilestone, recordId, kind.key());
  }

  /**
   * Sets the record's milestone of {@code kind} to {@code date}: added, moved from its old date, or restored if it
   * was cancelled; the same date again changes nothing (not even its source).
   */
  public Change setMilestone(Connection c, long recordId, MilestoneKind kind, LocalDate date, Milestone.Source source,
      Instant now) throws SQLException {
    Optional<Milestone> known = milestone(c, recordId, kind);
    Change change;
    if (known.isEmpty()) {
      Sql.update(c, "INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
          recordId, kind.key(), date, source, now, now);
      change = Change.ADDED;
    } else if (known.get().onDate().equals(date) && !known.get().cancelled()) {
      return Change.UNCHANGED;
    } else {
      Sql.update(c, "UPDATE milestones SET on_date = ?, source = ?, cancelled_at = NULL, cancel_reason = NULL, updated_at = ?"
          + " WHERE id = ?", date, source, now, known.get().id());
      change = known.get().cancelled() ? Change.RESTORED : Change.MOVED;
    }
    changes.changed(c, milestone(c, recordId, kind).orElseThrow());
    return change;
  }

  /**
   * Cancels the record's milestone of {@code kind}, keeping its date and {@code reason}; empty if it has none. A
   * second cancellation keeps the first's time and replaces the reason.
   */
  public Optional<Milestone> cancelMilestone(Connection c, long recordId, MilestoneKind kind, String reason, Instant now)
      throws SQLException {
    if (Sql.update(c, "UPDATE milestones SET cancelled_at = COALESCE(cancelled_at, ?), cancel_reason = ?, updated_at = ?"
        + " WHERE record_id = ? AND kind = ?", now, reason, now, recordId, kind.key()) == 0) {
      return Optional.empty();
    }
    Milestone cancelled = milestone(c, recordId, kind).orElseThrow();
    changes.changed(c, cancelled);
    return Optional.of(cancelled);
  }

  private static CustomerRecord read(Row row) throws SQLException {
    Optional<Long> month = row.optionalLong("birthday_month");
    Optional<Birthday> birthday = month.isEmpty() ? Optional.empty() : Optional.of(new Birthday(
        row.optionalLong("birthday_year").map(Long::intValue), month.get().intValue(),
        row.optionalLong("birthday_day").orElse(1L).intValue(), row.bool("birthday_lunar"), row.bool("birthday_leap")));
    return new CustomerRecord(row.longValue("id"), row.string("reference"), row.string("line"), row.optionalLong("customer_id"),
        new CustomerRecord.Details(row.optionalString("name"), row.optionalString("phone"), birthday, row.bool("member"),
            row.optionalString("address"), row.optionalString("package"), row.optionalString("company"),
            row.optionalString("contact"), row.optionalString("site"), row.optionalString("model"),
            row.optionalString("serial_number"), row.optionalString("staff")),
        row.optionalLong("owner_agent_id"), row.string("link_code"), row.instant("created_at"), row.instant("updated_at"));
  }

  private static Milestone readMilestone(Row row) throws SQLException {
    String kind = row.string("kind");
    return new Milestone(row.longValue("id"), row.longValue("record_id"),
        MilestoneKind.byKey(kind).orElseThrow(() -> new SQLException("unknown milestone kind " + kind)),
        row.date("on_date"), row.enumOf(Milestone.Source.class, "source"), row.optionalInstant("cancelled_at"),
        row.optionalString("cancel_reason"), row.instant("created_at"), row.instant("updated_at"));
  }
}
