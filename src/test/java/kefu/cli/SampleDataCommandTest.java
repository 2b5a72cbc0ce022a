package kefu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import kefu.TestDatabases;
import kefu.desk.Passwords;
import kefu.report.Period;
import kefu.report.Report;
import kefu.report.ReportComputer;
import kefu.report.SurveyDimensions;
import kefu.report.Wordings;
import kefu.store.Database;
import kefu.store.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sample-data as someone trying kefu runs it: on a new database it loads a desk dated from today, so that last week's
 * and last month's reports — whenever the test runs — rank several agents (one listed apart), with survey columns,
 * complaints still open, breaches, the bot's unanswered questions and follow-ups; it prints a supervisor's login that
 * works; and it refuses, loading nothing, a database in use and production mode.
 */
class SampleDataCommandTest {
  private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int kefu(String yaml, String... args) throws IOException {
    return Kefu.run(dir, yaml, out, err, args);
  }

  @Test
  void aNewDatabaseGetsADeskWhoseLastWeekAndMonthHaveSomethingToShow() throws Exception {
    assertThat(kefu("", "sample-data")).isEqualTo(0);

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("Sample data loaded, ").contains(" ratings, ", " complaints, ", " bot questions, ", " follow-ups.");
    assertThat(lines.get(1)).contains("every name says 示例", "o-sample-");
    assertThat(lines.get(2)).startsWith("Console login (shown only now): sample-supervisor / ");
    assertThat(lines.get(3)).contains("KEFU_DESK_MANAGER_OPENID=o-sample-manager");
    String password = lines.get(2).substring(lines.get(2).indexOf(" / ") + 3, lines.get(2).indexOf(" (a supervisor)"));
    assertThat(err.toString()).isEmpty();

    Vertx vertx = Vertx.vertx();
    try (Database db = Database.open(TestDatabases.h2(dir), vertx, new SimpleMeterRegistry())) {
      Instant now = Instant.now();
      ReportComputer computer = new ReportComputer(BEIJING, 3, Wordings.EXACT, SurveyDimensions.NONE);
      Report week = db.inTransaction(c -> computer.compute(c, Period.lastDue(Period.Kind.WEEKLY, now, BEIJING, LocalTime.of(9, 0)), now));
      assertThat(week.ranked()).hasSizeGreaterThanOrEqualTo(4).allSatisfy(a -> assertThat(a.name()).endsWith("（示例）"));
      assertThat(week.unranked()).extracting(Report.AgentScore::name).contains("赵丽（示例）");
      assertThat(week.headline().ratings()).isGreaterThan(30);
      assertThat(week.days()).hasSize(7).allSatisfy(d -> assertThat(d.ratings()).isPositive());
      assertThat(week.distribution().stream().mapToInt(Integer::intValue).sum()).isEqualTo(week.headline().ratings());
      assertThat(week.complaints()).as("two complaints still open, one of them major").hasSize(2)
          .extracting(Report.OpenComplaint::severity).contains("major");
      assertThat(week.bot().fallbacks()).isPositive();
      assertThat(week.unanswered()).isNotEmpty();
      assertThat(week.followUps().due()).isPositive();
      assertThat(week.followUps().members()).isPositive();
      assertThat(week.ratings()).hasSize(week.headline().ratings());
      Report month = db.inTransaction(c -> computer.compute(c, Period.lastDue(Period.Kind.MONTHLY, now, BEIJING, LocalTime.of(9, 0)), now));
      assertThat(month.days()).allSatisfy(d -> assertThat(d.conversations()).isPositive());
      assertThat(month.sla().missedReplies() + month.sla().longWaits()).isPositive();
      assertThat(month.subjects()).isNotEmpty();

      String hash = db.inTransaction(c -> Sql.one(c, "SELECT password_hash FROM agents WHERE login = 'sample-supervisor' AND role = 'supervisor'",
          row -> row.string("password_hash")).orElseThrow());
      assertThat(new Passwords().matches(hash, password)).isTrue();
      int others = db.inTransaction(c -> Sql.count(c, "SELECT COUNT(*) FROM customers WHERE openid NOT LIKE 'o-sample-%'")
          + Sql.count(c, "SELECT COUNT(*) FROM agents WHERE name NOT LIKE '%示例%'"));
      assertThat(others).as("every customer and user marked as sample").isZero();
      // The repair survey answered on the records each agent owns: the ranking's survey columns (see SampleReportTest).
      int answeredFor = db.inTransaction(c -> Sql.count(c, "SELECT COUNT(DISTINCT r.agent_id) FROM survey_runs r"
          + " JOIN survey_answers a ON a.run_id = r.id WHERE a.answered_at >= ?", Period.lastDue(Period.Kind.WEEKLY, now, BEIJING,
              LocalTime.of(9, 0)).from(BEIJING)));
      assertThat(answeredFor).isGreaterThanOrEqualTo(4);
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void aDatabaseInUseOrProductionModeIsRefusedAndNothingLoaded() throws Exception {
    String production = "mode: production\nwechat:\n  app-id: wx0123456789abcdef\n  secret: s3cret\n  token: kefutoken\n";
    assertThat(kefu(production, "sample-data")).isEqualTo(2);
    assertThat(err.toString()).startsWith("sample-data: refused in production mode");
    assertThat(kefu("", "sample-data")).isEqualTo(0);
    String loaded = out.toString();

    assertThat(kefu("", "sample-data")).isEqualTo(2);

    assertThat(out.toString()).isEqualTo(loaded);
    assertThat(err.toString().lines().toList()).last().asString().startsWith("sample-data: refused: the database is in use");
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.open(TestDatabases.h2(dir), vertx, new SimpleMeterRegistry())) {
      int supervisors = db.inTransaction(c -> Sql.count(c, "SELECT COUNT(*) FROM agents WHERE login = 'sample-supervisor'"));
      assertThat(supervisors).as("loaded once").isEqualTo(1);
    } finally {
      vertx.close().await();
    }
  }
}
