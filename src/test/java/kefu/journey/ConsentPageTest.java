package kefu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import kefu.TestNode;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the consent is offered: kefu's H5 page with WeChat's open tag, signed through the (stand-in) JS-SDK ticket, and
 * the simulator's button, whose event WeChat would send when the customer answers the popup.
 */
class ConsentPageTest {
  private static final String NOTICE = "tplNoticeRepair01";
  private final HttpClient http = HttpClient.newHttpClient();

  private static TestNode node(Path dir, Optional<String> template) {
    KefuConfig base = TestNode.config(dir, Optional.empty());
    return TestNode.start(template.map(t -> base.withJourney(base.journey().withSubscribeTemplate(t))).orElse(base));
  }

  private HttpResponse<String> envelope(TestNode node, JsonObject body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/simulator/api/envelope"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageOffersTheNoticeAndTheSimulatorsButtonRecordsTheConsent(@TempDir Path dir) throws Exception {
    try (TestNode node = node(dir, Optional.of(NOTICE))) {
      HttpResponse<String> page = node.get("/subscribe");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<title>服务提醒授权</title>", "接收服务提醒", "允许接收服务提醒",
          "<wx-open-subscribe id=\"subscribe\" template=\"" + NOTICE + "\">", "data-signed=\"true\"",
          "data-app-id=\"" + KefuConfig.Wechat.SIMULATOR_APP_ID + "\"");
      assertThat(page.body()).containsPattern("data-signature=\"[0-9a-f]{40}\"");

      JsonObject request = new JsonObject(envelope(node, new JsonObject().put("openid", "o-page").put("type", "consent").put("accepted", true)).body());
      String query = request.getString("url").substring("/wechat?".length());
      assertThat(node.post(query, request.getString("body")).statusCode()).isEqualTo(200);
      assertThat(node.count("SELECT COUNT(*) FROM subscribe_consents s JOIN customers c ON c.id = s.customer_id"
          + " WHERE c.openid = 'o-page' AND s.template_id = ? AND s.event = 'popup' AND s.accepted = TRUE AND s.used_at IS NULL", NOTICE))
          .isEqualTo(1);
    }
  }

  @Test
  void withoutANoticeConfiguredThePageSaysSoAndTheSimulatorOffersNone(@TempDir Path dir) throws Exception {
    try (TestNode node = node(dir, Optional.empty())) {
      HttpResponse<String> page = node.get("/subscribe");
      assertThat(page.body()).contains("本公众号暂未开通服务提醒").doesNotContain("<wx-open-subscribe");
      assertThat(node.get("/simulator/api/consent").body()).isEqualTo("{\"template\":null}");
      assertThat(envelope(node, new JsonObject().put("openid", "o-page").put("type", "consent")).statusCode()).isEqualTo(400);
    }
  }
}
