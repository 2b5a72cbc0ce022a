package kefu.greeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import kefu.TestNode;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Campaigns through a whole node and the WeChat stand-in: they share the monthly mass budget with greetings, leave the
 * greeting reserve and never plan a fifth; WeChat's report is the campaign's result; inside the open window a campaign
 * still goes by mass message, as WeChat's rules keep marketing out of customer-service messages.
 */
class CampaignNodeTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final OffsetDateTime CREATED = OffsetDateTime.now(ZoneOffset.UTC);

  private static Instant daytime(TestNode node) {
    ZonedDateTime local = node.clock().instant().atZone(SHANGHAI);
    LocalDate day = local.getHour() >= 20 ? local.toLocalDate().plusDays(1) : local.toLocalDate();
    return day.atTime(10, 0).atZone(SHANGHAI).toInstant();
  }

  private static long follower(TestNode node, String openid) throws Exception {
    node.execute("INSERT INTO customers (openid, subscribed, created_at, updated_at) VALUES (?, TRUE, ?, ?)", openid, CREATED, CREATED);
    return node.count("SELECT id FROM customers WHERE openid = ?", openid);
  }

  /** {@code n} mass messages of kefu's greetings this month already reached the follower. */
  private static void used(TestNode node, long customer, int n, Instant now) throws Exception {
    int month = YearMonth.from(now.atZone(SHANGHAI)).getYear() * 100 + YearMonth.from(now.atZone(SHANGHAI)).getMonthValue();
    for (int i = 0; i < n; i++) {
      String clientMsgId = "earlier-" + customer + "-" + i;
      node.execute("INSERT INTO mass_sends (purpose, label, target, text, recipients, budget_month, clientmsgid, status, created_at)"
          + " VALUES ('greeting', 'birthday', 'tag', '生日快乐', 1, ?, ?, 'finished', ?)", month, clientMsgId, CREATED);
      long send = node.count("SELECT id FROM mass_sends WHERE clientmsgid = ?", clientMsgId);
      node.execute("INSERT INTO mass_recipients (mass_send_id, customer_id, budget_month) VALUES (?, ?, ?)", send, customer, month);
    }
  }

  private static long campaign(TestNode node, String name, Instant now) throws Exception {
    node.execute("INSERT INTO campaigns (name, segment, message, status, start_at, launched_at, created_at, updated_at)"
        + " VALUES (?, '{}', '周末活动：全场八折。', 'running', ?, ?, ?, ?)", name, now.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC),
        CREATED, CREATED);
    return node.count("SELECT id FROM campaigns WHERE name = ?", name);
  }

  private static String reason(TestNode node, long campaign, long customer) throws Exception {
    return node.one(String.class, "SELECT COALESCE(reason, channel) FROM campaign_recipients WHERE campaign_id = ? AND customer_id = ?",
        campaign, customer);
  }

  @Test
  void campaignsLeaveTheGreetingReserveAndNeverPlanAFifthMassMessage(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      Instant now = daytime(node);
      long a = follower(node, "o-three");
      long b = follower(node, "o-two");
      long c = follower(node, "o-none");
      used(node, a, 3, now);
      used(node, b, 2, now);

      long first = campaign(node, "周末活动", now);
      node.campaigns().runDue(now);
      assertThat(reason(node, first, a)).as("3 of 4 used: the last is the greetings' reserve").isEqualTo("budget-spent");
      assertThat(reason(node, first, b)).isEqualTo("mass");
      assertThat(reason(node, first, c)).isEqualTo("mass");
      await().atMost(Duration.ofSeconds(20)).until(() -> node.count("SELECT COUNT(*) FROM mass_sends WHERE purpose = 'campaign'"
          + " AND status = 'finished'") == 1);
      JsonObject received = new JsonObject(node.get("/simulator/api/mass").body()).getJsonObject("received");
      assertThat(received.getInteger("o-two")).isEqualTo(1);
      assertThat(received.getInteger("o-none")).isEqualTo(1);
      assertThat(received.containsKey("o-three")).isFalse();
      assertThat(node.one(Integer.class, "SELECT sent_count FROM mass_sends WHERE purpose = 'campaign'")).as("WeChat's report").isEqualTo(2);

      // b now has 3 (its last is the greetings'), c has 1: a second campaign (later in the week, past the frequency
      // cap's count of one) reaches c alone, by a temporary tag; nobody ever has a fifth.
      long second = campaign(node, "新品上市", now.plus(Duration.ofHours(1)));
      node.campaigns().runDue(now.plus(Duration.ofHours(1)));
      assertThat(reason(node, second, a)).isEqualTo("budget-spent");
      assertThat(reason(node, second, b)).isEqualTo("budget-spent");
      assertThat(reason(node, second, c)).isEqualTo("tag");
      long third = campaign(node, "限时抢购", now.plus(Duration.ofHours(2)));
      node.campaigns().runDue(now.plus(Duration.ofHours(2)));
      assertThat(reason(node, third, c)).as("two campaign messages in 7 days: the cap").isEqualTo("frequency-cap");
      assertThat(node.count("SELECT COUNT(*) FROM (SELECT customer_id FROM mass_recipients GROUP BY customer_id, budget_month"
          + " HAVING COUNT(*) > 4) t")).isZero();
      assertThat(node.count("SELECT COUNT(*) FROM campaigns WHERE status = 'done'")).isEqualTo(3);
    }
  }

  @Test
  void insideTheOpenWindowACampaignStillGoesByMassMessage(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      Instant now = daytime(node);
      node.clock().advance(Duration.between(node.clock().instant(), now));
      node.say("o-wrote", "你好");
      long wrote = node.count("SELECT id FROM customers WHERE openid = 'o-wrote'");
      long x = follower(node, "o-x");
      int before = node.sent("o-wrote").size();

      long id = campaign(node, "周末活动", now);
      node.campaigns().runDue(node.clock().instant());
      assertThat(reason(node, id, wrote)).as("marketing never uses the customer-service window").isEqualTo("mass");
      assertThat(reason(node, id, x)).isEqualTo("mass");
      assertThat(node.count("SELECT COUNT(*) FROM mass_recipients WHERE customer_id = ?", wrote)).isEqualTo(1);
      assertThat(node.count("SELECT COUNT(*) FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE c.openid = 'o-wrote'"
          + " AND o.payload LIKE '%周末活动%'")).as("no campaign text in the customer-service outbox").isZero();
      assertThat(node.sent("o-wrote")).hasSize(before);
    }
  }
}
