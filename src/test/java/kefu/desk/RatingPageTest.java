package kefu.desk;

import static kefu.report.ReportFixtures.NEXT_MONDAY;
import static kefu.report.ReportFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import kefu.TestNode;
import kefu.config.KefuConfig;
import kefu.customer.CustomerRepository;
import kefu.report.ReportFixtures;
import kefu.store.Database;
import kefu.store.Sql;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ratings where people look for them, on a running node: a closed ticket shows its rating, an agent their own scores
 * and latest ratings, a supervisor every closed ticket with its rating filtered by agent, level and day; and the
 * manager's WeChat message of the reports made at start, through the real outbox to WeChat's stand-in.
 */
class RatingPageTest {
  @Test
  void aClosedTicketShowsItsRatingAnAgentTheirScoresAndASupervisorFiltersEveryClosedTicket(@TempDir Path dir) throws Exception {
    KefuConfig config = TestNode.config(dir, Optional.empty());
    ReportFixtures.Made made = loaded(config, c -> null);
    try (TestNode node = TestNode.start(config)) {
      Path configFile = DeskClient.configFile(dir, config.db().url());
      DeskClient.addUser(configFile, "lina", "李娜", "supervisor");
      DeskClient.addUser(configFile, "xiaoli", "小李", "agent");
      // 小李 takes over 王芳's chats, and their ratings are given now: this week's and this month's.
      long xiaoli = node.count("SELECT id FROM agents WHERE login = 'xiaoli'");
      long wang = node.count("SELECT id FROM agents WHERE login = 'wangfang'");
      node.execute("UPDATE ticket_agents SET agent_id = ? WHERE agent_id = ?", xiaoli, wang);
      node.execute("UPDATE tickets SET agent_id = ? WHERE agent_id = ?", xiaoli, wang);
      node.execute("UPDATE ratings SET created_at = ? WHERE ticket_id IN (SELECT ticket_id FROM ticket_agents WHERE agent_id = ?)",
          java.sql.Timestamp.from(node.clock().instant().minusSeconds(60)), xiaoli);
      node.execute("UPDATE tickets SET status = 'closed', closed_at = created_at WHERE id IN (SELECT ticket_id FROM ratings)");

      DeskClient http = new DeskClient(node.port());
      DeskClient.Session agent = http.logIn("xiaoli");
      String mine = http.get("/desk/ratings", agent.cookie()).body();
      assertThat(mine).contains("我的评价").contains("id=\"week-mean\">0.920<").contains("本周平均得分（5 条）");
      assertThat(mine.split("<tr class=\"level-")).hasSize(6);
      assertThat(mine).contains("小李、李明").doesNotContain("张伟");
      // The agent's own ticket, the week's first: rated 非常满意 on Monday 00:00 (the time moved to now above).
      long own = node.count("SELECT MIN(t.id) FROM tickets t JOIN ratings r ON r.ticket_id = t.id WHERE t.agent_id = ?", xiaoli);
      assertThat(http.get("/desk/tickets/" + own, agent.cookie()).body()).contains("客户评价：非常满意（1.1 分）");

      DeskClient.Session supervisor = http.logIn("lina");
      long zhang = node.count("SELECT id FROM agents WHERE login = 'zhangwei'");
      String dissatisfied = http.get("/desk/ratings?agent=" + zhang + "&level=4", supervisor.cookie()).body();
      assertThat(dissatisfied.split("<tr class=\"level-")).hasSize(2);
      assertThat(dissatisfied).contains("不满意").contains("张伟");
      String friday = http.get("/desk/ratings?from=2026-11-20&to=2026-11-20", supervisor.cookie()).body();
      assertThat(friday.split("<tr class=\"level-")).as("张伟's three and the complaint closed unrated").hasSize(5);
      assertThat(friday).contains("未评价");
      String all = http.get("/desk/ratings", supervisor.cookie()).body();
      assertThat(all.split("<tr class=\"level-")).as("every closed ticket: the 17 rated and the complaint").hasSize(19);
      HttpResponse<String> unread = http.get("/desk/ratings?from=last-week", supervisor.cookie());
      assertThat(unread.statusCode()).isEqualTo(200);
      assertThat(unread.body()).contains("id=\"filter-problem\"");
      assertThat(http.get("/desk/tickets/" + made.transferredTicket(), supervisor.cookie()).body()).contains("客户评价：满意（1.0 分）");
    }
  }

  /** The manager wrote to the account within 48 hours: the reports made at start reach them as customer-service messages. */
  @Test
  void theManagerGetsTheReportsMadeAtStartOnWeChat(@TempDir Path dir) throws Exception {
    KefuConfig base = TestNode.config(dir, Optional.empty());
    KefuConfig config = base.withDesk(base.desk().withManager("o-manager"))
        .withReport(new KefuConfig.Report(LocalTime.of(9, 0), LocalTime.of(9, 0), 3, Optional.of("https://kefu.example.com")));
    loaded(config, c -> {
      long manager = new CustomerRepository().findOrCreate(c, "o-manager", Instant.now()).id();
      Sql.update(c, "UPDATE customers SET last_inbound_at = ? WHERE id = ?", Instant.now(), manager);
      return null;
    });
    try (TestNode node = TestNode.start(config)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> node.sent("o-manager").size() == 2);
      List<JsonObject> sent = node.sent("o-manager");
      assertThat(sent).allSatisfy(m -> assertThat(m.encode()).contains("【服务报告】").contains("https://kefu.example.com/desk/reports/"));
      assertThat(sent.get(0).encode() + sent.get(1).encode()).contains("周报").contains("月报");
      assertThat(node.count("SELECT COUNT(*) FROM report_deliveries WHERE channel = 'service'")).isEqualTo(2);
    }
  }

  /** The fixture's week, and {@code more}, on the node's database before it starts. */
  private static ReportFixtures.Made loaded(KefuConfig config, kefu.store.SqlWork<Void> more) throws Exception {
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.open(config.db(), vertx, new SimpleMeterRegistry())) {
      ReportFixtures.Made made = db.inTransaction(new ReportFixtures()::load);
      db.inTransaction(more);
      return made;
    } finally {
      vertx.close().await();
    }
  }
}
