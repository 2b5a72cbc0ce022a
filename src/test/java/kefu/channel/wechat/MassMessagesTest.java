package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import kefu.TestConfigs;
import kefu.TestNode;
import kefu.channel.simulator.SimulatedWechat;
import kefu.config.KefuConfig;
import kefu.conversation.Article;
import kefu.conversation.Broadcasts;
import kefu.dialog.Bot;
import kefu.store.Sql;
import kefu.template.Templates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mass messages through the channel and the stand-in: the monthly budget with the greetings' reserve, lists split as
 * WeChat wants them, a send whose answer was lost sent again and carried out once (clientmsgid), and WeChat's report
 * of a send made outside kefu counted against every follower; an article uploaded once and sent by its media_id.
 */
class MassMessagesTest {
  private static final Clock CLOCK = Clock.system(ZoneId.of("Asia/Shanghai"));
  @TempDir
  Path dir;
  private ChannelOnStandIn on;

  private Broadcasts broadcasts() {
    if (on == null) {
      KefuConfig config = TestNode.config(dir, TestConfigs.embedded(dir).db(), TestNode.REPLY_BUDGET);
      on = new ChannelOnStandIn(config, dir, Templates.load(Path.of("templates")), CLOCK, dialogue -> (Bot) dialogue);
    }
    return on.channel.broadcasts();
  }

  @AfterEach
  void close() throws Exception {
    if (on != null) {
      on.close();
    }
  }

  private List<Long> followers(int n) throws SQLException {
    broadcasts();
    return on.database.inTransaction(c -> {
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ids.add(Sql.insert(c, "INSERT INTO customers (openid, subscribed, created_at, updated_at) VALUES (?, TRUE, ?, ?)", "o-mass-" + i,
            Instant.now(), Instant.now()));
      }
      return ids;
    });
  }

  private List<Long> fitting(List<Long> ids, Broadcasts.Purpose purpose) throws SQLException {
    return on.database.inTransaction(c -> broadcasts().fitting(c, ids, purpose, CLOCK.instant()));
  }

  private void queue(List<Long> ids) throws SQLException {
    on.database.inTransaction(c -> broadcasts().queue(c, Broadcasts.Purpose.CAMPAIGN, "test", ids, "测试消息", CLOCK.instant()));
  }

  @Test
  void campaignsLeaveTheReserveToGreetingsAndNothingPlansAFifth() throws Exception {
    List<Long> ids = followers(2);
    for (int i = 0; i < 3; i++) {
      assertThat(fitting(ids, Broadcasts.Purpose.CAMPAIGN)).containsExactlyElementsOf(ids);
      queue(ids);
    }
    assertThat(fitting(ids, Broadcasts.Purpose.CAMPAIGN)).as("the fourth is the greetings' reserve").isEmpty();
    assertThat(fitting(ids, Broadcasts.Purpose.GREETING)).containsExactlyElementsOf(ids);
    on.database.inTransaction(c -> broadcasts().queue(c, Broadcasts.Purpose.GREETING, "birthday", ids.subList(0, 1), "生日快乐", CLOCK.instant()));
    assertThat(fitting(ids, Broadcasts.Purpose.GREETING)).containsExactly(ids.get(1));
    int used = on.database.inTransaction(c -> broadcasts().used(c, ids.get(0), broadcasts().month(CLOCK.instant())));
    assertThat(used).isEqualTo(4);
  }

  @Test
  void listsAreSplitAsWechatTakesThem() {
    List<Long> many = new ArrayList<>();
    for (long i = 0; i < 10_001; i++) {
      many.add(i);
    }
    assertThat(MassMessages.parts(many)).extracting(List::size).containsExactly(9_999, 2);
    assertThat(MassMessages.parts(many.subList(0, 1))).extracting(List::size).containsExactly(1);
    assertThat(MassMessages.parts(many.subList(0, 10_000))).extracting(List::size).containsExactly(10_000);
  }

  @Test
  void aSendWhoseAnswerWasLostGoesAgainWithItsClientMsgIdAndIsCarriedOutOnce() throws Exception {
    List<Long> ids = followers(2);
    HttpClient http = HttpClient.newHttpClient();
    loseNextAnswer(http);
    queue(ids);
    broadcasts().wake();
    awaitSent();
    String state = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port + "/simulator/api/mass")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(state).contains("\"o-mass-0\":1").contains("\"o-mass-1\":1");
    int attempts = on.database.inTransaction(c -> Sql.count(c, "SELECT attempts FROM mass_sends"));
    assertThat(attempts).isEqualTo(2);
  }

  @Test
  void anArticleIsUploadedOnceWithItsCoverAndSentByItsMediaIdAlsoAgainAfterALostAnswer() throws Exception {
    // Proves: an article's cover goes up as a thumb and the article by media/uploadnews; the mass message carries its
    // media_id (mpnews), kept with the send, so the send WeChat's answer was lost for goes again with the same upload.
    List<Long> ids = followers(2);
    HttpClient http = HttpClient.newHttpClient();
    loseNextAnswer(http);
    Article article = new Article("新春快乐", "新春佳节，恭祝您阖家幸福！", "<p>尊敬的客户您好！</p><p>恭祝新春快乐。</p>",
        "https://example.com/spring", "greetings/covers/spring-festival.jpg");
    on.database.inTransaction(c -> broadcasts().queue(c, Broadcasts.Purpose.GREETING, "spring-festival", ids, article, CLOCK.instant()));
    broadcasts().wake();
    awaitSent();

    String mediaId = on.database.inTransaction(c -> Sql.one(c, "SELECT media_id FROM mass_sends", row -> row.string("media_id"))).orElseThrow();
    JsonObject received = sent(http, "o-mass-0");
    assertThat(received.getString("msgtype")).isEqualTo("mpnews");
    assertThat(received.getJsonObject("mpnews").getString("media_id")).isEqualTo(mediaId);
    JsonObject shown = received.getJsonArray("articles").getJsonObject(0);
    assertThat(shown.getString("title")).isEqualTo("新春快乐");
    assertThat(shown.getString("content")).isEqualTo(article.content());
    assertThat(shown.getString("content_source_url")).isEqualTo("https://example.com/spring");
    byte[] cover = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port + shown.getString("cover"))).build(),
        HttpResponse.BodyHandlers.ofByteArray()).body();
    assertThat(cover).as("the thumb WeChat got is the cover's file").isEqualTo(Files.readAllBytes(Path.of("templates", article.cover())));
    int attempts = on.database.inTransaction(c -> Sql.count(c, "SELECT attempts FROM mass_sends"));
    assertThat(attempts).isEqualTo(2);
    assertThat(sent(http, "o-mass-1").getJsonObject("mpnews").getString("media_id")).isEqualTo(mediaId);
  }

  /** The stand-in closes the connection of the next mass call unanswered: its outcome unknown to kefu. */
  private void loseNextAnswer(HttpClient http) throws Exception {
    http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port + "/simulator/api/faults"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"faults\": [\"lost-answer\"]}")).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void awaitSent() {
    await().atMost(Duration.ofSeconds(60)).until(() -> on.database.inTransaction(c ->
        Sql.count(c, "SELECT COUNT(*) FROM mass_sends WHERE status = 'sent'")) == 1);
  }

  /** The one mass message the stand-in took for {@code openid}. */
  private JsonObject sent(HttpClient http, String openid) throws Exception {
    JsonArray all = new JsonArray(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port + "/simulator/api/sent?openid="
        + openid)).build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(all).hasSize(1);
    return all.getJsonObject(0).getJsonObject("message");
  }

  @Test
  void aReportOfASendMadeOutsideKefuCountsAgainstEveryFollower() throws Exception {
    List<Long> ids = followers(3);
    KefuConfig config = TestNode.config(dir, TestConfigs.embedded(dir).db(), TestNode.REPLY_BUDGET);
    SimulatedWechat wechat = new SimulatedWechat(config.wechat().token(), new WechatCrypto(config.wechat()), CLOCK);
    SimulatedWechat.Request report = wechat.jobFinished("oMassSendAssistant", 424242, 3, 0);
    HttpClient http = HttpClient.newHttpClient();
    for (int i = 0; i < 2; i++) { // WeChat's retry changes nothing
      SimulatedWechat.Request signed = i == 0 ? report : wechat.sign(report.body());
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + on.port + "/wechat?" + signed.query()))
          .header("Content-Type", "text/xml").POST(HttpRequest.BodyPublishers.ofString(signed.body())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
    }
    int external = on.database.inTransaction(c -> Sql.count(c, "SELECT COUNT(*) FROM mass_sends WHERE purpose = 'external' AND target = 'all'"));
    assertThat(external).isEqualTo(1);
    int used = on.database.inTransaction(c -> broadcasts().used(c, ids.get(2), broadcasts().month(CLOCK.instant())));
    assertThat(used).isEqualTo(1);
    int customers = on.database.inTransaction(c -> Sql.count(c, "SELECT COUNT(*) FROM customers WHERE openid = 'oMassSendAssistant'"));
    assertThat(customers).as("WeChat's report is no customer's turn").isZero();
  }
}
