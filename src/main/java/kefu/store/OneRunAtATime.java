package kefu.store;

import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A node's periodic work, one run at a time: a caller of {@link #run} waits for the run under way, the timer's
 * {@link #runIfIdle} skips instead, so that no worker thread waits on a long run. Two runs at once on one node queue on
 * each other's row locks, and H2 gives up on a lock after its timeout (seen when a benchmark's run met the timer's).
 */
public final class OneRunAtATime {
  /** Work that may fail with the database. */
  public interface Work<T> {
    T run() throws SQLException;
  }

  private final ReentrantLock lock = new ReentrantLock();

  /** Runs {@code work} once no other run is under way. */
  public <T> T run(Work<T> work) throws SQLException {
    lock.lock();
    try {
      return work.run();
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code work} unless a run is under way; empty if one was. */
  public <T> Optional<T> runIfIdle(Work<T> work) throws SQLException {
    if (!lock.tryLock()) {
      return Optional.empty();
    }
    try {
      return Optional.of(work.run());
    } finally {
      lock.unlock();
    }
  }

  /** Whether a run is under way now. */
  public boolean busy() {
    return lock.isLocked();
  }
}
