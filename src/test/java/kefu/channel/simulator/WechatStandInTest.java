package kefu.channel.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import kefu.App;
import kefu.TestConfigs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in's long poll on a real node: a poll of {@code sent} with {@code wait} is answered when a message
 * reaches the stand-in for its customer, when its wait is over, or when the node stops; never more than
 * {@link WechatStandIn#MAX_WAITING} wait at once. An idle poll costs no database query by design: the stand-in
 * holds no database, only the messages it received, in memory.
 */
class WechatStandInTest {
  /** HTTP/1.1 as the page speaks it, a connection per waiting poll. */
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private App app;
  private String api;

  @BeforeEach
  void start(@TempDir Path dir) {
    app = App.start(TestConfigs.embedded(dir));
    api = "http://127.0.0.1:" + app.port() + WechatStandIn.PATH;
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  @Test
  void aWaitingPollGetsTheMessageSentToItsCustomer() throws Exception {
    CompletableFuture<HttpResponse<String>> mine = poll("o-waiting", 0, WechatStandIn.MAX_WAIT_SECONDS);
    CompletableFuture<HttpResponse<String>> other = poll("o-other", 0, WechatStandIn.MAX_WAIT_SECONDS);
    awaitWaiting(2);

    sendText("o-waiting", "您好,客服小李为您服务");

    HttpResponse<String> answer = mine.get(30, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    JsonArray sent = new JsonArray(answer.body());
    assertThat(sent).hasSize(1);
    assertThat(sent.getJsonObject(0).getString("channel")).isEqualTo("service");
    assertThat(sent.getJsonObject(0).getJsonObject("message").getJsonObject("text").getString("content"))
        .isEqualTo("您好,客服小李为您服务");
    awaitWaiting(1);
    assertThat(other).isNotDone();

    // The next poll, after what was seen, waits again; one from the start gets it at once.
    CompletableFuture<HttpResponse<String>> next = poll("o-waiting", sent.getJsonObject(0).getLong("seq"), WechatStandIn.MAX_WAIT_SECONDS);
    awaitWaiting(2);
    assertThat(new JsonArray(poll("o-waiting", 0, WechatStandIn.MAX_WAIT_SECONDS).get(30, TimeUnit.SECONDS).body())).hasSize(1);
    assertThat(next).isNotDone();
  }

  @Test
  void anIdlePollAnswersEmptyWhenItsWaitIsOver() throws Exception {
    HttpResponse<String> answer = poll("o-idle", 0, 1).get(30, TimeUnit.SECONDS);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(new JsonArray(answer.body())).isEmpty();
    assertThat(waiting()).isZero();
  }

  @Test
  void waitingPollsAreAnsweredWhenTheNodeStops() throws Exception {
    // The test node's shutdown timeout (5 s) is shorter than this wait: a poll still held when it ran out would be
    // cut off, not answered.
    CompletableFuture<HttpResponse<String>> poll = poll("o-stopping", 0, WechatStandIn.MAX_WAIT_SECONDS);
    awaitWaiting(1);

    app.stop();

    HttpResponse<String> answer = poll.get(30, TimeUnit.SECONDS);
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(new JsonArray(answer.body())).isEmpty();
  }

  @Test
  void pollsBeyondTheLimitAreRefusedAndTheOthersStillServed() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> polls = IntStream.range(0, WechatStandIn.MAX_WAITING)
        .mapToObj(i -> poll("o-crowd", 0, WechatStandIn.MAX_WAIT_SECONDS)).toList();
    awaitWaiting(WechatStandIn.MAX_WAITING);

    HttpResponse<String> refused = poll("o-crowd", 0, WechatStandIn.MAX_WAIT_SECONDS).get(30, TimeUnit.SECONDS);
    assertThat(refused.statusCode()).isEqualTo(429);
    // Without waiting, the list is still there.
    assertThat(poll("o-crowd", 0, 0).get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

    sendText("o-crowd", "您好");
    for (CompletableFuture<HttpResponse<String>> poll : polls) {
      assertThat(new JsonArray(poll.get(30, TimeUnit.SECONDS).body())).hasSize(1);
    }
    assertThat(waiting()).isZero();
  }

  @Test
  void aWaitOutOfRangeIsRefused() throws Exception {
    HttpResponse<String> answer = poll("o-impatient", 0, WechatStandIn.MAX_WAIT_SECONDS + 1).get(30, TimeUnit.SECONDS);

    assertThat(answer.statusCode()).isEqualTo(400);
    assertThat(answer.body()).contains("wait");
  }

  private CompletableFuture<HttpResponse<String>> poll(String openid, long after, int wait) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create(api + "/sent?openid=" + openid + "&after=" + after + "&wait=" + wait)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Sends a customer-service text message to the stand-in, as kefu's WeChat client does. */
  private void sendText(String openid, String content) throws Exception {
    String token = get("/cgi-bin/token?grant_type=client_credential").getString("access_token");
    String message = new JsonObject().put("touser", openid).put("msgtype", "text")
        .put("text", new JsonObject().put("content", content)).encode();
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api + "/cgi-bin/message/custom/send?access_token=" + token))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(message)).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(new JsonObject(response.body()).getInteger("errcode")).isZero();
  }

  private void awaitWaiting(int polls) {
    await().untilAsserted(() -> assertThat(waiting()).isEqualTo(polls));
  }

  private int waiting() throws Exception {
    return get("/waiting").getInteger("polls");
  }

  private JsonObject get(String path) throws Exception {
    return new JsonObject(http.send(HttpRequest.newBuilder(URI.create(api + path)).build(), HttpResponse.BodyHandlers.ofString()).body());
  }
}
