package kefu;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Where the tests find the external services they need: Redis and PostgreSQL.
 *
 * <p>{@code KEFU_TEST_REDIS} (a redis:// URL) and {@code KEFU_TEST_PG} (a jdbc:postgresql:// URL) turn the
 * tests on. In CI ({@code CI=true}) a missing variable fails the test, so a run cannot pass by skipping;
 * elsewhere the test is skipped with a message saying how to turn it on. Browser tests use Debian's chromium and
 * chromedriver, at {@code KEFU_TEST_CHROMIUM} and {@code KEFU_TEST_CHROMEDRIVER} or their usual paths.
 */
public final class TestServices {
  private TestServices() {}

  /** The Redis URL to test against. */
  public static String redisUrl() {
    return required("KEFU_TEST_REDIS", "redis://127.0.0.1:6379");
  }

  /** The PostgreSQL JDBC URL to test against. */
  public static String postgresUrl() {
    return required("KEFU_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
  }

  /** Debian's chromium and its chromedriver, for browser tests. */
  public record Chromium(Path browser, Path driver) {

    /** A headless browser with its profile in {@code dir}, at a desktop window size. */
    public WebDriver start(Path dir) {
      return start(dir, 1100, 900);
    }

    /** A headless browser with its profile in {@code dir}, its window {@code width} × {@code height} pixels. */
    public WebDriver start(Path dir, int width, int height) {
      ChromeOptions options = new ChromeOptions()
          .setBinary(browser.toFile())
          .addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
              "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--window-size=" + width + "," + height, "--user-data-dir=" + dir.resolve("chromium"));
      return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile()).build(), options);
    }
  }

  /** Debian's redis-server, for tests that start and stop a Redis of their own. */
  public static Path redisServer() {
    Path server = Path.of(Objects.requireNonNullElse(System.getenv("KEFU_TEST_REDIS_SERVER"), "/usr/bin/redis-server"));
    if (!Files.isExecutable(server)) {
      String why = "no redis-server at " + server + " (apt-get install redis-server)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI needs redis-server: " + why);
      }
      abort("skipped: " + why);
    }
    return server;
  }

  public static Chromium chromium() {
    Path browser = Path.of(Objects.requireNonNullElse(System.getenv("KEFU_TEST_CHROMIUM"), "/usr/bin/chromium"));
    Path driver = Path.of(Objects.requireNonNullElse(System.getenv("KEFU_TEST_CHROMEDRIVER"), "/usr/bin/chromedriver"));
    if (Files.isExecutable(browser) && Files.isExecutable(driver)) {
      return new Chromium(browser, driver);
    }
    String why = "no chromium at " + browser + " with chromedriver at " + driver + " (apt-get install chromium chromium-driver)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI needs a browser: " + why);
    }
    abort("skipped: " + why);
    throw new AssertionError("unreachable");
  }

  private static String required(String variable, String example) {
    String value = System.getenv(variable);
    if (value != null && !value.isBlank()) {
      return value;
    }
    String why = variable + " is not set (for example " + variable + "=" + example + ")";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI needs this service: " + why);
    }
    abort("skipped: " + why);
    throw new AssertionError("unreachable");
  }
}
