package kefu.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;

/** One row of a query's result as {@link Sql} hands it to a mapper: typed reads, NULL as {@link Optional#empty()}. */
public final class Row {
  private final ResultSet rs;

  Row(ResultSet rs) {
    this.rs = rs;
  }

  public long longValue(String column) throws SQLException {
    return rs.getLong(column);
  }

  public int integer(String column) throws SQLException {
    return rs.getInt(column);
  }

  public int integer(int column) throws SQLException {
    return rs.getInt(column);
  }

  public boolean bool(String column) throws SQLException {
    return rs.getBoolean(column);
  }

  /** A text column; null where the column is NULL. */
  public String string(String column) throws SQLException {
    return rs.getString(column);
  }

  public Optional<String> optionalString(String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }

  public Optional<Long> optionalLong(String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(value);
  }

  public Optional<Double> optionalDouble(String column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(value);
  }

  /** A date column (a day without a time) that is never NULL. */
  public LocalDate date(String column) throws SQLException {
    return optionalDate(column).orElseThrow(() -> new SQLException(column + " is NULL"));
  }

  /** A timestamp column that is never NULL. */
  public Instant instant(String column) throws SQLException {
    return optionalInstant(column).orElseThrow(() -> new SQLException(column + " is NULL"));
  }

  public Optional<Instant> optionalInstant(String column) throws SQLException {
    return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
  }

  /** A DATE column, as the calendar day stored (no time zone applied); empty where it is NULL. */
  public Optional<LocalDate> optionalDate(String column) throws SQLException {
    return Optional.ofNullable(rs.getObject(column, LocalDate.class));
  }

  /** An enum stored by its lower-case name, as {@link Sql} binds it. */
  public <E extends Enum<E>> E enumOf(Class<E> type, String column) throws SQLException {
    return Enum.valueOf(type, rs.getString(column).toUpperCase(Locale.ROOT));
  }
}
