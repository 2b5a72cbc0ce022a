package kefu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as an operator meets it: a real process, its exit code and what it prints. */
class CommandLineTest {
  private static final Pattern SERVING = Pattern.compile("kefu serving on http://127\\.0\\.0\\.1:(\\d+)");

  @Test
  void badConfigurationPrintsOneLineAndExitsNonZero(@TempDir Path dir) throws Exception {
    Process process = kefu(dir, Map.of("KEFU_HTTP_PORT", "70000"), "serve");

    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stderr.lines().toList())
        .containsExactly("kefu: configuration error: KEFU_HTTP_PORT: http.port: \"70000\" is out of range 0–65535");
  }

  @Test
  void sigtermStopsGracefullyWithExitZero(@TempDir Path dir) throws Exception {
    Process process = kefu(dir, Map.of("KEFU_HTTP_PORT", "0", "KEFU_HTTP_HOST", "127.0.0.1",
        "KEFU_TEMPLATES_DIR", Path.of("templates").toAbsolutePath().toString()));
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    int port = CompletableFuture.supplyAsync(() -> awaitPort(out)).get(90, TimeUnit.SECONDS);

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
  void helpListsTheCommands(@TempDir Path dir) throws Exception {
    Process process = kefu(dir, Map.of(), "--help");
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    assertThat(stdout).contains("serve");
  }

  private static int awaitPort(BufferedReader out) {
    try {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher m = SERVING.matcher(line);
        if (m.find()) {
          return Integer.parseInt(m.group(1));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("kefu ended without serving");
  }

  /** Starts {@code java kefu.App args} in {@code dir} with only the given KEFU_ variables. */
  private static Process kefu(Path dir, Map<String, String> env, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", classpath, "kefu.App"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("KEFU_"));
    builder.environment().put("KEFU_DATA_DIR", dir.resolve("data").toString());
    builder.environment().putAll(env);
    builder.redirectErrorStream(false);
    return builder.start();
  }
}
