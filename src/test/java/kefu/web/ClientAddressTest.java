package kefu.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import kefu.config.TrustedProxies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where a request comes from, over a real connection from 127.0.0.1: X-Forwarded-For counts only from a trusted
 * proxy, and then only its right-most address that is not a trusted proxy, whatever the client wrote further left.
 */
class ClientAddressTest {
  private static final HttpClient http = HttpClient.newHttpClient();
  private static Vertx vertx;
  private static int untrusting;
  private static int behindLoopback;
  private static int behindTwoProxies;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    untrusting = serve(TrustedProxies.none());
    behindLoopback = serve(TrustedProxies.parse("127.0.0.1"));
    behindTwoProxies = serve(TrustedProxies.parse("127.0.0.0/8, 10.0.0.0/8"));
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  void withoutTrustedProxiesTheForwardedHeaderIsIgnored() throws Exception {
    assertThat(address(untrusting, "203.0.113.5")).isEqualTo("127.0.0.1");
    assertThat(address(untrusting, null)).isEqualTo("127.0.0.1");
  }

  @Test
  void behindATrustedProxyItsForwardedAddressCounts() throws Exception {
    assertThat(address(behindLoopback, "203.0.113.5")).isEqualTo("203.0.113.5");
    assertThat(address(behindLoopback, null)).isEqualTo("127.0.0.1");
    assertThat(address(behindLoopback, "2001:db8::7")).isEqualTo("2001:db8:0:0:0:0:0:7");
  }

  @Test
  void whatTheClientWroteItselfDoesNotCount() throws Exception {
    // The client sent "X-Forwarded-For: 198.51.100.1"; the proxy appended the address it saw.
    assertThat(address(behindLoopback, "198.51.100.1, 203.0.113.5")).isEqualTo("203.0.113.5");
    // A second proxy (10.1.2.3) between: the address the outer one saw still counts, not the client's claim.
    assertThat(address(behindTwoProxies, "198.51.100.1, 203.0.113.5, 10.1.2.3")).isEqualTo("203.0.113.5");
    // An untrusted proxy in the chain is where belief stops.
    assertThat(address(behindLoopback, "203.0.113.5, 10.1.2.3")).isEqualTo("10.1.2.3");
  }

  @Test
  void somethingThatIsNoAddressIsNotBelieved() throws Exception {
    assertThat(address(behindLoopback, "unknown")).isEqualTo("127.0.0.1");
    assertThat(address(behindLoopback, "203.0.113.5, evil.example.com")).isEqualTo("127.0.0.1");
    assertThat(address(behindLoopback, "999.1.1.1")).isEqualTo("127.0.0.1");
  }

  private static int serve(TrustedProxies proxies) {
    ClientAddress clientAddress = new ClientAddress(proxies);
    HttpServer server = vertx.createHttpServer()
        .requestHandler(request -> request.response().end(clientAddress.of(request)))
        .listen(0, "127.0.0.1").await();
    return server.actualPort();
  }

  private static String address(int port, String forwardedFor) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"));
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
  }
}
