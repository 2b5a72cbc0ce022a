package kefu.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writer threads that run the units of SQL work other threads hand them together: whatever is queued when one comes
 * round, in the order handed in, in one transaction in which a unit that fails fails alone, the writes they hold
 * back ({@link Sql#later}) each statement's rows in one batch, then one commit for all of them.
 *
 * <p>Many short transactions on many connections cost the embedded database about twice what the same statements
 * cost one thread on one connection: there one writer runs them, and commits once per batch. A database server
 * answers each statement over the network, so there several writers keep several batches under way. With more than
 * one writer, work handed in before another has finished may run beside it: a caller that needs an order waits.
 */
final class GroupCommit implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommit.class);
  /**
   * The most units in one transaction: PostgreSQL keeps the ids of a transaction's first 64 subtransactions (one per
   * savepoint) at hand and looks further ones up on disk.
   */
  static final int MAX_BATCH = 48;

  private final DataSource pool;
  /** Asked right after each commit: completes once what was committed is on disk. */
  private final Supplier<CompletableFuture<Void>> written;
  private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>();
  /** Queued by {@link #close}, last: each writer that comes to it leaves it for the next and stops. */
  private final Unit<Void> stop = new Unit<>(c -> null);
  private final List<Thread> writers = new ArrayList<>();
  private boolean closed;

  GroupCommit(DataSource pool, int writers, Supplier<CompletableFuture<Void>> written) {
    this.pool = pool;
    this.written = written;
    for (int i = 0; i < writers; i++) {
      Thread writer = new Thread(this::write, "kefu-sql-writer-" + i);
      writer.setDaemon(true);
      writer.start();
      this.writers.add(writer);
    }
  }

  /**
   * Queues {@code work}; the result completes once it is committed, with the write to disk the commit asked for, or
   * fails with what {@code work} threw (its own changes rolled back, the others' kept), or with the commit's failure.
   */
  <T> CompletableFuture<Committed<T>> submit(SqlWork<T> work) {
    Unit<T> unit = new Unit<>(work);
    synchronized (this) {
      if (closed) {
        unit.done.completeExceptionally(new SQLException("the database is closed"));
      } else {
        queue.add(unit);
      }
    }
    return unit.done;
  }

  private void write() {
    List<Unit<?>> batch = new ArrayList<>(MAX_BATCH);
    boolean stopping = false;
    while (!stopping) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return;
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      // Nothing is queued after the stop: close() queues it last.
      stopping = batch.remove(stop);
      if (stopping) {
        queue.add(stop);
      }
      if (!batch.isEmpty()) {
        run(batch);
      }
      batch.clear();
    }
  }

  /**
   * Runs the batch in one transaction; a unit that throws fails alone. The units first run one after another without
   * savepoints (on a database server each is a round trip, one a turn); should one throw, its changes are mixed with
   * the others' (and PostgreSQL refuses the rest of the transaction), so the batch is rolled back and the others run
   * again, each behind a savepoint. Should the writes held until the end fail, no unit is to blame yet: each is run
   * again alone.
   */
  private void run(List<Unit<?>> batch) {
    List<Unit<?>> ran;
    try (Connection connection = pool.getConnection()) {
      connection.setAutoCommit(false);
      HeldWrites held = HeldWrites.start(connection);
      try {
        Optional<Unit<?>> failed = runEach(connection, batch);
        if (failed.isEmpty()) {
          ran = batch;
        } else {
          held.dropFrom(0);
          connection.rollback();
          ran = new ArrayList<>(batch.size());
          for (Unit<?> unit : batch) {
            if (unit != failed.get() && unit.runBehind(connection, held)) {
              ran.add(unit);
            }
          }
        }
      } finally {
        held.stop();
      }
      try {
        held.write();
      } catch (SQLException | RuntimeException e) {
        rollback(connection);
        List<Unit<?>> alone = ran.stream().filter(unit -> unit.runAlone(connection)).toList();
        complete(alone);
        return;
      }
      try {
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollback(connection);
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      // Those that failed on their own keep their own failure; the rest, run or not, fail with the batch.
      batch.forEach(unit -> unit.done.completeExceptionally(e));
      return;
    }
    complete(ran);
  }

  /** Runs the units in order until one throws: that one, failed with what it threw; empty if none did. */
  private static Optional<Unit<?>> runEach(Connection connection, List<Unit<?>> units) {
    for (Unit<?> unit : units) {
      if (!unit.run(connection)) {
        return Optional.of(unit);
      }
    }
    return Optional.empty();
  }

  /** Completes the committed units, each with the one write to disk asked for all of them. */
  private void complete(List<Unit<?>> committed) {
    if (!committed.isEmpty()) {
      CompletableFuture<Void> onDisk = written.get();
      committed.forEach(unit -> unit.complete(onDisk));
    }
  }

  private static void rollback(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException e) {
      log.debug("Rollback after a failed batch failed too", e);
    }
  }

  /** Stops taking work once what is queued is written. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(stop);
    }
    try {
      for (Thread writer : writers) {
        writer.join(10_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One caller's work and its outcome. */
  private static final class Unit<T> {
    final SqlWork<T> work;
    final CompletableFuture<Committed<T>> done = new CompletableFuture<>();
    T result;

    Unit(SqlWork<T> work) {
      this.work = work;
    }

    /** Runs the work in the batch's transaction as it stands; false if it threw, and then it has failed. */
    boolean run(Connection connection) {
      try {
        result = work.run(connection);
        return true;
      } catch (SQLException | RuntimeException | Error e) {
        done.completeExceptionally(e);
        return false;
      }
    }

    /**
     * Runs the work behind a savepoint, its held writes with the batch's; false if it threw, and then it is rolled
     * back to the savepoint and has failed. A failure of the savepoint itself (the connection is lost) is the batch's.
     */
    boolean runBehind(Connection connection, HeldWrites held) throws SQLException {
      Savepoint before = connection.setSavepoint();
      int mark = held.mark();
      try {
        result = work.run(connection);
        return true;
      } catch (SQLException | RuntimeException | Error e) {
        connection.rollback(before);
        held.dropFrom(mark);
        done.completeExceptionally(e);
        return false;
      }
    }

    /** Runs the work again in a transaction of its own, its writes at once; false if it failed, and then it has. */
    boolean runAlone(Connection connection) {
      try {
        result = work.run(connection);
        connection.commit();
        return true;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(connection);
        done.completeExceptionally(e);
        return false;
      }
    }

    void complete(CompletableFuture<Void> onDisk) {
      done.complete(new Committed<>(result, onDisk));
    }
  }

  /** A unit's result once committed, and the write to disk its commit asked for. */
  record Committed<T>(T result, CompletableFuture<Void> written) {}
}
