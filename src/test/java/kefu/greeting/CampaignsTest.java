package kefu.greeting;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kefu.TestConfigs;
import kefu.TestStore;
import kefu.config.KefuConfig;
import kefu.conversation.Broadcasts;
import kefu.store.Sql;
import kefu.template.Templates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Campaigns on the database alone, on H2 and PostgreSQL: paused, resumed after a restart on two nodes at once, and
 * cancelled mid-campaign, every recipient decided once — none sent twice, none lost; the frequency cap across
 * campaigns; the month's mass budget leaving followers out; daytime only.
 */
class CampaignsTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final LocalDate DAY = LocalDate.of(2026, 12, 8);

  private static Instant at(int hour, int minute) {
    return DAY.atTime(hour, minute).atZone(SHANGHAI).toInstant();
  }

  private static Campaigns campaigns(TestStore.Open store, Path dir, Broadcasts mass, int batch) {
    KefuConfig config = TestConfigs.with(dir, store.settings(), Optional.empty()).withCampaign(new KefuConfig.Campaign(2, 7));
    return new Campaigns(store.vertx(), store.db(), new Segments(new ChineseDates()), mass, TEMPLATES, config,
        Clock.system(SHANGHAI), batch);
  }

  private static List<Long> followers(TestStore.Open store, String prefix, int n) throws SQLException {
    return store.db().inTransaction(c -> {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(Sql.insert(c, "INSERT INTO customers (openid, subscribed, created_at, updated_at) VALUES (?, TRUE, ?, ?)", prefix + i, T, T));
      }
      return ids;
    });
  }

  private static long create(TestStore.Open store, Campaigns campaigns, String name, Map<String, String> segment) throws SQLException {
    return store.db().inTransaction(c -> campaigns.create(c, name, segment, "年终回馈：全场八折，欢迎到店。", Optional.empty(), T));
  }

  private static int count(TestStore.Open store, String sql, Object... params) throws SQLException {
    return store.db().inTransaction(c -> Sql.count(c, sql, params));
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void pausedResumedAfterARestartOnTwoNodesAndCancelledMidCampaignWithoutADuplicateOrALoss(TestStore kind, @TempDir Path dir)
      throws Exception {
    try (TestStore.Open store = kind.open(dir)) {
      List<Long> ids = followers(store, "o-", 25);
      store.db().inTransaction(c -> Sql.update(c, "UPDATE customers SET opted_out_at = ? WHERE openid = 'o-24'", T));
      TestBroadcasts mass = new TestBroadcasts();
      Campaigns node = campaigns(store, dir, mass, 4);
      long id = create(store, node, "年终回馈", Map.of());
      assertThat(store.db().<Integer>inTransaction(c -> node.count(c, Segment.EVERYONE, at(10, 0)))).as("the live count: opted out left out").isEqualTo(24);
      assertThat(store.db().inTransaction(c -> node.launch(c, id, Optional.empty(), at(10, 0))).outcome()).isEqualTo(Campaigns.Outcome.STARTED);

      int[] counts = new int[3];
      assertThat(node.step(id, at(10, 0), counts)).isTrue();
      assertThat(counts[0]).as("the segment planned in one page").isEqualTo(24);
      // One follower leaves the account after planning: left out when their batch is decided.
      store.db().inTransaction(c -> Sql.update(c, "UPDATE customers SET subscribed = FALSE WHERE openid = 'o-9'"));
      node.step(id, at(10, 1), counts);
      node.step(id, at(10, 1), counts);
      assertThat(mass.queued).hasSize(8);

      assertThat(store.db().<Boolean>inTransaction(c -> node.pause(c, id, at(10, 2)))).isTrue();
      assertThat(node.runDue(at(10, 3)).sent()).as("paused: nothing goes").isZero();
      assertThat(mass.queued).hasSize(8);

      // A restart: two fresh nodes resume it together.
      Campaigns a = campaigns(store, dir, mass, 4);
      Campaigns b = campaigns(store, dir, mass, 4);
      assertThat(store.db().<Boolean>inTransaction(c -> a.resume(c, id, at(10, 5)))).isTrue();
      ExecutorService threads = Executors.newFixedThreadPool(2);
      try {
        Future<Campaigns.Run> runA = threads.submit(() -> a.runDue(at(10, 6)));
        Future<Campaigns.Run> runB = threads.submit(() -> b.runDue(at(10, 6)));
        runA.get();
        runB.get();
      } finally {
        threads.shutdownNow();
      }
      assertThat(mass.queued).as("each sent once").doesNotHaveDuplicates().hasSize(23)
          .containsExactlyInAnyOrderElementsOf(ids.subList(0, 24).stream().filter(i -> !i.equals(ids.get(9))).toList());
      assertThat(mass.texts).allSatisfy(text -> assertThat(text).startsWith("年终回馈").endsWith("请回复“退订”。"));
      assertThat(count(store, "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = ? AND status = 'sent'", id)).isEqualTo(23);
      assertThat(count(store, "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = ? AND reason = 'unfollowed'", id)).isEqualTo(1);
      assertThat(store.db().inTransaction(c -> new CampaignFigures().find(c, id)).orElseThrow().status()).isEqualTo("done");

      // A second campaign, cancelled after its first batch: what went stays, the rest is never sent.
      long second = create(store, a, "新品上市", Map.of());
      store.db().inTransaction(c -> a.launch(c, second, Optional.empty(), at(11, 0)));
      a.step(second, at(11, 0), counts);
      a.step(second, at(11, 0), counts);
      assertThat(mass.queued).hasSize(27);
      assertThat(store.db().<Boolean>inTransaction(c -> b.cancel(c, second, at(11, 1)))).isTrue();
      assertThat(a.runDue(at(11, 2)).sent()).isZero();
      assertThat(mass.queued).hasSize(27);
      assertThat(mass.queued.subList(23, 27)).as("the first batch of the second campaign").containsExactlyElementsOf(ids.subList(0, 4));
      CampaignFigures.Progress progress = store.db().inTransaction(c -> new CampaignFigures().progress(c, second));
      assertThat(progress.targeted()).isEqualTo(23);
      assertThat(progress.sent()).isEqualTo(4);
      assertThat(progress.reasons()).containsExactly(new CampaignFigures.Reason("cancelled", 19));
      assertThat(progress.percent()).isEqualTo(100);
      assertThat(store.db().<CampaignFigures.Reports>inTransaction(c -> new CampaignFigures().reports(c, second)))
          .as("the stand-in's reports are not here: the mass channel is a fake").isEqualTo(new CampaignFigures.Reports(0, 0, 0, 0, 0, 0, 0));
      assertThat(store.db().<Boolean>inTransaction(c -> a.resume(c, second, at(11, 3)))).as("a cancelled campaign stays so").isFalse();

      // The frequency cap (2 in 7 days): the four who got both campaigns are left out of a third; one follower's
      // month of mass messages is spent.
      mass.spent.add(ids.get(20));
      long third = create(store, a, "周末活动", Map.of());
      store.db().inTransaction(c -> a.launch(c, third, Optional.empty(), at(12, 0)));
      a.runDue(at(12, 0));
      assertThat(count(store, "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = ? AND reason = 'frequency-cap'", third)).isEqualTo(4);
      assertThat(count(store, "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = ? AND reason = 'budget-spent'", third)).isEqualTo(1);
      assertThat(count(store, "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = ? AND status = 'sent'", third)).isEqualTo(18);
      assertThat(mass.queued).hasSize(45);
    }
  }

  @Test
  void aCampaignGoesInDaytimeOnlyAndANightTimeIsRefusedWithTheMorning(@TempDir Path dir) throws Exception {
    try (TestStore.Open store = TestStore.H2.open(dir)) {
      followers(store, "o-", 3);
      TestBroadcasts mass = new TestBroadcasts();
      Campaigns node = campaigns(store, dir, mass, 10);
      long id = create(store, node, "晚间活动", Map.of());
      Campaigns.Launch now = store.db().inTransaction(c -> node.launch(c, id, Optional.empty(), at(22, 30)));
      assertThat(now.outcome()).isEqualTo(Campaigns.Outcome.REST_HOURS);
      assertThat(now.allowedFrom()).contains(DAY.plusDays(1).atTime(9, 0).atZone(SHANGHAI).toInstant());
      Campaigns.Launch night = store.db().inTransaction(c -> node.launch(c, id, Optional.of(at(23, 0)), at(15, 0)));
      assertThat(night.outcome()).isEqualTo(Campaigns.Outcome.REST_HOURS);
      Instant evening = at(20, 58);
      assertThat(store.db().inTransaction(c -> node.launch(c, id, Optional.of(evening), at(15, 0))).outcome())
          .isEqualTo(Campaigns.Outcome.SCHEDULED);
      assertThat(node.runDue(at(20, 0)).planned()).as("not before its time").isZero();
      assertThat(node.runDue(at(21, 5))).as("its time came, but it is the quiet hours: planned, not sent").isEqualTo(new Campaigns.Run(3, 0, 0));
      assertThat(node.runDue(DAY.plusDays(1).atTime(9, 0).atZone(SHANGHAI).toInstant()).sent()).isEqualTo(3);
      assertThat(store.db().inTransaction(c -> node.launch(c, id, Optional.empty(), at(15, 0))).outcome())
          .as("launched once").isEqualTo(Campaigns.Outcome.NOT_DRAFT);
    }
  }
}
