package kefu.greeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import kefu.TestConfigs;
import kefu.TestStore;
import kefu.config.KefuConfig;
import kefu.conversation.Broadcasts;
import kefu.store.Database;
import kefu.store.Sql;
import kefu.template.Templates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The greetings' planning and deciding on the database alone: lunar birthdays and festivals on their days, a follower
 * with two records greeted once, and two nodes on one PostgreSQL database greeting each customer once.
 */
class GreetingsTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));
  private static final GreetingPlans SHIPPED = GreetingPlans.load(Path.of("templates"), TEMPLATES);
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private static Instant at(LocalDate day, int hour) {
    return day.atTime(LocalTime.of(hour, 0)).atZone(SHANGHAI).toInstant();
  }

  private static Greetings greetings(TestStore.Open store, Database db, Path dir, String node, Broadcasts mass) {
    KefuConfig base = TestConfigs.with(dir, store.settings(), Optional.empty());
    KefuConfig config = new KefuConfig(base.mode(), node, base.http(), base.paths(), base.db(), base.redis(), base.kb(), base.wechat(),
        base.dialog(), base.desk(), base.journey(), base.report());
    return new Greetings(store.vertx(), db, SHIPPED, TEMPLATES, TestBroadcasts.CLOSED, mass, (c, r, g, o, d, s, why, now) -> {}, config, Clock.system(SHANGHAI));
  }

  private static long follower(Connection c, String openid) throws SQLException {
    return Sql.insert(c, "INSERT INTO customers (openid, subscribed, created_at, updated_at) VALUES (?, TRUE, ?, ?)", openid, T, T);
  }

  private static long record(Connection c, String reference, Optional<Long> customer, boolean lunar, boolean leap, int month, int day)
      throws SQLException {
    return Sql.insert(c, "INSERT INTO customer_records (reference, line, customer_id, name, member, birthday_month, birthday_day, birthday_lunar,"
        + " birthday_leap, link_code, created_at, updated_at) VALUES (?, 'studio', ?, '陈先生', FALSE, ?, ?, ?, ?, ?, ?, ?)", reference, customer,
        month, day, lunar, leap, "q" + reference, T, T);
  }

  private static List<String> planned(Connection c, LocalDate day) throws SQLException {
    return Sql.list(c, "SELECT g.plan || ':' || r.reference AS p FROM greetings g JOIN customer_records r ON r.id = g.record_id"
        + " WHERE g.occasion_date = ? ORDER BY g.plan, r.reference", row -> row.string("p"), day);
  }

  private static List<String> planned(TestStore.Open store, LocalDate day) throws SQLException {
    return store.db().inTransaction(c -> planned(c, day));
  }

  @Test
  void lunarBirthdaysAndFestivalsArePlannedOnTheirDays(@TempDir Path dir) throws Exception {
    try (TestStore.Open store = TestStore.H2.open(dir)) {
      Greetings greetings = greetings(store, store.db(), dir, "node-a", new TestBroadcasts());
      store.db().inTransaction(c -> {
        record(c, "L-815", Optional.empty(), true, false, 8, 15); // 农历八月十五: 中秋 2026 is 25 September
        record(c, "L-1230", Optional.empty(), true, false, 12, 30); // 腊月三十, kept on 廿九 in a year whose 腊月 is short
        record(c, "L-leap6", Optional.empty(), true, true, 6, 1); // 闰六月初一: 2025 has a leap sixth month, 2026 none
        record(c, "S-0925", Optional.empty(), false, false, 9, 25);
        return null;
      });
      LocalDate midAutumn = LocalDate.of(2026, 9, 25);
      store.db().inTransaction(c -> greetings.plan(c, midAutumn, T));
      assertThat(planned(store, midAutumn))
          .containsExactly("birthday:L-815", "birthday:S-0925", "mid-autumn:L-1230", "mid-autumn:L-815", "mid-autumn:L-leap6", "mid-autumn:S-0925");
      // 2026-07-14 is 六月初一 of 2026, whose year has no leap sixth month: the leap-month birthday is kept on it.
      LocalDate sixthMonth = new ChineseDates().toSolar(new LunarDate(2026, 6, false, 1));
      store.db().inTransaction(c -> greetings.plan(c, sixthMonth, T));
      assertThat(planned(store, sixthMonth)).containsExactly("birthday:L-leap6");
      // 腊月 of lunar 2026 has 29 days (除夕 2027-02-05 is 廿九): 腊月三十 is greeted on it.
      LocalDate eve = LocalDate.of(2027, 2, 5);
      assertThat(new ChineseDates().toLunar(eve)).isEqualTo(new LunarDate(2026, 12, false, 29));
      store.db().inTransaction(c -> greetings.plan(c, eve, T));
      assertThat(planned(store, eve)).containsExactly("birthday:L-1230");
      // Planning again adds nothing.
      int again = store.db().inTransaction(c -> greetings.plan(c, eve, T));
      assertThat(again).isZero();
    }
  }

  @Test
  void theMonthsScheduleShowsTheDaysPlannedAndForeseesTheRest(@TempDir Path dir) throws Exception {
    // Proves: the console's month lists a day planned already by plan and status, and a later day of the month by what
    // the plans foresee from the file (not planned yet, nothing written for it); days before the month and after it not.
    try (TestStore.Open store = TestStore.H2.open(dir)) {
      Greetings greetings = greetings(store, store.db(), dir, "node-a", new TestBroadcasts());
      LocalDate today = LocalDate.of(2026, 3, 10);
      List<GreetingFigures.Greeting> foreseen = new ArrayList<>();
      List<GreetingFigures.Scheduled> schedule = store.db().inTransaction(c -> {
        record(c, "S-0310", Optional.empty(), false, false, 3, 10);
        record(c, "S-0320", Optional.empty(), false, false, 3, 20);
        record(c, "S-0320b", Optional.empty(), false, false, 3, 20);
        record(c, "S-0401", Optional.empty(), false, false, 4, 1);
        greetings.plan(c, today, at(today, 8));
        foreseen.addAll(new GreetingFigures().foreseen(c, SHIPPED, today, SHANGHAI));
        foreseen.addAll(new GreetingFigures().foreseen(c, SHIPPED, LocalDate.of(2026, 3, 20), SHANGHAI));
        return new GreetingFigures().schedule(c, SHIPPED, today, LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31));
      });
      assertThat(schedule).containsExactly(
          new GreetingFigures.Scheduled(today, "birthday", 0, 1, 0, 0),
          new GreetingFigures.Scheduled(LocalDate.of(2026, 3, 20), "birthday", 0, 0, 0, 2));
      assertThat(planned(store, LocalDate.of(2026, 3, 20))).isEmpty();
      // Today's list names those a planning still to come will add (none here: today is planned), at their plan's time.
      assertThat(foreseen).extracting(GreetingFigures.Greeting::reference, GreetingFigures.Greeting::status, GreetingFigures.Greeting::dueAt)
          .containsExactly(tuple("S-0320", "foreseen", at(LocalDate.of(2026, 3, 20), 10)), tuple("S-0320b", "foreseen", at(LocalDate.of(2026, 3, 20), 10)));
    }
  }

  @Test
  void twoNodesOnOnePostgresDatabaseGreetEachCustomerOnceAndAFollowerWithTwoRecordsOnce(@TempDir Path dir) throws Exception {
    try (TestStore.Open store = TestStore.POSTGRES.open(dir)) {
      Database second = Database.open(store.settings(), store.vertx(), new SimpleMeterRegistry());
      ExecutorService nodes = Executors.newFixedThreadPool(2);
      try {
        LocalDate day = LocalDate.of(2026, 12, 8);
        int customers = 200;
        store.db().inTransaction(c -> {
          for (int i = 0; i < customers; i++) {
            long customer = follower(c, "o-" + i);
            record(c, "B-" + i, Optional.of(customer), false, false, 12, 8);
            if (i % 10 == 0) {
              record(c, "B2-" + i, Optional.of(customer), false, false, 12, 8); // a second order of the same customer
            }
          }
          return null;
        });
        TestBroadcasts mass = new TestBroadcasts();
        Greetings a = greetings(store, store.db(), dir, "node-a", mass);
        Greetings b = greetings(store, second, dir, "node-b", mass);
        int sent = 0;
        int excluded = 0;
        for (int minute = 0; minute < 3; minute++) {
          Instant now = at(day, 10).plusSeconds(60L * minute);
          Future<Greetings.Run> runA = nodes.submit(() -> a.runDue(now));
          Future<Greetings.Run> runB = nodes.submit(() -> b.runDue(now));
          sent += runA.get().mass() + runB.get().mass();
          excluded += runA.get().excluded() + runB.get().excluded();
        }
        // A node restarted (a fresh instance) plans and sends nothing more.
        Greetings.Run again = greetings(store, store.db(), dir, "node-a", mass).runDue(at(day, 11));
        assertThat(again.planned() + again.mass()).isZero();

        assertThat(sent).isEqualTo(customers);
        assertThat(mass.queued.size()).isEqualTo(customers);
        assertThat(excluded).isEqualTo(customers / 10);
        int greeted = store.db().inTransaction(c -> Sql.count(c, "SELECT COUNT(DISTINCT customer_id) FROM greetings WHERE status = 'sent'"));
        assertThat(greeted).isEqualTo(customers);
      } finally {
        nodes.shutdownNow();
        second.close();
      }
    }
  }
}
