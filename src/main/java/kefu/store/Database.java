package kefu.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import kefu.config.KefuConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL store: a HikariCP pool over H2 or PostgreSQL, migrated by Flyway at start, whose work runs on a
 * worker pool of its own, never on an event loop.
 */
public final class Database implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Database.class);

  static {
    // The embedded database's AUTO_SERVER, through which kefu user add reaches a file the service holds, would
    // listen on every interface; it is for processes on this machine only. H2 reads the property once, at its
    // first use, which in a node is the open below. An operator's own -Dh2.bindAddress wins.
    if (System.getProperty("h2.bindAddress") == null) {
      System.setProperty("h2.bindAddress", "127.0.0.1");
    }
  }

  private final HikariDataSource pool;
  private final WorkerExecutor workers;
  private final boolean embedded;
  /** Callers waiting for what they committed to be written, and whether a flush is under way; guarded by this. */
  private List<CompletableFuture<Void>> waiting = new ArrayList<>();
  private boolean flushing;
  private final ExecutorService flusher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kefu-sql-flush");
    t.setDaemon(true);
    return t;
  });

  private final GroupCommit groupCommit;

  /**
   * The write to disk the group commit asked for after this thread's last batch, while the thread has committed
   * nothing else since: {@link #awaitDurable} waits for it rather than asking for another.
   */
  private final ThreadLocal<CompletableFuture<Void>> groupWritten = new ThreadLocal<>();
  private static final CompletableFuture<Void> ON_DISK = CompletableFuture.completedFuture(null);

  private Database(HikariDataSource pool, WorkerExecutor workers, boolean embedded, int writers) {
    this.pool = pool;
    this.workers = workers;
    this.embedded = embedded;
    // A server's commit is on disk when it returns; the embedded one writes right after each batch's commit, so the
    // batch's callers share one write instead of each asking for one as it wakes.
    this.groupCommit = new GroupCommit(pool, writers, embedded ? this::writeSoon : () -> ON_DISK);
  }

  /**
   * Connects and brings the schema up to date. Blocks: call it at start-up, not on an event loop.
   *
   * @throws StoreException if the database cannot be reached or a migration fails
   */
  public static Database open(KefuConfig.Db settings, Vertx vertx, MeterRegistry registry) {
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("kefu-sql");
    hikari.setJdbcUrl(settings.url());
    if (!settings.user().isEmpty()) {
      hikari.setUsername(settings.user());
    }
    if (!settings.password().isEmpty()) {
      hikari.setPassword(settings.password());
    }
    hikari.setMaximumPoolSize(settings.poolSize());
    hikari.setConnectionTimeout(5_000);
    hikari.setMetricRegistry(registry);
    if (settings.embedded()) {
      // H2 parses a statement again unless it is among the session's last 8; a turn runs about a dozen.
      hikari.addDataSourceProperty("QUERY_CACHE_SIZE", "64");
      // H2 gives up on a locked row after 2 s, PostgreSQL waits: a campaign's step of 10,000 recipients or a long
      // journeys run holds its rows longer than that on a busy machine, and a console's pause would fail instead of
      // waiting for the step under way.
      hikari.addDataSourceProperty("LOCK_TIMEOUT", "15000");
    } else {
      // A group commit's batch of inserts goes as multi-row INSERTs, not a round trip per row.
      hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
    }
    HikariDataSource pool;
    try {
      pool = new HikariDataSource(hikari);
    } catch (RuntimeException e) {
      throw new StoreException("cannot connect to the database " + settings + ": " + rootMessage(e), e);
    }
    try {
      migrate(pool);
    } catch (RuntimeException e) {
      pool.close();
      throw new StoreException("cannot migrate the database " + settings + ": " + rootMessage(e), e);
    }
    if (settings.embedded()) {
      // Every turn waits for a CHECKPOINT (awaitDurable), which H2 allows admins only: refused here, not per message.
      try (Connection connection = pool.getConnection(); Statement checkpoint = connection.createStatement()) {
        checkpoint.execute("CHECKPOINT");
      } catch (SQLException e) {
        pool.close();
        throw new StoreException("cannot write the embedded database " + settings + " to disk (db.user must be its admin): "
            + rootMessage(e), e);
      }
    }
    // Embedded: one writer, whose statements cost half what they cost many threads (two writers: 4,956 messages a
    // second against 5,600–6,500). A server: each statement is a round trip, so a few writers, each with a batch
    // under way, and at least half the pool left for the rest; on a server sharing two cores, two writers' larger
    // batches gave 10 % more than four.
    int writers = settings.embedded() ? 1 : Math.max(1, Math.min(settings.writers(), settings.poolSize() / 2));
    return new Database(pool, vertx.createSharedWorkerExecutor("kefu-sql", settings.poolSize()), settings.embedded(), writers);
  }

  /** Applies the migrations not yet applied; returns how many ran. Safe to call again. */
  static int migrate(DataSource dataSource) {
    Flyway flyway = Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .load();
    MigrateResult result = flyway.migrate();
    // The result names a version only when it applied one; the schema's own version is the one to report.
    log.info("Database schema at version {} ({} migrations applied now)", flyway.info().current().getVersion(),
        result.migrationsExecuted);
    return result.migrationsExecuted;
  }

  /** Runs {@code work} in one transaction on the SQL worker pool; committed if it returns, rolled back if it throws. */
  public <T> Future<T> transaction(SqlWork<T> work) {
    return workers.executeBlocking(() -> inTransaction(work), false);
  }

  /** Runs {@code work} in one transaction on the calling thread, which must not be an event loop. */
  public <T> T inTransaction(SqlWork<T> work) throws SQLException {
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        groupWritten.remove();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /**
   * Runs {@code work} in a transaction shared with the work other threads hand in meanwhile, on the calling thread's
   * behalf, and returns once it is committed: for many small transactions, such as the turns of a channel. If
   * {@code work} throws, its own changes are rolled back and the others' kept; if the shared commit fails, every work
   * in it fails. Work runs on the group commit's writers (one on the embedded database, in the order handed in; a few
   * on a server), so it must not wait for another caller's work, and rows it locks stay locked until the batch
   * commits. As after {@link #inTransaction}, {@link #awaitDurable} puts it on disk; here it waits for the one write
   * the batch asked for when it committed. Blocks: call it on a worker.
   */
  public <T> T inGroupCommit(SqlWork<T> work) throws SQLException {
    groupWritten.remove();
    try {
      GroupCommit.Committed<T> committed = groupCommit.submit(work).get();
      groupWritten.set(committed.written());
      return committed.result();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the write", e);
    } catch (ExecutionException e) {
      // The work's own exception, as inTransaction would have thrown it.
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw cause instanceof SQLException sql ? sql : new SQLException(cause);
    }
  }

  /**
   * Returns once everything this thread committed is on the disk, so that a crash — of the process or of the machine —
   * cannot take it back: before kefu tells anyone outside (WeChat's request answered, a message handed to WeChat's
   * API) what it stored. On PostgreSQL a commit is on disk already. The embedded H2 writes committed work in the
   * background, up to half a second later; writing each commit at once (its WRITE_DELAY 0) cost the webhook more than
   * half its throughput, so here one CHECKPOINT SYNC writes what every caller waiting meanwhile committed (a group
   * commit) and has the file system put it on the device, as PostgreSQL's commit does (a plain CHECKPOINT leaves it in
   * the operating system's cache, lost with the power; the sync cost the webhook about 4 %). Blocks: call it on a
   * worker.
   *
   * @throws SQLException if the write failed; what was committed may then be lost in a crash
   */
  public void awaitDurable() throws SQLException {
    CompletableFuture<Void> asked = groupWritten.get();
    groupWritten.remove();
    if (!embedded) {
      return;
    }
    CompletableFuture<Void> written = asked != null ? asked : writeSoon();
    try {
      written.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the write", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
    }
  }

  /** Asks for a CHECKPOINT SYNC that starts after this call; the result completes once it is done. */
  private CompletableFuture<Void> writeSoon() {
    CompletableFuture<Void> written = new CompletableFuture<>();
    boolean start;
    synchronized (this) {
      waiting.add(written);
      start = !flushing;
      flushing = true;
    }
    if (start) {
      flusher.execute(this::flush);
    }
    return written;
  }

  /** Writes what was committed, once for all callers waiting, until none waits. */
  private void flush() {
    while (true) {
      List<CompletableFuture<Void>> batch;
      synchronized (this) {
        if (waiting.isEmpty()) {
          flushing = false;
          return;
        }
        batch = waiting;
        waiting = new ArrayList<>();
      }
      try (Connection connection = pool.getConnection(); Statement checkpoint = connection.createStatement()) {
        checkpoint.execute("CHECKPOINT SYNC");
        batch.forEach(written -> written.complete(null));
      } catch (SQLException | RuntimeException e) {
        batch.forEach(written -> written.completeExceptionally(e));
      }
    }
  }

  /** Succeeds if the database answers within two seconds. */
  public Future<Void> check() {
    return workers.executeBlocking(() -> {
      try (Connection connection = pool.getConnection()) {
        if (!connection.isValid(2)) {
          throw new StoreException("the database does not answer", null);
        }
        return null;
      }
    }, false);
  }

  /** The pool, for code that needs plain JDBC (migrations in tests, reports). */
  public DataSource dataSource() {
    return pool;
  }

  @Override
  public void close() {
    groupCommit.close();
    flusher.shutdown();
    workers.close();
    pool.close();
  }

  /** A database timestamp for {@code instant}, in UTC. */
  public static OffsetDateTime timestamp(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage();
  }
}
