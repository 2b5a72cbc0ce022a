package kefu.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.TestDatabases;
import kefu.config.KefuConfig;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * V30's marks on the customer, filled in for what was pending when a database made before them is migrated: a turn
 * reads a ticket's prompt or a survey only where the mark says so, so none pending may be left unmarked.
 */
class PromptMarksMigrationTest {
  private static final Instant DAY = Instant.parse("2026-12-06T02:00:00Z");

  @Test
  void h2(@TempDir Path dir) throws Exception {
    assertMarksFilledIn(TestDatabases.h2(dir));
  }

  @Test
  void postgres() throws Exception {
    MigrationTest.onNewPostgres(PromptMarksMigrationTest::assertMarksFilledIn);
  }

  private static void assertMarksFilledIn(KefuConfig.Db db) throws Exception {
    try (HikariDataSource pool = new HikariDataSource()) {
      pool.setJdbcUrl(db.url());
      Flyway.configure().dataSource(pool).locations("classpath:db/migration").target("29").load().migrate();
      try (Connection c = pool.getConnection()) {
        long rated = customer(c, "o-rated");
        long waiting = customer(c, "o-waiting");
        long surveyed = customer(c, "o-surveyed");
        long quiet = customer(c, "o-quiet");
        ticket(c, rated, "closed", Optional.of(DAY.plusSeconds(60)), Optional.empty());
        ticket(c, rated, "closed", Optional.of(DAY.plusSeconds(30)), Optional.empty());
        ticket(c, waiting, "waiting", Optional.empty(), Optional.of(DAY.plusSeconds(90)));
        ticket(c, quiet, "closed", Optional.empty(), Optional.empty());
        long record = Sql.insert(c, "INSERT INTO customer_records (reference, line, customer_id, link_code, created_at, updated_at)"
            + " VALUES ('R-1', 'studio', ?, 'L-1', ?, ?)", surveyed, DAY, DAY);
        for (String status : List.of("asking", "expired")) {
          Sql.update(c, "INSERT INTO survey_runs (record_id, customer_id, survey, channel, status, expires_at, started_at, updated_at)"
              + " VALUES (?, ?, 'repair', 'wechat', ?, ?, ?, ?)", record, surveyed, status,
              DAY.plusSeconds(status.equals("asking") ? 3600 : 7200), DAY, DAY);
        }
      }
      assertThat(Database.migrate(pool)).isPositive();
      try (Connection c = pool.getConnection()) {
        assertThat(marks(c, "o-rated")).isEqualTo(List.of(Optional.of(DAY.plusSeconds(60)), Optional.empty()));
        assertThat(marks(c, "o-waiting")).isEqualTo(List.of(Optional.of(DAY.plusSeconds(90)), Optional.empty()));
        // The expired run's later expiry does not count: only a run still asking does.
        assertThat(marks(c, "o-surveyed")).isEqualTo(List.of(Optional.empty(), Optional.of(DAY.plusSeconds(3600))));
        assertThat(marks(c, "o-quiet")).isEqualTo(List.of(Optional.empty(), Optional.empty()));
      }
    }
  }

  private static long customer(Connection c, String openid) throws Exception {
    return Sql.insert(c, "INSERT INTO customers (openid, created_at, updated_at) VALUES (?, ?, ?)", openid, DAY, DAY);
  }

  private static void ticket(Connection c, long customer, String status, Optional<Instant> ratingAsked, Optional<Instant> waitOffered)
      throws Exception {
    long conversation = Sql.insert(c, "INSERT INTO conversations (customer_id, inbox, status, started_at, last_message_at)"
        + " VALUES (?, 'wechat', 'open', ?, ?)", customer, DAY, DAY);
    Sql.update(c, "INSERT INTO tickets (customer_id, conversation_id, kind, reason, status, created_at, updated_at, rating_asked_at,"
        + " wait_offered_at) VALUES (?, ?, 'handoff', 'asked', ?, ?, ?, ?, ?)", customer, conversation, status, DAY, DAY,
        ratingAsked, waitOffered);
  }

  private static List<Optional<Instant>> marks(Connection c, String openid) throws Exception {
    return Sql.one(c, "SELECT prompted_at, survey_until FROM customers WHERE openid = ?",
        row -> List.of(row.optionalInstant("prompted_at"), row.optionalInstant("survey_until")), openid).orElseThrow();
  }
}
