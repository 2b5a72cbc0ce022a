package kefu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the embedded database: what it needs to keep its promise that what was acknowledged is on disk. */
class DatabaseTest {

  @Test
  void anEmbeddedDatabaseWhoseUserMayNotWriteItToDiskIsRefusedAtOpen(@TempDir Path dir) throws Exception {
    // Proves: a db.user who is not the embedded database's admin (H2 allows CHECKPOINT to admins only) is refused at
    // start with the reason, rather than every turn failing later.
    String url = "jdbc:h2:file:" + dir.resolve("kefu");
    try (Connection admin = DriverManager.getConnection(url, "sa", "sa-secret"); Statement s = admin.createStatement()) {
      s.execute("CREATE USER clerk PASSWORD 'clerk-secret'");
      s.execute("GRANT ALL ON SCHEMA PUBLIC TO clerk");
    }
    Vertx vertx = Vertx.vertx();
    try {
      try (Database database = Database.open(new KefuConfig.Db(url, "sa", "sa-secret", 2, 1), vertx, new SimpleMeterRegistry())) {
        boolean valid = database.inTransaction(c -> c.isValid(1));
        assertThat(valid).isTrue();
        database.awaitDurable();
      }
      // Migrated by its admin, so that only the write to disk is left to refuse.
      assertThatThrownBy(() -> Database.open(new KefuConfig.Db(url, "clerk", "clerk-secret", 2, 1), vertx, new SimpleMeterRegistry()))
          .isInstanceOf(StoreException.class).hasMessageContaining("db.user must be its admin");
    } finally {
      vertx.close().await();
    }
  }
}
