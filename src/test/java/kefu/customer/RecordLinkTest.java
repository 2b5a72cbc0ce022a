package kefu.customer;

import static org.assertj.core.api.Assertions.assertThat;

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

/** A follower scanning a record's QR code is linked to the record: WeChat's signed SCAN and subscribe events. */
class RecordLinkTest {
  @TempDir static Path dir;
  private static TestNode node;

  @BeforeAll
  static void start() {
    node = TestNode.start(TestNode.config(dir, Optional.empty()));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** A record made through the API, and its QR code's scene. */
  private static String record(String reference) throws Exception {
    HttpResponse<String> made = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + node.port() + "/api/milestones"))
        .header("Authorization", "Bearer " + TestConfigs.INTEGRATION_KEY)
        .POST(HttpRequest.BodyPublishers.ofString("{\"reference\":\"" + reference
            + "\",\"line\":\"studio\",\"kind\":\"booking\",\"date\":\"2026-12-01\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(made.statusCode()).isEqualTo(201);
    return node.one(String.class, "SELECT link_code FROM customer_records WHERE reference = ?", reference);
  }

  private static Long linkedTo(String reference) throws Exception {
    return node.one(Long.class, "SELECT customer_id FROM customer_records WHERE reference = ?", reference);
  }

  private static long customer(String openid) throws Exception {
    return node.one(Long.class, "SELECT id FROM customers WHERE openid = ?", openid);
  }

  @Test
  void aScanOfTheRecordsCodeLinksTheFollower() throws Exception {
    String code = record("QR-1");

    assertThat(node.post(node.wechat().event("o-scan-1", "SCAN", code)).statusCode()).isEqualTo(200);

    assertThat(linkedTo("QR-1")).isEqualTo(customer("o-scan-1"));
  }

  @Test
  void followingThroughTheCodeLinksTheNewFollower() throws Exception {
    String code = record("QR-2");

    assertThat(node.post(node.wechat().event("o-follow-2", "subscribe", "qrscene_" + code)).statusCode()).isEqualTo(200);

    assertThat(linkedTo("QR-2")).isEqualTo(customer("o-follow-2"));
  }

  @Test
  void aRecordLinkedToOneFollowerStaysSoWhenAnotherScans() throws Exception {
    String code = record("QR-3");
    node.post(node.wechat().event("o-first-3", "SCAN", code));

    node.post(node.wechat().event("o-other-3", "SCAN", code));
    node.post(node.wechat().event("o-other-3", "SCAN", "not-a-record-code"));

    assertThat(linkedTo("QR-3")).isEqualTo(customer("o-first-3"));
  }
}
