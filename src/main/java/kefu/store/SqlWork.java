package kefu.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work done inside one transaction. */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
