package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import kefu.App;
import kefu.TestConfigs;
import kefu.config.KefuConfig;
import kefu.config.TrustedProxies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failed logins behind a reverse proxy (127.0.0.1, trusted by http.trusted-proxies), each client named by the
 * address the proxy forwards: failures lock one login at one address, or an address guessing at many logins; never
 * a login everywhere, nor the office behind one address.
 */
class LoginLockoutTest {
  private static final String PASSWORD = DeskClient.PASSWORD;
  private static final int ATTEMPTS = 5;

  @TempDir static Path dir;
  static App app;
  static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeAll
  static void start() throws Exception {
    KefuConfig base = TestConfigs.embedded(dir);
    KefuConfig.Http proxied = new KefuConfig.Http(base.http().host(), base.http().port(), base.http().bodyLimitBytes(),
        base.http().shutdownTimeout(), TrustedProxies.parse("127.0.0.1"), base.http().apiKey());
    app = App.start(base.withHttp(proxied));
    Path configFile = DeskClient.configFile(dir, base.db().url());
    for (String login : new String[] {"admin", "wangfang", "lina", "zhaolei"}) {
      DeskClient.addUser(configFile, login, login, login.equals("admin") ? "admin" : "agent");
    }
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  @Test
  void someoneGuessingAtTheAdminDoesNotLockTheAdminOut() throws Exception {
    // Proves: after desk.login-attempts wrong passwords from one address, the right one is refused there (429) and
    // still opens the console from the admin's own address.
    for (int i = 0; i < ATTEMPTS; i++) {
      assertThat(login("203.0.113.66", "admin", "guess-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> refused = login("203.0.113.66", "admin", PASSWORD);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("登录尝试次数过多");

    assertThat(login("198.51.100.10", "admin", PASSWORD).statusCode()).isEqualTo(303);
  }

  @Test
  void onePersonMistypingDoesNotLockOutTheOffice() throws Exception {
    // Proves: twenty failures on one login from the office's address (one NAT) lock that login there only: a
    // colleague at the same address, and one the proxy names apart, log in.
    for (int i = 0; i < 4 * ATTEMPTS; i++) {
      login("192.0.2.10", "wangfang", "typo-" + i);
    }
    assertThat(login("192.0.2.10", "wangfang", PASSWORD).statusCode()).isEqualTo(429);
    assertThat(login("192.0.2.10", "lina", PASSWORD).statusCode()).isEqualTo(303);
    assertThat(login("192.0.2.11", "wangfang", PASSWORD).statusCode()).isEqualTo(303);
  }

  @Test
  void anAddressGuessingAtManyLoginsIsRefused() throws Exception {
    // Proves: an address failing with four times desk.login-attempts different logins (one try each) is refused
    // for every login, the right password too; other addresses are not.
    for (int i = 0; i < 4 * ATTEMPTS; i++) {
      assertThat(login("203.0.113.99", "user" + i, "password-" + i).statusCode()).isEqualTo(401);
    }
    assertThat(login("203.0.113.99", "zhaolei", PASSWORD).statusCode()).isEqualTo(429);
    assertThat(login("203.0.113.98", "zhaolei", PASSWORD).statusCode()).isEqualTo(303);
  }

  @Test
  void aClientCannotNameItselfAnotherAddress() throws Exception {
    // Proves: what a client writes in X-Forwarded-For itself stands left of what the proxy appends and is not
    // believed: changing it on every try does not escape the limit.
    for (int i = 0; i < ATTEMPTS; i++) {
      login("198.51.100." + (100 + i) + ", 203.0.113.77", "lina", "guess-" + i);
    }
    assertThat(login("198.51.100.200, 203.0.113.77", "lina", PASSWORD).statusCode()).isEqualTo(429);
  }

  /** A login through the proxy, which forwards {@code forwardedFor} as the client's address. */
  private static HttpResponse<String> login(String forwardedFor, String login, String password) throws Exception {
    HttpResponse<String> page = send(HttpRequest.newBuilder(uri("/desk/login")).header("X-Forwarded-For", forwardedFor));
    String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
    String body = Map.of("login", login, "password", password, "_csrf", DeskClient.csrf(page.body())).entrySet().stream()
        .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(uri("/desk/login"))
        .header("X-Forwarded-For", forwardedFor)
        .header("Cookie", setCookie.substring(0, setCookie.indexOf(';')))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }
}
