package kefu.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes {@link Sql#later} holds back while a group commit's batch runs on its thread: at the batch's end, each
 * statement's rows go in one {@code executeBatch}, the statements in the order of their first use.
 */
final class HeldWrites {
  private static final ThreadLocal<HeldWrites> CURRENT = new ThreadLocal<>();

  private final Connection connection;
  private final List<Write> writes = new ArrayList<>();

  private record Write(String sql, Object[] params) {}

  private HeldWrites(Connection connection) {
    this.connection = connection;
  }

  /** Holds the writes of work run on {@code connection} by this thread until {@link #write}. */
  static HeldWrites start(Connection connection) {
    HeldWrites held = new HeldWrites(connection);
    CURRENT.set(held);
    return held;
  }

  /** Holds the write if this thread runs a batch on {@code c}; false if it must run now. */
  static boolean hold(Connection c, String sql, Object[] params) {
    HeldWrites held = CURRENT.get();
    if (held == null || held.connection != c) {
      return false;
    }
    held.writes.add(new Write(sql, params.clone()));
    return true;
  }

  /** How many writes are held: where a unit of work starts, for {@link #dropFrom} should it fail. */
  int mark() {
    return writes.size();
  }

  /** Forgets the writes held since {@code mark}: their work failed and was rolled back. */
  void dropFrom(int mark) {
    writes.subList(mark, writes.size()).clear();
  }

  /** Runs the held writes, each statement's rows in one batch, and holds no more. */
  void write() throws SQLException {
    stop();
    Map<String, List<Object[]>> bySql = new LinkedHashMap<>();
    for (Write w : writes) {
      bySql.computeIfAbsent(w.sql(), sql -> new ArrayList<>()).add(w.params());
    }
    writes.clear();
    for (Map.Entry<String, List<Object[]>> statement : bySql.entrySet()) {
      Sql.batch(connection, statement.getKey(), statement.getValue());
    }
  }

  /** Holds no more: later writes on this thread run at once. */
  void stop() {
    CURRENT.remove();
  }
}
