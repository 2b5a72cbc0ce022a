package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.LogLines;
import kefu.TestConfigs;
import kefu.TestDatabases;
import kefu.TestNode;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first admin made in the browser: a node started on an empty database logs a one-time link whose form makes
 * an admin once and logs them in; a wrong token, a forged post or two passwords that differ make nobody, and a
 * node that starts with users logs no link.
 */
class DeskSetupTest {
  private static final String PASSWORD = DeskClient.PASSWORD;
  private static final Pattern LINK = Pattern.compile("create the first admin at http://127\\.0\\.0\\.1:(\\d+)(/desk/setup\\?token=[A-Za-z0-9_-]{43})$");

  @Test
  void theLoggedLinkMakesTheFirstAdminOnceAndLogsThemIn(@TempDir Path dir) throws Exception {
    try (LogLines log = new LogLines(DeskSetup.class); TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      String link = link(log, node.port());
      DeskClient desk = new DeskClient(node.port());
      assertThat(desk.get("/desk/login", null).body()).contains("No desk user yet");

      HttpResponse<String> page = desk.get(link, null);
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("创建第一位管理员");
      HttpResponse<String> made = desk.post("/desk/setup", formCookie(page), form(page, "lina", "李娜", PASSWORD, PASSWORD));
      assertThat(made.statusCode()).isEqualTo(303);
      assertThat(made.headers().firstValue("Location")).hasValue("/desk");
      String setCookie = made.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(setCookie).startsWith(DeskConsole.COOKIE + "=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict");
      String session = setCookie.substring(0, setCookie.indexOf(';'));
      assertThat(desk.get("/desk", session).body()).contains("李娜(管理员)");
      assertThat(desk.get("/desk/agents", session).statusCode()).isEqualTo(200);

      // Used once, the link opens nothing: neither the page nor a second post of the same form.
      HttpResponse<String> again = desk.get(link, null);
      assertThat(again.statusCode()).isEqualTo(404);
      assertThat(again.body()).contains("设置链接已失效");
      assertThat(desk.post("/desk/setup", formCookie(page), form(page, "zhaolei", "赵磊", PASSWORD, PASSWORD)).statusCode())
          .isEqualTo(404);
      assertThat(node.count("SELECT COUNT(*) FROM agents")).isEqualTo(1);
      assertThat(node.one(String.class, "SELECT role FROM agents WHERE login = 'lina'")).isEqualTo("admin");

      assertThat(desk.logInWith("lina", PASSWORD).statusCode()).isEqualTo(303);
      assertThat(desk.get("/desk/login", null).body()).doesNotContain("No desk user yet");
      assertThat(log.messages()).filteredOn(m -> m.startsWith("No desk user yet")).hasSize(1);
    }
  }

  @Test
  void aWrongTokenAForgedPostOrPasswordsThatDifferMakeNobody(@TempDir Path dir) throws Exception {
    try (LogLines log = new LogLines(DeskSetup.class); TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      String link = link(log, node.port());
      DeskClient desk = new DeskClient(node.port());
      HttpResponse<String> wrong = desk.get("/desk/setup?token=" + "A".repeat(43), null);
      assertThat(wrong.statusCode()).isEqualTo(403);
      assertThat(wrong.body()).contains("这个设置链接无效");
      assertThat(desk.get("/desk/setup", null).statusCode()).isEqualTo(403);

      HttpResponse<String> page = desk.get(link, null);
      String cookie = formCookie(page);
      HttpResponse<String> differ = desk.post("/desk/setup", cookie, form(page, "lina", "李娜", PASSWORD, PASSWORD + "!"));
      assertThat(differ.statusCode()).isEqualTo(400);
      assertThat(differ.body()).contains("两次输入的密码不一致").contains("value=\"lina\"");
      // The rules of kefu user add: a short password, a login with a space.
      assertThat(desk.post("/desk/setup", cookie, form(page, "lina", "李娜", "short", "short")).body()).contains("密码至少 10 位");
      assertThat(desk.post("/desk/setup", cookie, form(page, "li na", "李娜", PASSWORD, PASSWORD)).body()).contains("账号需为");

      // Another site's form: no form cookie, a token that is not the cookie's, or the form's token with a wrong link.
      Map<String, String> valid = form(page, "lina", "李娜", PASSWORD, PASSWORD);
      assertThat(desk.post("/desk/setup", (String) null, valid).statusCode()).isEqualTo(403);
      Map<String, String> otherCsrf = new HashMap<>(valid);
      otherCsrf.put("_csrf", "forged-token");
      assertThat(desk.post("/desk/setup", cookie, otherCsrf).statusCode()).isEqualTo(403);
      Map<String, String> otherLink = new HashMap<>(valid);
      otherLink.put("token", "A".repeat(43));
      assertThat(desk.post("/desk/setup", cookie, otherLink).statusCode()).isEqualTo(403);

      assertThat(node.count("SELECT COUNT(*) FROM agents")).isZero();
      assertThat(desk.get(link, null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void ofTwoNodesOnOneDatabaseOnlyOneMakesTheFirstAdminAndALaterNodeLogsNoLink(@TempDir Path dir) throws Exception {
    // Proves the guard is in the database: each node has a link of its own, both are posted at once, one admin is made.
    KefuConfig.Db db = TestDatabases.h2(dir);
    try (LogLines log = new LogLines(DeskSetup.class);
        TestNode a = TestNode.start(TestConfigs.with(dir.resolve("a"), db, Optional.empty()));
        TestNode b = TestNode.start(TestConfigs.with(dir.resolve("b"), db, Optional.empty()))) {
      DeskClient deskA = new DeskClient(a.port());
      DeskClient deskB = new DeskClient(b.port());
      HttpResponse<String> pageA = deskA.get(link(log, a.port()), null);
      HttpResponse<String> pageB = deskB.get(link(log, b.port()), null);
      CompletableFuture<Integer> postA = CompletableFuture.supplyAsync(() -> post(deskA, pageA, "first-a"));
      CompletableFuture<Integer> postB = CompletableFuture.supplyAsync(() -> post(deskB, pageB, "first-b"));

      assertThat(List.of(postA.get(), postB.get())).containsExactlyInAnyOrder(303, 404);
      assertThat(a.count("SELECT COUNT(*) FROM agents")).isEqualTo(1);
      String loser = postA.get() == 303 ? link(log, b.port()) : link(log, a.port());
      assertThat((postA.get() == 303 ? deskB : deskA).get(loser, null).statusCode()).isEqualTo(404);

      try (TestNode c = TestNode.start(TestConfigs.with(dir.resolve("c"), db, Optional.empty()))) {
        assertThat(log.messages()).filteredOn(m -> m.contains(":" + c.port() + "/")).isEmpty();
        assertThat(new DeskClient(c.port()).get("/desk/setup?token=" + "A".repeat(43), null).statusCode()).isEqualTo(404);
      }
    }
  }

  /** The path and query of the link the node on {@code port} logged. */
  static String link(LogLines log, int port) {
    return log.messages().stream().map(LINK::matcher).filter(Matcher::find)
        .filter(m -> Integer.parseInt(m.group(1)) == port).map(m -> m.group(2)).findFirst()
        .orElseThrow(() -> new AssertionError("no setup link for port " + port + " in " + log.messages()));
  }

  /** The setup form's cookie, as the browser keeps it from the page. */
  private static String formCookie(HttpResponse<String> page) {
    String setCookie = page.headers().firstValue("Set-Cookie").orElseThrow();
    assertThat(setCookie).contains("Path=/desk/setup").contains("SameSite=Strict");
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  /** The setup form as the page fills it in: its CSRF token and link token, and what the admin typed. */
  private static Map<String, String> form(HttpResponse<String> page, String login, String name, String password, String again) {
    Matcher token = Pattern.compile("name=\"token\" value=\"([^\"]+)\"").matcher(page.body());
    assertThat(token.find()).as("the form carries the link's token").isTrue();
    return Map.of("_csrf", DeskClient.csrf(page.body()), "token", token.group(1), "login", login, "name", name,
        "password", password, "password-again", again);
  }

  private static int post(DeskClient desk, HttpResponse<String> page, String login) {
    try {
      return desk.post("/desk/setup", formCookie(page), form(page, login, login, PASSWORD, PASSWORD)).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
