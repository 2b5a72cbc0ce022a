package kefu.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.time.LocalTime;
import java.time.LocalDate;
import java.time.DayOfWeek;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
  @TempDir Path dir;

  private static final Map<String, String> NO_FILE = Map.of("KEFU_CONFIG", "none");

  @Test
  void defaultsGiveAnEmbeddedSingleNode() {
    KefuConfig config = ConfigLoader.load(Optional.empty(), NO_FILE);

    assertThat(config.mode()).isEqualTo(KefuConfig.Mode.DEVELOPMENT);
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().bodyLimitBytes()).isEqualTo(1 << 20);
    assertThat(config.http().shutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.db().embedded()).isTrue();
    assertThat(config.db().url()).isEqualTo("jdbc:h2:file:" + Path.of("data").toAbsolutePath().resolve("kefu") + ";AUTO_SERVER=TRUE");
    assertThat(config.redis()).isEmpty();
    assertThat(config.paths().kbDir()).isEqualTo(Path.of("knowledge-base").toAbsolutePath());
    assertThat(config.nodeId()).isNotBlank();
  }

  @Test
  void environmentWinsOverTheFile() throws IOException {
    Path file = write("http:\n  port: 9000\n  body-limit: 64KB\ndata:\n  dir: " + dir.resolve("d") + "\n");

    KefuConfig config = ConfigLoader.load(Optional.of(file), Map.of("KEFU_HTTP_PORT", "9100"));

    assertThat(config.http().port()).isEqualTo(9100);
    assertThat(config.http().bodyLimitBytes()).isEqualTo(64 * 1024);
    assertThat(config.db().url()).isEqualTo("jdbc:h2:file:" + dir.resolve("d").resolve("kefu") + ";AUTO_SERVER=TRUE");
  }

  @Test
  void kefuConfigVariableNamesTheFile() throws IOException {
    Path file = write("http.port: 1\n".replace("http.port", "http:\n  port"));

    KefuConfig config = ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", file.toString()));

    assertThat(config.http().port()).isEqualTo(1);
  }

  @Test
  void allSettingsFromTheEnvironment() {
    KefuConfig config = ConfigLoader.load(Optional.empty(), Map.ofEntries(
        Map.entry("KEFU_CONFIG", "none"),
        Map.entry("KEFU_MODE", "production"),
        Map.entry("KEFU_NODE_ID", "node-a"),
        Map.entry("KEFU_HTTP_SHUTDOWN_TIMEOUT", "500ms"),
        Map.entry("KEFU_DB_URL", "jdbc:postgresql://db:5432/kefu"),
        Map.entry("KEFU_DB_USER", "kefu"),
        Map.entry("KEFU_DB_PASSWORD", "s3cret"),
        Map.entry("KEFU_DB_POOL_SIZE", "20"),
        Map.entry("KEFU_DB_WRITERS", "6"),
        Map.entry("KEFU_REDIS_URL", "redis://cache:6380/2"),
        Map.entry("KEFU_REDIS_PASSWORD", "p@ss/word"),
        Map.entry("KEFU_KB_DIR", dir.resolve("kb").toString()),
        Map.entry("KEFU_TEMPLATES_DIR", dir.resolve("tpl").toString()),
        Map.entry("KEFU_WECHAT_APP_ID", "wx1234567890abcdef"),
        Map.entry("KEFU_WECHAT_SECRET", "app-secret"),
        Map.entry("KEFU_WECHAT_TOKEN", "tok3n"),
        Map.entry("KEFU_WECHAT_AES_KEY", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"),
        Map.entry("KEFU_WECHAT_REPLY_BUDGET", "2s"),
        Map.entry("KEFU_DIALOG_IDLE_TIMEOUT", "10m"),
        Map.entry("KEFU_TEST_REDIS", "ignored: test switches are not settings")));

    assertThat(config.mode()).isEqualTo(KefuConfig.Mode.PRODUCTION);
    assertThat(config.nodeId()).isEqualTo("node-a");
    assertThat(config.http().shutdownTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.db()).isEqualTo(new KefuConfig.Db("jdbc:postgresql://db:5432/kefu", "kefu", "s3cret", 20, 6));
    assertThat(config.db().toString()).doesNotContain("s3cret");
    KefuConfig.Redis redis = config.redis().orElseThrow();
    assertThat(redis.url().getHost()).isEqualTo("cache");
    assertThat(redis.url().getPort()).isEqualTo(6380);
    assertThat(redis.url().getPath()).isEqualTo("/2");
    assertThat(redis.url().getUserInfo()).isEqualTo(":p@ss/word");
    assertThat(redis.toString()).doesNotContain("p@ss");
    assertThat(config.paths().kbDir()).isEqualTo(dir.resolve("kb"));
    assertThat(config.paths().templatesDir()).isEqualTo(dir.resolve("tpl"));
  }

  @Test
  void knowledgeBaseMatching() {
    KefuConfig defaults = ConfigLoader.load(Optional.empty(), NO_FILE);
    assertThat(defaults.kb().vectors()).isTrue();
    assertThat(defaults.kb().answerThreshold()).isEmpty();

    KefuConfig set = ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_KB_VECTORS", "off",
        "KEFU_KB_ANSWER_THRESHOLD", "0.8", "KEFU_KB_SUGGEST_THRESHOLD", "0.2"));
    assertThat(set.kb().vectors()).isFalse();
    assertThat(set.kb().answerThreshold()).hasValue(0.8);
    assertThat(set.kb().suggestThreshold()).hasValue(0.2);

    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_KB_VECTORS", "maybe")))
        .hasMessage("KEFU_KB_VECTORS: kb.vectors: \"maybe\" is not on or off");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_KB_ANSWER_THRESHOLD", "1.5")))
        .hasMessage("KEFU_KB_ANSWER_THRESHOLD: kb.answer-threshold: \"1.5\" is out of range 0–1");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none",
        "KEFU_KB_ANSWER_THRESHOLD", "0.3", "KEFU_KB_SUGGEST_THRESHOLD", "0.5")))
        .hasMessage("kb.suggest-threshold (KEFU_KB_SUGGEST_THRESHOLD): must not be above kb.answer-threshold");
  }

  @Test
  void theMessageModeFollowsTheKeyUnlessSet() {
    // Proves wechat.message-mode: safe by default once an EncodingAESKey is set (a plaintext message is then a
    // downgrade), plaintext without one; compatible when asked; an encrypted mode without a key is refused at start.
    String key = "a".repeat(43);
    assertThat(ConfigLoader.load(Optional.empty(), NO_FILE).wechat().messageMode()).isEqualTo(KefuConfig.MessageMode.PLAINTEXT);
    assertThat(ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_WECHAT_AES_KEY", key))
        .wechat().messageMode()).isEqualTo(KefuConfig.MessageMode.SAFE);
    assertThat(ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_WECHAT_AES_KEY", key,
        "KEFU_WECHAT_MESSAGE_MODE", "compatible")).wechat().messageMode()).isEqualTo(KefuConfig.MessageMode.COMPATIBLE);

    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_WECHAT_MESSAGE_MODE", "safe")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("wechat.message-mode (KEFU_WECHAT_MESSAGE_MODE): safe mode needs wechat.aes-key, the account's EncodingAESKey");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_WECHAT_MESSAGE_MODE", "secure")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("KEFU_WECHAT_MESSAGE_MODE: wechat.message-mode: \"secure\" is not plaintext, compatible or safe");
  }

  @Test
  void portOutOfRangeNamesTheKeyAndTheVariable() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_HTTP_PORT", "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("KEFU_HTTP_PORT: http.port: \"70000\" is out of range 0–65535");
  }

  @Test
  void trustedProxiesAreAddressesAndRanges() throws IOException {
    KefuConfig config = load("http:\n  trusted-proxies: 10.0.0.0/8, 127.0.0.1, fd00::/8\n");

    TrustedProxies proxies = config.http().trustedProxies();
    assertThat(proxies.contains(InetAddress.getByName("10.20.30.40"))).isTrue();
    assertThat(proxies.contains(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(proxies.contains(InetAddress.getByName("fd12::1"))).isTrue();
    assertThat(proxies.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
    assertThat(proxies.contains(InetAddress.getByName("127.0.0.2"))).isFalse();
    assertThat(ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none")).http().trustedProxies().isEmpty()).isTrue();
  }

  @Test
  void aTrustedProxyThatIsNoAddressIsRefused() {
    // Proves a name is refused, not looked up: what a proxy forwards is compared with addresses only.
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_HTTP_TRUSTED_PROXIES", "10.0.0.1, proxy.local")))
        .hasMessage("KEFU_HTTP_TRUSTED_PROXIES: http.trusted-proxies: \"10.0.0.1, proxy.local\" has proxy.local, which is not an address or a range like 10.0.0.0/8");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_HTTP_TRUSTED_PROXIES", "10.0.0.0/33")))
        .hasMessageEndingWith("has 10.0.0.0/33, whose prefix length is not 0–32");
  }

  @Test
  void aShortApiKeyIsRefusedAndNeverPrinted() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_HTTP_API_KEY", "secret123")))
        .hasMessageStartingWith("KEFU_HTTP_API_KEY: http.api-key: the value is not a key of at least 24")
        .hasMessageNotContaining("secret123");
    assertThat(ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_HTTP_API_KEY", "0123456789abcdef0123456789abcdef"))
        .http().apiKey()).hasValue("0123456789abcdef0123456789abcdef");
  }

  @Test
  void unknownKeyInTheFileNamesFileAndLine() throws IOException {
    Path file = write("http:\n  port: 8080\n  prot: 8081\n");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
        .hasMessage(file + " line 3: unknown key http.prot (every key is listed in kefu.example.yaml)");
  }

  @Test
  void unknownVariableIsRefused() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_HTTP_PROT", "1")))
        .hasMessage("KEFU_HTTP_PROT: unknown setting (every key is listed in kefu.example.yaml)");
  }

  @Test
  void workingHoursHolidaysAndMakeUpDaysAreRead() throws IOException {
    KefuConfig config = load("desk:\n  hours: 8:30-17:30\n  weekdays: mon-sat\n  holidays: 2026-10-01..2026-10-03, 2027-01-01\n"
        + "  make-up-workdays: 2026-10-11\n  zone: Asia/Shanghai\n");
    BusinessCalendar calendar = config.desk().calendar();
    assertThat(calendar.opens()).isEqualTo(LocalTime.of(8, 30));
    assertThat(calendar.weekdays()).contains(DayOfWeek.SATURDAY).doesNotContain(DayOfWeek.SUNDAY);
    assertThat(calendar.holidays()).containsExactlyInAnyOrder(LocalDate.of(2026, 10, 1), LocalDate.of(2026, 10, 2),
        LocalDate.of(2026, 10, 3), LocalDate.of(2027, 1, 1));
    assertThat(calendar.makeUpWorkdays()).containsExactly(LocalDate.of(2026, 10, 11));

    assertThatThrownBy(() -> load("desk:\n  hours: 18:00-09:00\n")).hasMessageEndingWith("desk.hours: \"18:00-09:00\" ends before it starts");
    assertThatThrownBy(() -> load("desk:\n  holidays: 2026-13-01\n"))
        .hasMessageEndingWith("is not dates like 2026-10-01..2026-10-07, 2027-01-01");
    assertThatThrownBy(() -> load("desk:\n  weekdays: weekdays\n")).hasMessageEndingWith("is not days of the week like mon-fri");
  }

  @Test
  void journeyRestHoursAndLateness() throws IOException {
    KefuConfig.Journey defaults = load("# defaults\n").journey();
    assertThat(defaults).isEqualTo(KefuConfig.Journey.DEFAULTS);
    assertThat(defaults.quiet().contains(LocalTime.of(23, 0))).isTrue();
    assertThat(defaults.quiet().contains(LocalTime.of(8, 59))).isTrue();
    assertThat(defaults.quiet().contains(LocalTime.of(9, 0))).isFalse();

    KefuConfig.Journey journey = load("journey:\n  quiet-hours: 20:30-08:00\n  lunch-rest: 12:00-13:30\n  max-lateness: 3h\n").journey();
    assertThat(journey.quiet()).isEqualTo(new KefuConfig.Rest(LocalTime.of(20, 30), LocalTime.of(8, 0)));
    assertThat(journey.lunchRest()).contains(new KefuConfig.Rest(LocalTime.of(12, 0), LocalTime.of(13, 30)));
    assertThat(journey.lunchRest().orElseThrow().contains(LocalTime.of(12, 45))).isTrue();
    assertThat(journey.maxLateness()).isEqualTo(Duration.ofHours(3));

    assertThatThrownBy(() -> load("journey:\n  quiet-hours: 21:00\n")).hasMessageEndingWith("is not a rest like 21:00-09:00");
    assertThatThrownBy(() -> load("journey:\n  lunch-rest: 12:00-12:00\n")).hasMessageEndingWith("ends when it starts");
  }

  @Test
  void badValuesAreExplained() throws IOException {
    assertThatThrownBy(() -> load("http:\n  body-limit: lots\n")).hasMessageEndingWith("http.body-limit: \"lots\" is not a size like 512KB or 1MB");
    assertThatThrownBy(() -> load("http:\n  shutdown-timeout: 10\n")).hasMessageEndingWith("is not a duration like 500ms, 10s, 5m or 1h");
    assertThatThrownBy(() -> load("mode: staging\n")).hasMessageEndingWith("mode: \"staging\" is not a mode: use development or production");
    assertThatThrownBy(() -> load("db:\n  pool-size: 0\n")).hasMessageEndingWith("db.pool-size: \"0\" is out of range 1–500");
    assertThatThrownBy(() -> load("db:\n  writers: 0\n")).hasMessageEndingWith("db.writers: \"0\" is out of range 1–32");
    assertThatThrownBy(() -> load("http:\n  port: [1, 2]\n")).hasMessageEndingWith("line 2: http.port takes a single value");
    assertThatThrownBy(() -> load("http:\n  port: 1\n  port: 2\n")).hasMessageEndingWith("line 3: http.port is set twice");
    assertThatThrownBy(() -> load("wechat:\n  reply-budget: 5s\n"))
        .hasMessageEndingWith("wechat.reply-budget: \"5s\" is too long: WeChat waits 5 s at most; use 4500ms or less");
    assertThatThrownBy(() -> load("wechat:\n  app-id: wx1234567890abcdef\n  secret: s\n  token: tok\n  api-host: api.weixin.qq.com\n"))
        .hasMessageEndingWith("wechat.api-host: \"api.weixin.qq.com\" is not an http(s) URL like https://api.weixin.qq.com");
  }

  @Test
  void urlsAreCheckedWithoutRepeatingThem() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_DB_URL", "jdbc:mysql://u:secret@h/db")))
        .hasMessageStartingWith("KEFU_DB_URL: db.url: the value is not a supported database URL")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_REDIS_URL", "http://:secret@cache")))
        .hasMessageStartingWith("KEFU_REDIS_URL: redis.url: the value is not a Redis URL")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_REDIS_URL", "redis://cache/main")))
        .hasMessageEndingWith("names no database number: use redis://host:6379/0");
  }

  @Test
  void productionNeedsTheDatabasePassword() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of(
        "KEFU_CONFIG", "none", "KEFU_MODE", "production", "KEFU_DB_URL", "jdbc:postgresql://db/kefu",
        "KEFU_WECHAT_APP_ID", "wx1234567890abcdef", "KEFU_WECHAT_SECRET", "s", "KEFU_WECHAT_TOKEN", "tok3n")))
        .hasMessage("db.password (KEFU_DB_PASSWORD): required in production mode for a database server");
    // The embedded database has no password to give.
    assertThat(ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_MODE", "production",
        "KEFU_WECHAT_APP_ID", "wx1234567890abcdef", "KEFU_WECHAT_SECRET", "s", "KEFU_WECHAT_TOKEN", "tok3n")).mode())
        .isEqualTo(KefuConfig.Mode.PRODUCTION);
    assertThatThrownBy(() -> ConfigLoader.load(Optional.empty(), Map.of("KEFU_CONFIG", "none", "KEFU_MODE", "production")))
        .hasMessageStartingWith("wechat.app-id (KEFU_WECHAT_APP_ID): required in production mode");
  }

  @ParameterizedTest
  @ValueSource(strings = {"  port 8080", "  port: \"8080", "  port: [8080", " port: 8080", "\tport: 8080", "  port: @8080"})
  void brokenYamlGivesTheLineOfTheMistake(String fourthLine) throws IOException {
    // Proves the line named is the broken one, also where SnakeYAML only notices on the next line that a key has
    // no colon or a quote or bracket was left open.
    Path file = write("mode: development\nhttp:\n  host: 127.0.0.1\n" + fourthLine + "\n  body-limit: 1MB\ndata:\n  dir: ./data\n");

    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(file), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + " line 4: not valid YAML: ");
  }

  @Test
  void missingNamedFileIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.load(Optional.of(dir.resolve("nope.yaml")), Map.of()))
        .hasMessage("--config: configuration file " + dir.resolve("nope.yaml") + " does not exist");
  }

  @Test
  void emptyFileMeansDefaults() throws IOException {
    assertThat(ConfigLoader.load(Optional.of(write("# nothing yet\n")), Map.of()).http().port()).isEqualTo(8080);
  }

  @Test
  void exampleFileListsEverySettingAndLoadsAsIs() throws IOException {
    Path example = Path.of("kefu.example.yaml");
    String text = Files.readString(example);
    KefuConfig config = ConfigLoader.load(Optional.of(example), Map.of());

    assertThat(config.http().port()).isEqualTo(8080);
    for (Setting setting : Setting.values()) {
      String leaf = setting.key().substring(setting.key().lastIndexOf('.') + 1);
      assertThat(text).as(setting.key()).containsPattern("(?m)^\\s*" + leaf + ":");
    }
  }

  @Test
  void readmeDocumentsEveryVariable() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting setting : Setting.values()) {
      assertThat(readme).as(setting.key()).contains("`" + setting.key() + "`").contains("`" + setting.env() + "`");
    }
  }

  private KefuConfig load(String yaml) throws IOException {
    return ConfigLoader.load(Optional.of(write(yaml)), Map.of());
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "kefu", ".yaml");
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
    return file;
  }
}
