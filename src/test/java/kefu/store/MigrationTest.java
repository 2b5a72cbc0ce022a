package kefu.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import kefu.TestDatabases;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationTest {

  @Test
  void migratesH2TwiceInARow(@TempDir Path dir) throws Exception {
    assertMigratesTwice(TestDatabases.h2(dir));
  }

  @Test
  void migratesPostgresTwiceInARow() throws Exception {
    onNewPostgres(MigrationTest::assertMigratesTwice);
  }

  /** A check of migrations on one database. */
  @FunctionalInterface
  interface Check {
    void run(KefuConfig.Db db) throws Exception;
  }

  /** Runs {@code check} on a PostgreSQL database of its own, dropped afterwards. */
  static void onNewPostgres(Check check) throws Exception {
    KefuConfig.Db db = TestDatabases.postgres();
    try {
      check.run(db);
    } finally {
      TestDatabases.dropPostgres(db);
    }
  }

  private static void assertMigratesTwice(KefuConfig.Db db) throws Exception {
    try (HikariDataSource pool = pool(db)) {
      assertThat(Database.migrate(pool)).isPositive();
      assertThat(Database.migrate(pool)).isZero();
      assertThat(tables(pool)).contains("customers", "conversations", "messages");
    }
    // And again from a new pool, as a restarted node would.
    try (HikariDataSource pool = pool(db)) {
      assertThat(Database.migrate(pool)).isZero();
    }
  }

  private static HikariDataSource pool(KefuConfig.Db db) {
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(db.url());
    pool.setMaximumPoolSize(2);
    return pool;
  }

  private static List<String> tables(HikariDataSource pool) throws Exception {
    List<String> names = new ArrayList<>();
    try (Connection c = pool.getConnection();
        ResultSet rs = c.getMetaData().getTables(null, c.getSchema(), "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME").toLowerCase());
      }
    }
    return names;
  }
}
