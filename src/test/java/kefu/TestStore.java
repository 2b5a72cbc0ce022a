package kefu;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import kefu.config.KefuConfig;
import kefu.store.Database;

/**
 * The SQL stores a repository test runs on: {@code @ParameterizedTest @EnumSource(TestStore.class)} runs one
 * set of assertions on H2 and on PostgreSQL.
 */
public enum TestStore {
  H2,
  POSTGRES;

  /** A migrated, empty database; closing it removes what it made. */
  public Open open(Path tempDir) {
    KefuConfig.Db settings = this == H2 ? TestDatabases.h2(tempDir) : TestDatabases.postgres();
    Vertx vertx = Vertx.vertx();
    try {
      return new Open(this, settings, vertx, Database.open(settings, vertx, new SimpleMeterRegistry()));
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
  }

  /** An open test database. */
  public record Open(TestStore kind, KefuConfig.Db settings, Vertx vertx, Database db) implements AutoCloseable {
    @Override
    public void close() {
      db.close();
      vertx.close().await();
      if (kind == POSTGRES) {
        TestDatabases.dropPostgres(settings);
      }
    }
  }
}
