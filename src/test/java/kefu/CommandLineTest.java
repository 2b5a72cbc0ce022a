package kefu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kefu.desk.Passwords;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator meets it: a real process, its exit code and what it prints. */
class CommandLineTest {
  private static final Pattern ENCODING = Pattern.compile("Sentence vectors of the knowledge base: (\\d+)/");
  private static final Pattern MIGRATED = Pattern.compile("Database schema at version (\\S+)");
  private static final Pattern SETUP_LINK = Pattern.compile("No desk user yet: create the first admin at (http://\\S+)");
  private static final String PASSWORD = "correct-horse-battery";

  @Test
  void badConfigurationPrintsOneLineAndExitsNonZero(@TempDir Path dir) throws Exception {
    Process process = NodeProcess.start(dir, Map.of("KEFU_HTTP_PORT", "70000"), "serve");

    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stderr.lines().toList())
        .containsExactly("kefu: configuration error: KEFU_HTTP_PORT: http.port: \"70000\" is out of range 0–65535");
  }

  @RepeatedTest(5)
  void sigtermAtARandomMomentOfAStartWithAnEmptyVectorCacheStopsCleanly(RepetitionInfo repetition, @TempDir Path dir)
      throws Exception {
    // Proves: a stop at any moment of a fresh node's start — the stores opening, the model loading, the knowledge
    // base's sentences being encoded into an empty vector cache — exits 0 with "kefu stopped" and leaves no JVM crash
    // file (closing the model under a running encoding crashed the JVM in ONNX Runtime). Each repetition counts from
    // a point of the start drawn at random (the schema migrated, or the first, second or third progress line of the
    // encoding), then waits a random part of a second; the seed is printed, and -Dkefu.sigterm.seed=… replays it.
    long seed = Long.getLong("kefu.sigterm.seed", System.nanoTime()) + repetition.getCurrentRepetition();
    Random random = new Random(seed);
    int progressLines = random.nextInt(4);
    int delay = random.nextInt(1000);
    System.out.printf("CommandLineTest: SIGTERM %d ms after %s (seed %d)%n", delay,
        progressLines == 0 ? "the schema is migrated" : "encoding progress line " + progressLines, seed);
    Process process = NodeProcess.start(dir, Map.of("KEFU_HTTP_PORT", "0", "KEFU_HTTP_HOST", "127.0.0.1",
        "KEFU_TEMPLATES_DIR", Path.of("templates").toAbsolutePath().toString(),
        "KEFU_KB_DIR", Path.of("knowledge-base").toAbsolutePath().toString()));
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    // Signals are handled from before the schema is migrated; earlier, the JVM's own handling exits with 143.
    CompletableFuture.supplyAsync(() -> NodeProcess.awaitLine(out, MIGRATED)).get(90, TimeUnit.SECONDS);
    for (int line = 0; line < progressLines; line++) {
      CompletableFuture.supplyAsync(() -> NodeProcess.awaitLine(out, ENCODING)).get(90, TimeUnit.SECONDS);
    }
    Thread.sleep(delay); // the random moment of the stop, not a wait for anything
    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String rest = out.lines().reduce("", (a, b) -> a + b + "\n");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("seed %d: %s", seed, rest).isEqualTo(0);
    assertThat(rest).as("seed %d", seed).contains("kefu stopped");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(Path::getFileName).map(Path::toString)).as("seed %d", seed).noneMatch(name -> name.startsWith("hs_err"));
    }
  }

  @Test
  void sigtermStopsGracefullyWithExitZero(@TempDir Path dir) throws Exception {
    Process process = NodeProcess.start(dir, Map.of("KEFU_HTTP_PORT", "0", "KEFU_HTTP_HOST", "127.0.0.1",
        "KEFU_TEMPLATES_DIR", Path.of("templates").toAbsolutePath().toString()));
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    int port = CompletableFuture.supplyAsync(() -> NodeProcess.awaitPort(out)).get(90, TimeUnit.SECONDS);

    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);

    // As an operator or a container runtime stops it. (Process.destroy would also close our end of its output.)
    Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start();
    assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String rest = out.lines().reduce("", (a, b) -> a + b + "\n");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(0);
    assertThat(rest).contains("kefu stopped");
    assertThat(dir.resolve("data").resolve("kefu.mv.db")).exists();
  }

  @Test
  void aPortAlreadyTakenIsOneLineNamingHostAndPort(@TempDir Path dir) throws Exception {
    // With the shipped logging, as an operator sees it (the tests' own logs kefu's debug lines, the cause included).
    String shippedLogging = "-Dlogback.configurationFile=" + Path.of("src/main/resources/logback.xml").toAbsolutePath();
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Process process = NodeProcess.start(dir, Map.of("KEFU_HTTP_PORT", Integer.toString(taken.getLocalPort()),
          "KEFU_HTTP_HOST", "127.0.0.1", "KEFU_KB_VECTORS", "off", "JAVA_TOOL_OPTIONS", shippedLogging,
          "KEFU_TEMPLATES_DIR", Path.of("templates").toAbsolutePath().toString()), "serve");

      String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(stderr).isEqualTo(1);
      assertThat(stderr.lines().filter(line -> line.contains("cannot start")))
          .containsExactly("kefu: cannot start: 127.0.0.1:" + taken.getLocalPort() + " is already in use (http.host, http.port)");
      assertThat(stderr).doesNotContain("BindException").doesNotContainPattern("(?m)^\\s+at ");
    }
  }

  @Test
  void theEmbeddedDatabasesServerListensOnLoopbackOnly(@TempDir Path dir) throws Exception {
    // Proves H2's AUTO_SERVER, which lets kefu user add reach the database of a running node, is not open to the
    // network: every socket the node listens on is on 127.0.0.1, and the command still reaches it.
    Process process = NodeProcess.start(dir, Map.of("KEFU_HTTP_PORT", "0", "KEFU_HTTP_HOST", "127.0.0.1",
        "KEFU_KB_VECTORS", "off", "KEFU_TEMPLATES_DIR", Path.of("templates").toAbsolutePath().toString()));
    try {
      BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      CompletableFuture.supplyAsync(() -> NodeProcess.awaitPort(err)).get(90, TimeUnit.SECONDS);
      CompletableFuture.runAsync(() -> err.lines().forEach(line -> { })); // keeps the node's log from filling the pipe

      List<String> listening = listening(process.pid());
      assertThat(listening).as("the HTTP server and H2's server").hasSizeGreaterThanOrEqualTo(2)
          .allMatch(address -> address.startsWith("127.0.0.1:") || address.startsWith("[::ffff:127.0.0.1]:"), "on loopback");

      Process added = NodeProcess.start(dir, Map.of(), "user", "add", "--login", "wang", "--name", "Wang", "--role", "agent",
          "--password=" + PASSWORD);
      assertThat(answer(added, "").exit()).isZero();
    } finally {
      process.destroy();
      process.waitFor(60, TimeUnit.SECONDS);
    }
  }

  /** The local addresses the process {@code pid} listens on for TCP, as {@code ss} shows them. */
  private static List<String> listening(long pid) throws Exception {
    Process ss = new ProcessBuilder("ss", "-Hltnp").start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ss.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out.lines().filter(line -> line.contains("pid=" + pid + ",")).map(line -> line.trim().split("\\s+")[3]).toList();
  }

  @Test
  void userAddAsksForThePasswordTwiceAndStoresNothingWhenTheyDiffer(@TempDir Path dir) throws Exception {
    // Proves: without a value for --password the command asks twice (read from standard input, as there is no
    // terminal); the same answer twice adds the user with that password, two different answers store nothing.
    Process added = NodeProcess.start(dir, Map.of(), "user", "add", "--login", "wang", "--name", "Wang", "--role", "admin", "--password");
    Answers answers = answer(added, PASSWORD + "\n" + PASSWORD + "\n");
    assertThat(answers.exit()).isZero();
    assertThat(answers.err()).contains("Password for wang (at least 10 characters): ").contains("The same password again: ");
    assertThat(answers.out()).contains("Added admin wang (Wang)");

    Process refused = NodeProcess.start(dir, Map.of(), "user", "add", "--login", "lina", "--name", "Lina", "--role", "admin");
    answers = answer(refused, PASSWORD + "\n" + "correct-horse-battery-staple\n");
    assertThat(answers.exit()).isEqualTo(2);
    assertThat(answers.err()).contains("kefu: the two passwords differ; nothing was stored");
    assertThat(answers.out()).isEmpty();

    try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("data").resolve("kefu"));
        PreparedStatement select = c.prepareStatement("SELECT login, password_hash FROM agents");
        ResultSet rs = select.executeQuery()) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString("login")).isEqualTo("wang");
      assertThat(new Passwords().matches(rs.getString("password_hash"), PASSWORD)).isTrue();
      assertThat(rs.next()).as("lina is not stored").isFalse();
    }
  }

  @Test
  void aFirstRunLogsTheLinkToMakeTheFirstAdmin(@TempDir Path dir) throws Exception {
    // Proves a newcomer reaches the console from the run command alone: the log names a link that opens the form.
    Process process = NodeProcess.start(dir, Map.of("KEFU_HTTP_PORT", "0", "KEFU_HTTP_HOST", "127.0.0.1",
        "KEFU_TEMPLATES_DIR", Path.of("templates").toAbsolutePath().toString()));
    try {
      BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
      String link = CompletableFuture.supplyAsync(() -> NodeProcess.awaitLine(err, SETUP_LINK)).get(90, TimeUnit.SECONDS);

      HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(link)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("<form method=\"post\" action=\"/desk/setup\"");
    } finally {
      process.destroy();
      process.waitFor(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void helpListsTheCommands(@TempDir Path dir) throws Exception {
    Process process = NodeProcess.start(dir, Map.of(), "--help");
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(stdout).contains("serve");
  }

  /** What a process printed after being given {@code input}, and how it exited. */
  private record Answers(int exit, String out, String err) {}

  private static Answers answer(Process process, String input) throws Exception {
    try (OutputStream in = process.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    String out = readAll(process.getInputStream());
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Answers(process.exitValue(), out, err.get());
  }

  private static String readAll(InputStream stream) {
    try {
      return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
