package kefu;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import kefu.config.KefuConfig;

/** Databases for tests: an H2 file in a temporary directory, or a fresh schema on the test PostgreSQL. */
public final class TestDatabases {
  private TestDatabases() {}

  /** An embedded H2 database in {@code dir}. */
  public static KefuConfig.Db h2(Path dir) {
    return new KefuConfig.Db("jdbc:h2:file:" + dir.resolve("kefu"), "", "", 4, 2);
  }

  /** A schema of its own on the test PostgreSQL (skips or fails as {@link TestServices} says); drop it after. */
  public static KefuConfig.Db postgres() {
    String url = TestServices.postgresUrl();
    String schema = "kefu_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(url, "CREATE SCHEMA " + schema);
    String separator = url.contains("?") ? "&" : "?";
    return new KefuConfig.Db(url + separator + "currentSchema=" + schema, "", "", 4, 2);
  }

  /** Drops the schema {@link #postgres()} made. */
  public static void dropPostgres(KefuConfig.Db db) {
    String schema = db.url().replaceAll(".*currentSchema=", "");
    execute(TestServices.postgresUrl(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  private static void execute(String url, String sql) {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("test PostgreSQL: " + e.getMessage(), e);
    }
  }
}
