package kefu.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import kefu.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follow-up through a whole node: the customer wrote on WeChat, their record's repair was closed yesterday, and
 * today's survey step reaches them through the outbox and WeChat's (stand-in) API, once: its message, then the
 * survey's first question as a menu.
 */
class JourneyNodeTest {

  @Test
  void aDueStepReachesTheCustomerThroughTheOutboxOnce(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      // The day's steps run at 10:30: in the past, whatever the hour the test runs at.
      node.clock().notBefore(LocalTime.of(11, 0));
      node.say("o-journey", "你好");
      long customer = node.count("SELECT id FROM customers WHERE openid = ?", "o-journey");
      OffsetDateTime created = OffsetDateTime.now(ZoneOffset.UTC);
      LocalDate today = node.clock().instant().atZone(Journeys.SHANGHAI).toLocalDate();
      node.execute("INSERT INTO customer_records (reference, line, customer_id, name, member, link_code, created_at, updated_at)"
          + " VALUES ('W-1', 'equipment', ?, '李先生', FALSE, 'qW-1', ?, ?)", customer, created, created);
      long record = node.count("SELECT id FROM customer_records WHERE reference = 'W-1'");
      node.execute("INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at) VALUES (?, 'repair_closed', ?, 'api', ?, ?)",
          record, today.minusDays(1), created, created);
      int before = node.sent("o-journey").size();

      Instant tenThirty = today.atTime(10, 30).atZone(Journeys.SHANGHAI).toInstant();
      // The node's own timer may run it first, at the wall time: either way it goes once.
      node.journeys().runDue(tenThirty);
      assertThat(node.journeys().runDue(tenThirty.plusSeconds(60)).sent()).isZero();
      assertThat(node.one(String.class, "SELECT status FROM journey_steps WHERE record_id = ?", record)).isEqualTo("done");

      await().atMost(Duration.ofSeconds(20)).until(() -> node.sent("o-journey").size() > before + 1);
      List<JsonObject> sent = node.sent("o-journey");
      assertThat(sent).hasSize(before + 2);
      assertThat(sent.get(before).encode()).contains("李先生您好！感谢您" + today.minusDays(1).getMonthValue() + "月"
          + today.minusDays(1).getDayOfMonth() + "日使用我们的维修服务（工单W-1）");
      assertThat(sent.get(before + 1).getJsonObject("message").getString("msgtype")).isEqualTo("msgmenu");
      assertThat(node.one(String.class, "SELECT channel FROM journey_steps WHERE record_id = ?", record)).isEqualTo("service");
    }
  }
}
