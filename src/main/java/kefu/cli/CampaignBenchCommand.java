package kefu.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import kefu.App;
import kefu.config.KefuConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures a marketing campaign at a business's scale: starts a node in simulator mode (embedded H2, the WeChat API
 * stand-in on loopback), files many followers, launches a campaign to all of them, times planning and deciding it
 * (streamed in pages and batches) and sending it until WeChat's stand-in has reported every mass message, and reports
 * the heap after each phase (it should not grow with the followers), the most mass API calls in any minute (WeChat
 * allows 60; each call carries up to 10,000 openids) and the database's growth.
 */
@Command(name = "campaign-bench", mixinStandardHelpOptions = true,
    description = "Files followers (simulator mode, embedded H2), sends a campaign to all of them against the stand-in API; prints"
        + " times, heap, mass calls a minute and database growth.")
public final class CampaignBenchCommand implements Callable<Integer> {
  private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

  @Option(names = "--customers", defaultValue = "100000", description = "followers the campaign goes to (default ${DEFAULT-VALUE})")
  int customers;

  @Option(names = "--kb", defaultValue = "knowledge-base", description = "knowledge base the node loads (default ${DEFAULT-VALUE})")
  Path kb;

  @Override
  public Integer call() throws Exception {
    if (customers < 2) {
      System.err.println("--customers must be at least 2");
      return 2;
    }
    Path data = Files.createTempDirectory("kefu-campaign-bench").resolve("data");
    KefuConfig config = OutboxBenchCommand.simulatorNode(data, kb, Map.of());
    // Daytime in Beijing, so that the campaign goes at once, whenever the bench is run.
    JourneyBenchCommand.MovingClock clock = new JourneyBenchCommand.MovingClock(
        LocalDate.now(BEIJING).plusDays(1).atTime(10, 0).atZone(BEIJING).toInstant());
    App app = App.start(config, clock);
    try {
      Instant start = Instant.now();
      fill(config.db());
      Duration filling = Duration.between(start, Instant.now());
      long heapFilled = JourneyBenchCommand.heapAfterGc();
      long bytesFilled = JourneyBenchCommand.databaseBytes(data);

      launch(config.db(), clock.instant());
      start = Instant.now();
      // The node's own timer works alongside: both take the campaign's steps under its lock.
      while (OutboxBenchCommand.count(config.db(), "SELECT COUNT(*) FROM campaigns WHERE status = 'running'") > 0) {
        app.campaigns().runDue(clock.instant());
      }
      Duration deciding = Duration.between(start, Instant.now());
      long heapDecided = JourneyBenchCommand.heapAfterGc();

      Instant giveUp = Instant.now().plus(Duration.ofMinutes(30));
      while (OutboxBenchCommand.count(config.db(), "SELECT COUNT(*) FROM mass_sends WHERE purpose = 'campaign' AND status <> 'finished'"
          + " AND status <> 'failed'") > 0) {
        if (Instant.now().isAfter(giveUp)) {
          throw new IllegalStateException("the campaign's mass messages were not all reported within 30 minutes");
        }
        Thread.sleep(200);
      }
      Duration sending = Duration.between(start, Instant.now());
      long heapSent = JourneyBenchCommand.heapAfterGc();
      long bytesSent = JourneyBenchCommand.databaseBytes(data);

      long sent = OutboxBenchCommand.count(config.db(), "SELECT COUNT(*) FROM campaign_recipients WHERE status = 'sent'");
      long reported = OutboxBenchCommand.count(config.db(), "SELECT COALESCE(SUM(sent_count), 0) FROM mass_sends WHERE purpose = 'campaign'");
      long sends = OutboxBenchCommand.count(config.db(), "SELECT COUNT(*) FROM mass_sends WHERE purpose = 'campaign'");
      System.out.printf("customers=%d fill_s=%.1f plan_and_decide_s=%.1f send_until_reported_s=%.1f recipients_sent=%d wechat_reported_sent=%d"
              + " mass_sends=%d most_mass_calls_in_a_minute=%d heap_mb_filled=%d heap_mb_decided=%d heap_mb_sent=%d db_mb_filled=%.1f"
              + " db_mb_after=%.1f%n",
          customers, filling.toMillis() / 1e3, deciding.toMillis() / 1e3, sending.toMillis() / 1e3, sent, reported, sends,
          mostInAMinute(config.db()), heapFilled >> 20, heapDecided >> 20, heapSent >> 20, bytesFilled / 1e6, bytesSent / 1e6);
      return sent == customers && reported == customers ? 0 : 1;
    } finally {
      app.stop();
    }
  }

  /** The followers: every tenth a member, each with a studio record. */
  private void fill(KefuConfig.Db db) throws Exception {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement customer = c.prepareStatement("INSERT INTO customers (openid, subscribed, created_at, updated_at)"
            + " VALUES (?, TRUE, ?, ?)", Statement.RETURN_GENERATED_KEYS);
        PreparedStatement record = c.prepareStatement("INSERT INTO customer_records (reference, line, customer_id, name, member, link_code,"
            + " created_at, updated_at) VALUES (?, 'studio', ?, '李先生', ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
      c.setAutoCommit(false);
      for (int i = 0; i < customers; i++) {
        long follower = OutboxBenchCommand.insert(customer, "o-campaign-" + i, now, now);
        OutboxBenchCommand.insert(record, "C-" + i, follower, i % 10 == 0, "bench" + i, now, now);
        if (i % 5_000 == 4_999) {
          c.commit();
        }
      }
      c.commit();
    }
  }

  /** A campaign to every follower, launched now. */
  private static void launch(KefuConfig.Db db, Instant now) throws Exception {
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement insert = c.prepareStatement("INSERT INTO campaigns (name, segment, message, status, start_at, launched_at,"
            + " created_at, updated_at) VALUES ('bench', '{}', '年终回馈：全场八折，欢迎到店。', 'running', ?, ?, ?, ?)")) {
      for (int i = 1; i <= 4; i++) {
        insert.setObject(i, at);
      }
      insert.executeUpdate();
    }
  }

  /** The most campaign mass messages sent within any 60 seconds: one mass/send call each (a tag send makes more). */
  private static int mostInAMinute(KefuConfig.Db db) throws Exception {
    List<Instant> times = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT sent_at FROM mass_sends WHERE purpose = 'campaign' AND sent_at IS NOT NULL ORDER BY sent_at")) {
      while (rs.next()) {
        times.add(rs.getObject(1, OffsetDateTime.class).toInstant());
      }
    }
    int most = 0;
    for (int from = 0, to = 0; to < times.size(); to++) {
      while (times.get(to).minusSeconds(60).isAfter(times.get(from))) {
        from++;
      }
      most = Math.max(most, to - from + 1);
    }
    return most;
  }
}
