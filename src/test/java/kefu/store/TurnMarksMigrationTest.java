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
 * V30's marks on the customer and V31's on the conversation, filled in for what was pending when a database made before
 * them is migrated: a turn reads a ticket's prompt, a survey or the bot's last question only where a mark says so, so
 * none pending may be left unmarked.
 */
class TurnMarksMigrationTest {
  private static final Instant DAY = Instant.parse("2026-12-06T02:00:00Z");

  @Test
  void h2(@TempDir Path dir) throws Exception {
    assertMarksFilledIn(TestDatabases.h2(dir));
  }

  @Test
  void postgres() throws Exception {
    MigrationTest.onNewPostgres(TurnMarksMigrationTest::assertMarksFilledIn);
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
        long asked = conversation(c, quiet);
        long followed = conversation(c, quiet);
        question(c, asked, DAY.plusSeconds(10), Optional.of("other"));
        question(c, asked, DAY.plusSeconds(20), Optional.empty());
        question(c, followed, DAY.plusSeconds(30), Optional.of("pick"));
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
        // The question not followed yet marks its conversation; one whose last question was followed is not marked.
        assertThat(Sql.list(c, "SELECT question_at FROM conversations WHERE customer_id = (SELECT id FROM customers"
            + " WHERE openid = 'o-quiet') ORDER BY id", row -> row.optionalInstant("question_at")))
            .containsExactly(Optional.empty(), Optional.of(DAY.plusSeconds(20)), Optional.empty());
      }
    }
  }

  private static long customer(Connection c, String openid) throws Exception {
    return Sql.insert(c, "INSERT INTO customers (openid, created_at, updated_at) VALUES (?, ?, ?)", openid, DAY, DAY);
  }

  private static long conversation(Connection c, long customer) throws Exception {
    return Sql.insert(c, "INSERT INTO conversations (customer_id, inbox, status, started_at, last_message_at)"
        + " VALUES (?, 'wechat', 'open', ?, ?)", customer, DAY, DAY);
  }

  private static void question(Connection c, long conversation, Instant at, Optional<String> followedBy) throws Exception {
    Sql.update(c, "INSERT INTO bot_questions (conversation_id, question, outcome, handed_over, asked_at, followed_by)"
        + " VALUES (?, '怎么退货', 'answer', FALSE, ?, ?)", conversation, at, followedBy);
  }

  private static void ticket(Connection c, long customer, String status, Optional<Instant> ratingAsked, Optional<Instant> waitOffered)
      throws Exception {
    long conversation = conversation(c, customer);
    Sql.update(c, "INSERT INTO tickets (customer_id, conversation_id, kind, reason, status, created_at, updated_at, rating_asked_at,"
        + " wait_offered_at) VALUES (?, ?, 'handoff', 'asked', ?, ?, ?, ?, ?)", customer, conversation, status, DAY, DAY,
        ratingAsked, waitOffered);
  }

  private static List<Optional<Instant>> marks(Connection c, String openid) throws Exception {
    return Sql.one(c, "SELECT prompted_at, survey_until FROM customers WHERE openid = ?",
        row -> List.of(row.optionalInstant("prompted_at"), row.optionalInstant("survey_until")), openid).orElseThrow();
  }
}
