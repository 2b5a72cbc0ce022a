package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import kefu.App;
import kefu.TestClock;
import kefu.TestConfigs;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logging in to the desk console over HTTP: the first users made with {@code kefu user add}, sessions that end on
 * logout or when idle, the CSRF token every form post needs, and login attempts limited.
 */
class DeskConsoleTest {
  private static final String PASSWORD = DeskClient.PASSWORD;

  @TempDir static Path dir;
  static KefuConfig config;
  static final TestClock clock = TestClock.wall();
  static App app;
  static Path configFile;
  static DeskClient desk;

  @BeforeAll
  static void start() throws Exception {
    config = TestConfigs.embedded(dir);
    app = App.start(config, clock);
    desk = new DeskClient(app.port());
    configFile = DeskClient.configFile(dir, config.db().url());
    assertThat(kefu(new StringWriter(), "user", "add", "--login", "wangfang", "--name", "王芳", "--role", "agent",
        "--password=" + PASSWORD, "--config", configFile.toString())).isEqualTo(0);
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  @Test
  void anAgentLogsInSeesTheQueueAndLogsOut() throws Exception {
    // Proves: the right password opens a session (an HttpOnly, SameSite=Strict cookie) whose page greets the agent;
    // logging out ends it, so the same cookie no longer opens the console.
    HttpResponse<String> login = login("wangfang", PASSWORD);
    assertThat(login.statusCode()).isEqualTo(303);
    assertThat(login.headers().firstValue("Location")).hasValue("/desk");
    String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Strict").contains("Path=/desk").doesNotContain("Max-Age");
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));

    HttpResponse<String> queue = get("/desk", cookie);
    assertThat(queue.statusCode()).isEqualTo(200);
    assertThat(queue.body()).contains("王芳(客服)").contains("等待接入");

    assertThat(post("/desk/logout", cookie, Map.of("_csrf", csrf(queue.body()))).statusCode()).isEqualTo(303);
    assertThat(get("/desk", cookie).headers().firstValue("Location")).hasValue("/desk/login");
  }

  @Test
  void aWrongPasswordAndAnUnknownLoginGetTheSameAnswer() throws Exception {
    // Proves: neither opens a session, and the page does not tell which of the two was wrong.
    HttpResponse<String> wrongPassword = login("wangfang", "not-the-password");
    HttpResponse<String> unknown = login("nobody-here", PASSWORD);

    assertThat(wrongPassword.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(wrongPassword.body()).contains("账号或密码不正确");
    assertThat(unknown.body()).contains("账号或密码不正确");
    assertThat(wrongPassword.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void loginAttemptsAreLimitedPerLogin() throws Exception {
    // Proves: after desk.login-attempts (5) tries for one login from one address, even the right password is refused
    // there with 429 (LoginLockoutTest: elsewhere it is not).
    addUser("limited", "agent");
    for (int i = 0; i < 5; i++) {
      assertThat(login("limited", "guess-number-" + i).statusCode()).isEqualTo(401);
    }
    HttpResponse<String> refused = login("limited", PASSWORD);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("登录尝试次数过多");
  }

  @Test
  void aFormPostWithoutTheSessionsCsrfTokenIsRefused() throws Exception {
    // Proves: a forged logout (no token, or another's) gets 403 and the session goes on.
    String cookie = sessionOf("wangfang");
    assertThat(post("/desk/logout", cookie, Map.of()).statusCode()).isEqualTo(403);
    assertThat(post("/desk/logout", cookie, Map.of("_csrf", "forged-token")).statusCode()).isEqualTo(403);
    assertThat(get("/desk", cookie).statusCode()).isEqualTo(200);
  }

  @Test
  void aLoginPostWithoutTheLoginFormsTokenIsRefused() throws Exception {
    // Proves login CSRF is closed: a post from another site's form (no token, or a token without its cookie) gets 403
    // and opens no session, even with the right password.
    HttpResponse<String> forged = post("/desk/login", null, Map.of("login", "wangfang", "password", PASSWORD));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(post("/desk/login", "kefu_login=one", Map.of("login", "wangfang", "password", PASSWORD, "_csrf", "another"))
        .statusCode()).isEqualTo(403);
  }

  @Test
  void withoutASessionPagesGoToTheLoginAndPostsAreRefused() throws Exception {
    assertThat(get("/desk", null).headers().firstValue("Location")).hasValue("/desk/login");
    assertThat(get("/desk", "kefu_desk=made-up").headers().firstValue("Location")).hasValue("/desk/login");
    assertThat(post("/desk/logout", null, Map.of("_csrf", "x")).statusCode()).isEqualTo(403);
    assertThat(get("/desk/login", null).body()).contains("<form method=\"post\" action=\"/desk/login\"");
  }

  @Test
  void aSessionIdleLongerThanTheTimeoutEnds() throws Exception {
    // Proves: desk.session-idle-timeout (30 min) ends a session nobody used, and its row is gone.
    addUser("idle-agent", "agent");
    String cookie = sessionOf("idle-agent");
    clock.advance(Duration.ofMinutes(31));
    assertThat(get("/desk", cookie).headers().firstValue("Location")).hasValue("/desk/login");
  }

  @Test
  void userAddRefusesATakenLoginABadRoleAndAShortPassword() {
    StringWriter err = new StringWriter();
    assertThat(kefu(err, "user", "add", "--login", "wangfang", "--name", "另一个王芳", "--role", "agent",
        "--password=" + PASSWORD, "--config", configFile.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("the login \"wangfang\" is taken");
    assertThat(kefu(err, "user", "add", "--login", "someone", "--name", "某人", "--role", "boss",
        "--password=" + PASSWORD, "--config", configFile.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--role: \"boss\" is not agent, supervisor, admin or marketing");
    assertThat(kefu(err, "user", "add", "--login", "someone", "--name", "某人", "--role", "admin",
        "--password=short", "--config", configFile.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("at least 10 characters");
  }

  @Test
  void anAdminAddsAndStopsAgentsInTheConsoleAndNobodyElseCan() throws Exception {
    // Proves the admin's page: a new supervisor added there can log in; a taken login or a short password is refused
    // with the reason; stopping a user ends their session; to an agent the page and its posts do not exist.
    addUser("admin-li", "admin");
    DeskClient.Session admin = desk.logIn("admin-li");
    assertThat(desk.get("/desk/agents", admin.cookie()).body()).contains("客服管理").contains("wangfang");

    assertThat(desk.post("/desk/agents", admin, Map.of("login", "zhaolei", "name", "赵磊", "role", "supervisor",
        "password", PASSWORD)).statusCode()).isEqualTo(303);
    DeskClient.Session zhao = desk.logIn("zhaolei");
    assertThat(get("/desk", zhao.cookie()).body()).contains("赵磊(主管)");

    HttpResponse<String> taken = desk.post("/desk/agents", admin, Map.of("login", "zhaolei", "name", "另一个赵磊", "role", "agent",
        "password", PASSWORD));
    assertThat(taken.statusCode()).isEqualTo(409);
    assertThat(taken.body()).contains("这个账号已被使用");
    assertThat(desk.post("/desk/agents", admin, Map.of("login", "short-pw", "name", "某人", "role", "agent", "password", "short"))
        .statusCode()).isEqualTo(400);

    long zhaoId;
    try (Connection c = DriverManager.getConnection(config.db().url());
        PreparedStatement select = c.prepareStatement("SELECT id FROM agents WHERE login = 'zhaolei'");
        ResultSet rs = select.executeQuery()) {
      rs.next();
      zhaoId = rs.getLong(1);
    }
    assertThat(desk.post("/desk/agents/" + zhaoId + "/active", admin, Map.of("active", "false")).statusCode()).isEqualTo(303);
    assertThat(get("/desk", zhao.cookie()).headers().firstValue("Location")).hasValue("/desk/login");

    DeskClient.Session wang = desk.logIn("wangfang");
    assertThat(get("/desk/agents", wang.cookie()).statusCode()).isEqualTo(404);
    assertThat(desk.post("/desk/agents", wang, Map.of("login", "sneaky", "name", "某人", "role", "admin", "password", PASSWORD))
        .statusCode()).isEqualTo(404);
  }

  // ---- Helpers

  private static void addUser(String login, String role) {
    DeskClient.addUser(configFile, login, login, role);
  }

  private static int kefu(StringWriter err, String... args) {
    return DeskClient.kefu(err, args);
  }

  private String sessionOf(String login) throws Exception {
    return desk.logIn(login).cookie();
  }

  private HttpResponse<String> login(String login, String password) throws Exception {
    return desk.logInWith(login, password);
  }

  private static String csrf(String page) {
    return DeskClient.csrf(page);
  }

  private HttpResponse<String> get(String path, String cookie) throws Exception {
    return desk.get(path, cookie);
  }

  private HttpResponse<String> post(String path, String cookie, Map<String, String> form) throws Exception {
    return desk.post(path, cookie, form);
  }
}
