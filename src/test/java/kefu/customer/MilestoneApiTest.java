package kefu.customer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import kefu.TestConfigs;
import kefu.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /api/milestones as the business's own systems call it: keys, bad input, and what it does to the milestones. */
class MilestoneApiTest {
  @TempDir static Path dir;
  private static TestNode node;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    node = TestNode.start(TestNode.config(dir, Optional.empty()));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private HttpResponse<String> call(String method, String path, String key, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutTheIntegrationsKeyNothingIsDone() throws Exception {
    String body = "{\"reference\":\"API-1\",\"line\":\"studio\",\"kind\":\"shoot\",\"date\":\"2027-01-10\"}";
    assertThat(call("POST", "/api/milestones", null, body).statusCode()).isEqualTo(401);
    assertThat(call("POST", "/api/milestones", "wrong-key-0123456789abcdefgh", body).statusCode()).isEqualTo(401);
    // The key of /api/kb/search is another program's: it opens nothing here.
    assertThat(call("POST", "/api/milestones", TestConfigs.API_KEY, body).statusCode()).isEqualTo(401);
    assertThat(call("DELETE", "/api/milestones/API-1/shoot?reason=x", null, null).statusCode()).isEqualTo(401);
    assertThat(node.count("SELECT COUNT(*) FROM customer_records WHERE reference = 'API-1'")).isZero();
  }

  @Test
  void badInputIsRefusedWithWhatIsWrong() throws Exception {
    String key = TestConfigs.INTEGRATION_KEY;
    assertThat(error(call("POST", "/api/milestones", key, "not json"), 400)).isEqualTo("the body must be a JSON object");
    assertThat(error(call("POST", "/api/milestones", key, "{\"reference\":\"API-2\",\"kind\":\"party\",\"date\":\"2027-01-10\"}"), 400))
        .startsWith("kind: one of booking, shoot");
    assertThat(error(call("POST", "/api/milestones", key, "{\"reference\":\"API-2\",\"kind\":\"shoot\",\"date\":\"2027-02-30\"}"), 400))
        .isEqualTo("date: a day as YYYY-MM-DD, like 2026-05-01");
    assertThat(error(call("POST", "/api/milestones", key, "{\"kind\":\"shoot\",\"date\":\"2027-01-10\"}"), 400))
        .startsWith("reference: ");
    assertThat(error(call("POST", "/api/milestones", key, "{\"reference\":\"API-2\",\"kind\":\"shoot\",\"date\":\"2027-01-10\"}"), 404))
        .isEqualTo("no customer record API-2; give \"line\" (studio or equipment) to create it");
    assertThat(error(call("DELETE", "/api/milestones/API-2/shoot", key, null), 400)).startsWith("reason: ");
  }

  @Test
  void setMoveAndCancelAMilestone() throws Exception {
    String key = TestConfigs.INTEGRATION_KEY;
    HttpResponse<String> added = call("POST", "/api/milestones", key,
        "{\"reference\":\"API-3\",\"line\":\"studio\",\"kind\":\"shoot\",\"date\":\"2027-01-10\"}");
    assertThat(added.statusCode()).isEqualTo(201);
    assertThat(new JsonObject(added.body()).getString("change")).isEqualTo("added");

    HttpResponse<String> moved = call("PUT", "/api/milestones/API-3/shoot", key, "{\"date\":\"2027-01-12\"}");
    assertThat(moved.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(moved.body()).getString("change")).isEqualTo("moved");
    assertThat(node.one(String.class, "SELECT CAST(m.on_date AS VARCHAR(10)) FROM milestones m JOIN customer_records r"
        + " ON r.id = m.record_id WHERE r.reference = 'API-3' AND m.kind = 'shoot'")).isEqualTo("2027-01-12");

    HttpResponse<String> cancelled = call("DELETE", "/api/milestones/API-3/shoot", key, "{\"reason\":\"客户推迟拍摄，另约时间\"}");
    assertThat(cancelled.statusCode()).isEqualTo(200);
    JsonObject json = new JsonObject(cancelled.body());
    assertThat(json.getBoolean("cancelled")).isTrue();
    assertThat(json.getString("cancelReason")).isEqualTo("客户推迟拍摄，另约时间");
    assertThat(json.getString("date")).isEqualTo("2027-01-12");
    assertThat(json.getString("source")).isEqualTo("api");
    assertThat(call("DELETE", "/api/milestones/API-3/wedding?reason=x", key, null).statusCode()).isEqualTo(404);
  }

  private static String error(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return new JsonObject(response.body()).getString("error");
  }
}
