package kefu.greeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import kefu.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Greetings through a whole node and the WeChat stand-in: by customer-service message inside the window, by a temporary
 * tag for a day's single celebrant, by list for several, never a fifth mass message in a month, once across a restart,
 * and 退订 / 恢复 from the simulator's customer.
 */
class GreetingNodeTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final OffsetDateTime CREATED = OffsetDateTime.now(ZoneOffset.UTC);

  private static LocalDate today(TestNode node) {
    return node.clock().instant().atZone(SHANGHAI).toLocalDate();
  }

  private static Instant at(LocalDate day, int hour, int minute) {
    return day.atTime(hour, minute).atZone(SHANGHAI).toInstant();
  }

  /** A follower who never wrote (their window is closed), with a record whose solar birthday is {@code birthday}. */
  private static long celebrant(TestNode node, String openid, String reference, LocalDate birthday, boolean member) throws Exception {
    node.execute("INSERT INTO customers (openid, subscribed, created_at, updated_at) VALUES (?, TRUE, ?, ?)", openid, CREATED, CREATED);
    long customer = node.count("SELECT id FROM customers WHERE openid = ?", openid);
    record(node, customer, reference, birthday, member);
    return customer;
  }

  private static void record(TestNode node, long customer, String reference, LocalDate birthday, boolean member) throws Exception {
    node.execute("INSERT INTO customer_records (reference, line, customer_id, name, member, birthday_month, birthday_day, link_code,"
        + " created_at, updated_at) VALUES (?, 'studio', ?, '周女士', ?, ?, ?, ?, ?, ?)", reference, customer, member, birthday.getMonthValue(),
        birthday.getDayOfMonth(), "q" + reference, CREATED, CREATED);
  }

  private static List<JsonObject> mass(TestNode node, String openid) throws Exception {
    return node.sent(openid).stream().filter(m -> m.getString("channel").equals("mass")).toList();
  }

  @Test
  void insideTheWindowAGreetingIsACustomerServiceMessageWithTheNameAndHowToOptOut(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      // The greetings run at 10:30 today: in the past, whatever the hour the test runs at.
      node.clock().notBefore(LocalTime.of(11, 0));
      node.say("o-window", "你好");
      long customer = node.count("SELECT id FROM customers WHERE openid = ?", "o-window");
      LocalDate today = today(node);
      record(node, customer, "G-1", today, false);
      int before = node.sent("o-window").size();

      Greetings.Run run = node.greetings().runDue(at(today, 10, 30));
      node.greetings().runDue(at(today, 10, 31));

      assertThat(node.one(String.class, "SELECT channel FROM greetings WHERE record_id = (SELECT id FROM customer_records WHERE reference = 'G-1')"))
          .isEqualTo("service");
      await().atMost(Duration.ofSeconds(20)).until(() -> node.sent("o-window").size() > before);
      List<JsonObject> sent = node.sent("o-window");
      assertThat(sent).hasSize(before + 1);
      JsonObject greeting = sent.get(sent.size() - 1);
      assertThat(greeting.getString("channel")).isEqualTo("service");
      assertThat(greeting.encode()).contains("周女士您好！今天是您的生日").contains("请回复“退订”");
      assertThat(node.count("SELECT COUNT(*) FROM mass_sends")).as("no mass slot used").isZero();
      assertThat(run.mass()).isZero();
    }
  }

  @Test
  void aDaysSingleCelebrantGoesByATemporaryTagAndSeveralByList(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      LocalDate today = today(node);
      celebrant(node, "o-alone", "G-2", today, false);
      celebrant(node, "o-pair-1", "G-3", today.plusDays(1), false);
      celebrant(node, "o-pair-2", "G-4", today.plusDays(1), false);

      assertThat(node.greetings().runDue(at(today, 10, 30)).mass()).isEqualTo(1);

      await().atMost(Duration.ofSeconds(20)).until(() -> node.count("SELECT COUNT(*) FROM mass_sends WHERE status = 'finished'") == 1);
      assertThat(node.one(String.class, "SELECT target FROM mass_sends")).isEqualTo("tag");
      assertThat(node.one(String.class, "SELECT channel FROM greetings WHERE record_id = (SELECT id FROM customer_records WHERE reference = 'G-2')"))
          .isEqualTo("tag");
      List<JsonObject> alone = mass(node, "o-alone");
      assertThat(alone).hasSize(1);
      JsonObject filter = alone.get(0).getJsonObject("message").getJsonObject("filter");
      assertThat(filter.getBoolean("is_to_all")).isFalse();
      // The text goes to many at once: no name, and how to opt out at the end.
      assertThat(alone.get(0).encode()).contains("尊敬的客户您好！今天是您的生日").contains("请回复“退订”");
      assertThat(node.one(Integer.class, "SELECT total_count FROM mass_sends")).isEqualTo(1);
      // The temporary tag goes once WeChat reported the job.
      await().atMost(Duration.ofSeconds(20)).until(() -> node.count("SELECT COUNT(*) FROM mass_sends WHERE tag_deleted = TRUE") == 1);
      assertThat(new JsonObject(node.get("/simulator/api/mass").body()).getJsonObject("tags")).isEmpty();

      assertThat(node.greetings().runDue(at(today.plusDays(1), 10, 30)).mass()).isEqualTo(2);
      await().atMost(Duration.ofSeconds(20)).until(() -> node.count("SELECT COUNT(*) FROM mass_sends WHERE status = 'finished'") == 2);
      assertThat(node.column(String.class, "SELECT target FROM mass_sends ORDER BY id")).containsExactly("tag", "list");
      assertThat(mass(node, "o-pair-1")).hasSize(1);
      assertThat(mass(node, "o-pair-2")).hasSize(1);
      assertThat(node.sent("o-pair-1").stream().filter(m -> m.getString("channel").equals("template"))).as("never a template").isEmpty();
    }
  }

  @Test
  void wechatsReportThatComesBeforeTheSendIsRecordedIsTheSendsOwn(@TempDir Path dir) throws Exception {
    // Proves: MASSSENDJOBFINISH can arrive before kefu has recorded WeChat's answer to the send (seen under load); it is
    // kept as a send made outside kefu at first, then taken over by kefu's own send — one row, with WeChat's report.
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      LocalDate today = today(node);
      celebrant(node, "o-early", "G-9", today, false);
      // The stand-in numbers its jobs from 1000001: this is the report of the send about to be made.
      assertThat(node.post(node.wechat().jobFinished("oMassSendAssistant", 1_000_001, 1, 0)).statusCode()).isEqualTo(200);
      assertThat(node.one(String.class, "SELECT purpose FROM mass_sends")).isEqualTo("external");

      assertThat(node.greetings().runDue(at(today, 10, 30)).mass()).isEqualTo(1);

      await().atMost(Duration.ofSeconds(20)).until(() -> node.count("SELECT COUNT(*) FROM mass_sends WHERE purpose = 'greeting'"
          + " AND status = 'finished'") == 1);
      assertThat(node.column(String.class, "SELECT purpose || '/' || target FROM mass_sends"))
          .as("the outside send taken over").containsExactly("greeting/tag");
      assertThat(node.one(Integer.class, "SELECT sent_count FROM mass_sends")).isEqualTo(1);
    }
  }

  @Test
  void aFollowerWhoseMonthHasFourMassMessagesIsNotPlannedAFifth(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      LocalDate today = today(node);
      long full = celebrant(node, "o-full", "G-5", today, false);
      long three = celebrant(node, "o-three", "G-6", today, false);
      int month = today.getYear() * 100 + today.getMonthValue();
      for (int i = 0; i < 4; i++) {
        node.execute("INSERT INTO mass_sends (purpose, label, target, recipients, budget_month, status, created_at)"
            + " VALUES ('campaign', 'earlier', 'list', 2, ?, 'finished', ?)", month, CREATED);
        long send = node.count("SELECT MAX(id) FROM mass_sends");
        node.execute("INSERT INTO mass_recipients (mass_send_id, customer_id, budget_month) VALUES (?, ?, ?)", send, full, month);
        if (i < 3) {
          node.execute("INSERT INTO mass_recipients (mass_send_id, customer_id, budget_month) VALUES (?, ?, ?)", send, three, month);
        }
      }

      Greetings.Run run = node.greetings().runDue(at(today, 10, 30));

      assertThat(run.mass()).isEqualTo(1);
      assertThat(run.excluded()).isEqualTo(1);
      assertThat(node.one(String.class, "SELECT reason FROM greetings WHERE customer_id = ?", full)).isEqualTo("budget-spent");
      assertThat(node.one(String.class, "SELECT channel FROM greetings WHERE customer_id = ?", three)).isEqualTo("tag");
      assertThat(node.count("SELECT COUNT(*) FROM mass_recipients WHERE customer_id = ? AND budget_month = ?", full, month)).isEqualTo(4);
      assertThat(node.count("SELECT COUNT(*) FROM mass_recipients WHERE customer_id = ? AND budget_month = ?", three, month)).isEqualTo(4);
    }
  }

  @Test
  void aGreetingGoesOnceAcrossARestart(@TempDir Path dir) throws Exception {
    LocalDate today;
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      today = today(node);
      celebrant(node, "o-once-1", "G-7", today, true);
      celebrant(node, "o-once-2", "G-8", today, true);
      node.greetings().runDue(at(today, 10, 30));
      await().atMost(Duration.ofSeconds(20)).until(() -> node.count("SELECT COUNT(*) FROM mass_sends WHERE status = 'finished'") == 1);
    }
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      Greetings.Run again = node.greetings().runDue(at(today, 11, 0));
      assertThat(again.planned() + again.mass() + again.service()).isZero();
      assertThat(node.count("SELECT COUNT(*) FROM greetings")).isEqualTo(2);
      assertThat(node.count("SELECT COUNT(*) FROM mass_sends")).isEqualTo(1);
      // Members' birthdays come with the gift reminder for their agent, once.
      assertThat(node.count("SELECT COUNT(*) FROM call_tasks WHERE greeting_id IS NOT NULL")).isEqualTo(2);
    }
  }

  @Test
  void aCustomerOptsOutAndBackInFromTheSimulator(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      assertThat(node.say("o-refuses", "退订")).contains("已为您退订祝福与活动消息");
      long customer = node.count("SELECT id FROM customers WHERE openid = ?", "o-refuses");
      assertThat(node.count("SELECT COUNT(*) FROM customers WHERE id = ? AND opted_out_at IS NOT NULL", customer)).isEqualTo(1);
      LocalDate today = today(node);
      record(node, customer, "G-9", today, false);

      node.greetings().runDue(at(today, 10, 30));
      assertThat(node.one(String.class, "SELECT reason FROM greetings WHERE customer_id IS NULL OR customer_id = ?", customer))
          .isEqualTo("opted-out");
      // Service still answers.
      assertThat(node.say("o-refuses", "你好")).isNotBlank();

      assertThat(node.say("o-refuses", "恢复")).contains("已为您恢复");
      assertThat(node.count("SELECT COUNT(*) FROM customers WHERE id = ? AND opted_out_at IS NULL", customer)).isEqualTo(1);
      // The menu item does the same.
      assertThat(node.reply(node.wechat().event("o-refuses", "CLICK", OptOutBot.MENU_OUT)).get("Content")).contains("已为您退订");
      assertThat(node.count("SELECT COUNT(*) FROM customers WHERE id = ? AND opted_out_at IS NOT NULL", customer)).isEqualTo(1);
    }
  }

  @Test
  void twoMenuButtonsPressedWithinOneSecondAreTwoEventsNotARetry(@TempDir Path dir) throws Exception {
    // Proves: WeChat's retries of an event are known by sender, second and event; pressing 退订 and then 恢复 in the same
    // second differs in the key alone, and is two presses — the second restores — not a retry answered as the first.
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      var out = node.wechat().event("o-quick", "CLICK", OptOutBot.MENU_OUT);
      var in = node.wechat().sign(out.body().replace(OptOutBot.MENU_OUT, OptOutBot.MENU_IN));
      assertThat(node.reply(out).get("Content")).contains("已为您退订");
      assertThat(node.reply(in).get("Content")).contains("已为您恢复");
      assertThat(node.count("SELECT COUNT(*) FROM customers WHERE openid = 'o-quick' AND opted_out_at IS NULL")).isEqualTo(1);
      // WeChat's own retry of the second is still recognised: answered as before, nothing done twice.
      assertThat(node.reply(node.wechat().sign(in.body())).get("Content")).contains("已为您恢复");
    }
  }
}
