package kefu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import kefu.TestStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Work handed to the group commit by many callers: written together, in order, each failing only itself. */
class GroupCommitTest {
  private static final Instant NOW = Instant.parse("2026-12-06T06:00:00Z");
  private static final String INSERT = "INSERT INTO customers (openid, created_at, updated_at) VALUES (?, ?, ?)";
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aUnitThatFailsInABatchFailsAloneAndTheOthersOfItsBatchCommit(TestStore store) throws Exception {
    // Proves: ten units queued while the writer is busy run as one batch in one transaction; the one whose second
    // row breaks a constraint fails with that error and loses its first row too, and the nine others are committed.
    assertFailAlone(store, "", BREAKS_A_KEY, Set.of(4));
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void twoUnitsThatFailInABatchEachFailAlone(TestStore store) throws Exception {
    // Proves: the batch first runs without a savepoint per unit; the first failure rolls it back and the others run
    // again, each behind a savepoint, where the second failure is rolled back alone: eight committed.
    assertFailAlone(store, "", BREAKS_A_KEY, Set.of(2, 6));
  }

  /** Writes the customer, and a second customer whose openid is taken if {@code failing}. */
  private static final Writes BREAKS_A_KEY = (c, openid, failing) -> {
    int rows = Sql.update(c, INSERT, openid, NOW, NOW);
    if (failing) {
      rows += Sql.update(c, INSERT, "o-taken", NOW, NOW);
    }
    return rows;
  };

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aWriteHeldToTheBatchsEndThatFailsFailsOnlyItsUnit(TestStore store) throws Exception {
    // Proves: writes held to the end of the batch (Sql.later, each statement's rows in one executeBatch) of which one
    // row breaks a constraint: the batch is run again unit by unit, and only the unit that wrote that row fails.
    assertFailAlone(store, "held", (c, openid, failing) -> {
      int rows = Sql.update(c, INSERT, openid, NOW, NOW);
      Sql.later(c, "UPDATE customers SET notes = 'held' WHERE openid = ?", openid);
      if (failing) {
        Sql.later(c, INSERT, "o-taken", NOW, NOW);
      }
      return rows;
    }, Set.of(4));
  }

  /** Work of the failure tests: writes the customer {@code openid}, and breaks a constraint if {@code failing}. */
  @FunctionalInterface
  private interface Writes {
    int run(Connection c, String openid, boolean failing) throws SQLException;
  }

  /** Runs ten units in one batch, those at {@code failing} failing; {@code notes}: what the others leave in their notes. */
  private void assertFailAlone(TestStore store, String notes, Writes writes, Set<Integer> failing) throws Exception {
    List<CompletableFuture<Void>> writesAsked = new CopyOnWriteArrayList<>();
    Supplier<CompletableFuture<Void>> written = () -> {
      CompletableFuture<Void> write = new CompletableFuture<>();
      writesAsked.add(write);
      return write;
    };
    try (TestStore.Open open = store.open(dir); GroupCommit writer = new GroupCommit(open.db().dataSource(), 1, written)) {
      Database db = open.db();
      db.inTransaction(c -> Sql.update(c, INSERT, "o-taken", NOW, NOW));
      CountDownLatch busy = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CompletableFuture<GroupCommit.Committed<Object>> holding = writer.submit(c -> {
        busy.countDown();
        await(release);
        return null;
      });
      busy.await();

      List<CompletableFuture<GroupCommit.Committed<Integer>>> units = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        String openid = "o-batch-" + i;
        boolean fails = failing.contains(i);
        units.add(writer.submit(c -> writes.run(c, openid, fails)));
      }
      release.countDown();
      holding.get(30, TimeUnit.SECONDS);

      for (int i = 0; i < 10; i++) {
        CompletableFuture<GroupCommit.Committed<Integer>> unit = units.get(i);
        if (failing.contains(i)) {
          assertThatThrownBy(() -> unit.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
              .hasCauseInstanceOf(SQLException.class);
        } else {
          assertThat(unit.get(30, TimeUnit.SECONDS).result()).isEqualTo(1);
          // One write to disk for the batch, asked for after its commit: the holding unit's, then the others'.
          assertThat(unit.get().written()).isSameAs(writesAsked.get(1));
        }
      }
      assertThat(writesAsked).hasSize(2);
      List<String> stored = db.inTransaction(c -> Sql.list(c, "SELECT openid, notes FROM customers WHERE openid LIKE 'o-batch-%'"
          + " ORDER BY id", row -> row.string("openid") + row.optionalString("notes").map(n -> " " + n).orElse("")));
      String suffix = notes.isEmpty() ? "" : " " + notes;
      assertThat(stored).containsExactlyElementsOf(IntStream.range(0, 10).filter(i -> !failing.contains(i))
          .mapToObj(i -> "o-batch-" + i + suffix).toList());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void unitsHandedInFromManyThreadsRunInTheOrderEachThreadHandedThemIn(TestStore store) throws Exception {
    // Proves: with one writer (the embedded database's), what one caller hands in runs in its order, whatever the
    // batches it falls into, while eight callers hand in work at once: each caller's rows get increasing ids.
    try (TestStore.Open open = store.open(dir);
        GroupCommit writer = new GroupCommit(open.db().dataSource(), 1, () -> CompletableFuture.completedFuture(null))) {
      List<Thread> callers = new ArrayList<>();
      List<CompletableFuture<Integer>> units = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        int caller = t;
        Thread thread = new Thread(() -> {
          for (int i = 0; i < 25; i++) {
            String openid = String.format("o-order-%d-%02d", caller, i);
            CompletableFuture<Integer> unit = writer.submit(c ->
                Sql.update(c, INSERT, openid, NOW, NOW)).thenApply(GroupCommit.Committed::result);
            synchronized (units) {
              units.add(unit);
            }
          }
        });
        thread.start();
        callers.add(thread);
      }
      for (Thread caller : callers) {
        caller.join();
      }
      for (CompletableFuture<Integer> unit : units) {
        assertThat(unit.get(30, TimeUnit.SECONDS)).isEqualTo(1);
      }
      for (int t = 0; t < 8; t++) {
        String prefix = "o-order-" + t + "-%";
        List<String> stored = open.db().inTransaction(c -> Sql.list(c,
            "SELECT openid FROM customers WHERE openid LIKE ? ORDER BY id", row -> row.string("openid"), prefix));
        assertThat(stored).hasSize(25).isSorted();
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
