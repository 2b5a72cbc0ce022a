package kefu.journey;

import static kefu.journey.Journeys.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kefu.TestStore;
import kefu.config.KefuConfig;
import kefu.store.Database;
import kefu.store.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes' schedulers on one PostgreSQL database, running at once: each step is planned once and sent once. */
class TwoSchedulersTest {
  private static final int CUSTOMERS = 250;

  @Test
  void twoNodesOnOneDatabaseRunEachStepOnce(@TempDir Path dir) throws Exception {
    try (TestStore.Open store = TestStore.POSTGRES.open(dir)) {
      Database second = Database.open(store.settings(), store.vertx(), new SimpleMeterRegistry());
      ExecutorService nodes = Executors.newFixedThreadPool(2);
      try {
        List<Long> customers = store.db().inTransaction(c -> {
          List<Long> ids = new ArrayList<>();
          for (int i = 0; i < CUSTOMERS; i++) {
            long customer = Journeys.follower(c, "o-" + i, Optional.of(at("2026-12-07 18:00")), true);
            long record = Journeys.record(c, "E-" + i, "equipment", Optional.of(customer), false, Optional.empty());
            Journeys.milestone(c, record, "repair_closed", LocalDate.of(2026, 12, 7), at("2026-12-07 18:00"));
            ids.add(customer);
          }
          return ids;
        });
        KefuConfig config = Journeys.config(dir, store.settings(), Journeys.EVERY_DAY, KefuConfig.Journey.DEFAULTS);
        Scheduler a = Journeys.scheduler(store.vertx(), store.db(), Journeys.SHIPPED, Journeys.node(config, "node-a"),
            new Journeys.Channel(false));
        Scheduler b = Journeys.scheduler(store.vertx(), second, Journeys.SHIPPED, Journeys.node(config, "node-b"),
            new Journeys.Channel(false));

        int planned = 0;
        int sent = 0;
        for (int minute = 0; minute < 3; minute++) {
          Instant now = at("2026-12-08 10:0" + minute);
          Future<Scheduler.Run> runA = nodes.submit(() -> a.runDue(now));
          Future<Scheduler.Run> runB = nodes.submit(() -> b.runDue(now));
          planned += runA.get().planned() + runB.get().planned();
          sent += runA.get().sent() + runB.get().sent();
        }

        assertThat(planned).isEqualTo(CUSTOMERS);
        assertThat(sent).isEqualTo(CUSTOMERS);
        int done = store.db().inTransaction(c -> Sql.count(c, "SELECT COUNT(*) FROM journey_steps WHERE status = 'done'"));
        List<Integer> messagesPerCustomer = store.db().inTransaction(c -> Sql.list(c, "SELECT v.customer_id, COUNT(*) AS n"
            + " FROM messages m JOIN conversations v ON v.id = m.conversation_id WHERE m.direction = 'out' GROUP BY v.customer_id",
            row -> row.integer("n")));
        assertThat(done).isEqualTo(CUSTOMERS);
        assertThat(messagesPerCustomer).hasSize(customers.size()).containsOnly(1);
      } finally {
        nodes.shutdownNow();
        second.close();
      }
    }
  }
}
