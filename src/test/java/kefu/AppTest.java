package kefu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesHealthAndMetricsThenStopsLeavingNoThreadBehind(@TempDir Path dir) throws Exception {
    Set<Thread> before = nonDaemonThreads();
    App app = App.start(TestConfigs.embedded(dir));
    try {
      HttpResponse<String> health = get(app, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      JsonObject report = new JsonObject(health.body());
      // DEGRADED until the knowledge base's first index is built, which this test does not wait for.
      assertThat(report.getString("status")).isNotEqualTo("DOWN");
      assertThat(report.getJsonObject("checks").getJsonObject("database").getString("status")).isEqualTo("UP");
      assertThat(report.getJsonObject("checks").getJsonObject("coordination").getString("kind")).isEqualTo("in-process");

      HttpResponse<String> metrics = get(app, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body())
          .contains("vertx_http_server_requests_total{code=\"200\",method=\"GET\"}")
          .contains("jvm_memory_used_bytes")
          .contains("hikaricp_connections_active");
    } finally {
      app.stop();
    }
    await().pollInSameThread().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(names(nonDaemonThreads(), before)).isEmpty());
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413(@TempDir Path dir) throws Exception {
    App app = App.start(TestConfigs.embedded(dir));
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(uri(app, "/health")).POST(HttpRequest.BodyPublishers.ofString("x".repeat(64 * 1024))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(get(app, "/health").statusCode()).isEqualTo(200);

      HttpResponse<String> unknown = get(app, "/no-such-page");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(new JsonObject(unknown.body()).getString("error")).isEqualTo("not found");
    } finally {
      app.stop();
    }
  }

  @Test
  void responsesSayNosniffAndNoReferrerAndTheConsoleItsPolicy(@TempDir Path dir) throws Exception {
    // Proves: every response, errors too, forbids type sniffing and referrers; every console response, its login
    // page, redirects, assets and errors, carries the Content-Security-Policy and refuses framing.
    App app = App.start(TestConfigs.embedded(dir));
    try {
      for (String path : List.of("/health", "/no-such-page", "/desk/login", "/desk", "/desk/assets/desk.js", "/desk/no-such-page")) {
        HttpResponse<String> response = get(app, path);
        assertThat(response.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
        assertThat(response.headers().firstValue("Referrer-Policy")).as(path).hasValue("no-referrer");
        if (path.startsWith("/desk")) {
          assertThat(response.headers().firstValue("Content-Security-Policy")).as(path)
              .hasValueSatisfying(policy -> assertThat(policy).contains("script-src 'self'").contains("style-src 'self'")
                  .contains("frame-ancestors 'none'").doesNotContain("unsafe-inline"));
          assertThat(response.headers().firstValue("X-Frame-Options")).as(path).hasValue("DENY");
        }
      }
    } finally {
      app.stop();
    }
  }

  @Test
  void searchesTheKnowledgeBase(@TempDir Path dir) throws Exception {
    copyTree(Path.of("knowledge-base"), dir.resolve("knowledge-base"));
    App app = App.start(TestConfigs.embedded(dir));
    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> new JsonObject(get(app, "/health").body())
          .getJsonObject("checks").getJsonObject("knowledge-base").getString("status").equals("UP"));

      String search = "/api/kb/search?q=" + URLEncoder.encode("婚纱照要怎么约", StandardCharsets.UTF_8);
      HttpResponse<String> response = search(app, search, TestConfigs.API_KEY);
      assertThat(response.statusCode()).isEqualTo(200);
      JsonObject result = new JsonObject(response.body());
      assertThat(result.getString("outcome")).isIn("answer", "suggest", "fallback");
      JsonObject best = result.getJsonArray("candidates").getJsonObject(0);
      assertThat(best.getString("entryId")).isEqualTo("studio-booking-how");
      assertThat(best.getString("question")).isEqualTo("怎么预约拍摄婚纱照？");
      assertThat(best.getJsonObject("features").fieldNames()).contains("word_cover_query", "char_dice");

      assertThat(search(app, "/api/kb/search", TestConfigs.API_KEY).statusCode()).isEqualTo(400);
      assertThat(search(app, "/api/kb/search?q=" + "问".repeat(501), TestConfigs.API_KEY).statusCode()).isEqualTo(400);

      // Without the key, or with another, nothing of the knowledge base is told; nor without a session at the desk.
      HttpResponse<String> anonymous = get(app, search);
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(anonymous.body()).doesNotContain("studio-booking-how");
      assertThat(search(app, search, TestConfigs.API_KEY + "x").statusCode()).isEqualTo(401);
      assertThat(search(app, search, "").statusCode()).isEqualTo(401);
      HttpResponse<String> noSession = get(app, search.replace("/api/", "/desk/"));
      assertThat(noSession.statusCode()).isEqualTo(303);
      assertThat(noSession.body()).doesNotContain("studio-booking-how");
    } finally {
      app.stop();
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
  }

  @Test
  void healthIsDegradedNot503WhileRedisIsDown(@TempDir Path dir) throws Exception {
    // Nothing listens on port 1: the node starts and says so on /health rather than refusing to run, and the
    // load balancer keeps it, since every node shares the same Redis.
    KefuConfig config = TestConfigs.with(dir, TestDatabases.h2(dir), Optional.of(TestConfigs.redis("redis://127.0.0.1:1")));
    App app = App.start(config);
    try {
      HttpResponse<String> health = get(app, "/health");
      assertThat(health.statusCode()).isEqualTo(200);
      JsonObject report = new JsonObject(health.body());
      assertThat(report.getString("status")).isEqualTo("DEGRADED");
      JsonObject checks = report.getJsonObject("checks");
      assertThat(checks.getJsonObject("coordination").getString("status")).isEqualTo("DOWN");
      assertThat(checks.getJsonObject("coordination").getBoolean("required")).isFalse();
      assertThat(checks.getJsonObject("database").getString("status")).isEqualTo("UP");
    } finally {
      app.stop();
    }
  }

  @Test
  void runsOnPostgresAndRedis(@TempDir Path dir) throws Exception {
    String redisUrl = TestServices.redisUrl();
    KefuConfig.Db db = TestDatabases.postgres();
    try {
      App app = App.start(TestConfigs.with(dir, db, Optional.of(TestConfigs.redis(redisUrl))));
      try {
        HttpResponse<String> health = get(app, "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonObject checks = new JsonObject(health.body()).getJsonObject("checks");
        assertThat(checks.getJsonObject("database").getString("kind")).isEqualTo("postgresql");
        assertThat(checks.getJsonObject("coordination").getString("kind")).isEqualTo("redis");
        assertThat(checks.getJsonObject("coordination").getString("status")).isEqualTo("UP");
      } finally {
        app.stop();
      }
    } finally {
      TestDatabases.dropPostgres(db);
    }
  }

  /** A request as a program makes it, with {@code Authorization: Bearer key}. */
  private HttpResponse<String> search(App app, String path, String key) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(app, path)).header("Authorization", "Bearer " + key).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(App app, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(app, path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(App app, String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }

  private static Set<Thread> nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !t.isDaemon() && t.isAlive())
        .collect(Collectors.toSet());
  }

  private static Set<String> names(Set<Thread> now, Set<Thread> before) {
    return now.stream().filter(t -> !before.contains(t)).map(Thread::getName).collect(Collectors.toSet());
  }
}
