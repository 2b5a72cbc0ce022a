package kefu.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Plain JDBC one statement at a time, in the caller's transaction: binds parameters as the schema stores them and
 * reads rows through {@link Row}. Not an ORM: each repository still writes its own SQL.
 *
 * <p>Parameters: an {@link Instant} is stored as a UTC timestamp, an {@link Enum} as its lower-case name (the
 * values the tables hold, so SQL never spells a status of its own), an {@link Optional} as its value or NULL, and
 * {@code null} as NULL.
 */
public final class Sql {
  private Sql() {}

  /** Maps the current row of a result. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(Row row) throws SQLException;
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the rows it changed. */
  public static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      bind(statement, params);
      return statement.executeUpdate();
    }
  }

  /**
   * Runs an INSERT or UPDATE whose outcome the transaction never reads again, and that any other such write commutes
   * with: at once, or — in work a {@linkplain Database#inGroupCommit group commit} runs — with the same statement of
   * the batch's other work in one {@code executeBatch} when the batch ends, before its commit.
   */
  public static void later(Connection c, String sql, Object... params) throws SQLException {
    if (!HeldWrites.hold(c, sql, params)) {
      update(c, sql, params);
    }
  }

  /** Runs one statement for each parameter list, in one {@code executeBatch}. */
  static void batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      for (Object[] params : rows) {
        bind(statement, params);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** Runs an INSERT into a table with a generated {@code id}; returns that id. */
  public static long insert(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
      bind(statement, params);
      statement.executeUpdate();
      try (ResultSet keys = statement.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("no generated key from: " + sql);
        }
        return keys.getLong(1);
      }
    }
  }

  /** The first row a query finds, if any. */
  public static <T> Optional<T> one(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      bind(statement, params);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.of(mapper.map(new Row(rs))) : Optional.empty();
      }
    }
  }

  /** Every row a query finds, in its order. */
  public static <T> List<T> list(Connection c, String sql, RowMapper<T> mapper, Object... params) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      bind(statement, params);
      try (ResultSet rs = statement.executeQuery()) {
        List<T> rows = new ArrayList<>();
        Row row = new Row(rs);
        while (rs.next()) {
          rows.add(mapper.map(row));
        }
        return rows;
      }
    }
  }

  /** Handles the current row of a result, which is not kept. */
  @FunctionalInterface
  public interface RowHandler {
    void handle(Row row) throws SQLException;
  }

  /** Rows fetched from the server at a time by {@link #each}: enough to stream, few enough to hold. */
  private static final int FETCH = 500;

  /**
   * Hands every row a query finds to {@code handler}, in its order, without keeping them: the driver fetches them a
   * few hundred at a time (PostgreSQL does so only inside a transaction, which the caller's is), so an export of a
   * month's rows never holds them all.
   */
  public static void each(Connection c, String sql, RowHandler handler, Object... params) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
      statement.setFetchSize(FETCH);
      bind(statement, params);
      try (ResultSet rs = statement.executeQuery()) {
        Row row = new Row(rs);
        while (rs.next()) {
          handler.handle(row);
        }
      }
    }
  }

  /** The number a {@code SELECT COUNT(*)} (or any one-number query) gives. */
  public static int count(Connection c, String sql, Object... params) throws SQLException {
    return one(c, sql, row -> row.integer(1), params).orElse(0);
  }

  /** Whether {@code e} is a unique key refusing a second row (SQLState 23505, on H2 as on PostgreSQL). */
  public static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  /** {@code n} parameters for an IN list: "?, ?, ?". */
  public static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /** {@code value} as the tables store it: enums by their lower-case name. */
  public static String name(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static void bind(PreparedStatement statement, Object[] params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      statement.setObject(i + 1, stored(params[i]));
    }
  }

  private static Object stored(Object value) {
    if (value instanceof Optional<?> optional) {
      return optional.map(Sql::stored).orElse(null);
    }
    if (value instanceof Instant instant) {
      return Database.timestamp(instant);
    }
    if (value instanceof Enum<?> e) {
      return name(e);
    }
    return value;
  }
}
