package kefu.config;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.scanner.ScannerException;

/**
 * Reads the configuration from an optional {@code kefu.yaml} and {@code KEFU_…} environment variables, which
 * win over the file, and validates it into a {@link KefuConfig}.
 *
 * <p>Every mistake is reported as a {@link ConfigException} whose message says where the value came from
 * (file and line, or variable), which key, and what is wrong. Secret values are never repeated.
 */
public final class ConfigLoader {
  /** The variable naming the configuration file; {@code none} reads no file. */
  public static final String CONFIG_ENV = "KEFU_CONFIG";

  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)", Pattern.CASE_INSENSITIVE);

  private final Map<Setting, Value> values = new EnumMap<>(Setting.class);

  private record Value(String text, String origin) {}

  private ConfigLoader() {}

  /**
   * Loads the configuration.
   *
   * @param file the file named on the command line, if any; otherwise {@code KEFU_CONFIG}, otherwise
   *     {@code ./kefu.yaml} if it exists
   * @param env the process environment
   */
  public static KefuConfig load(Optional<Path> file, Map<String, String> env) {
    ConfigLoader loader = new ConfigLoader();
    loader.configFile(file, env).ifPresent(loader::readFile);
    loader.readEnvironment(env);
    return loader.build();
  }

  private Optional<Path> configFile(Optional<Path> file, Map<String, String> env) {
    if (file.isPresent()) {
      return requireExists(file.get(), "--config");
    }
    String named = env.get(CONFIG_ENV);
    if (named != null && !named.isBlank()) {
      return named.equals("none") ? Optional.empty() : requireExists(Path.of(named), CONFIG_ENV);
    }
    Path local = Path.of("kefu.yaml");
    return Files.exists(local) ? Optional.of(local) : Optional.empty();
  }

  private static Optional<Path> requireExists(Path path, String namedBy) {
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(namedBy + ": configuration file " + path + " does not exist");
    }
    return Optional.of(path);
  }

  private void readFile(Path path) {
    Node root;
    try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
    } catch (MarkedYAMLException e) {
      throw new ConfigException(path + " line " + mistakeLine(e) + ": not valid YAML: " + e.getProblem()
          + (e.getContext() == null ? "" : " (" + e.getContext() + ")"));
    } catch (YAMLException | IOException e) {
      throw new ConfigException(path + ": cannot be read: " + e.getMessage());
    }
    if (root == null) {
      return;
    }
    if (!(root instanceof MappingNode mapping)) {
      throw new ConfigException(path + " line " + line(root) + ": expected keys and values, like http.port: 8080");
    }
    readMapping(path, "", mapping);
  }

  /**
   * The line of the mistake. SnakeYAML notices a token or a flow collection left open (a key without its colon, a
   * quote or bracket never closed) only where the next one starts, often the line after; its context mark is where
   * the open one began. Other problems are where it stopped.
   */
  private static int mistakeLine(MarkedYAMLException e) {
    Mark opened = e.getContextMark();
    boolean leftOpen = opened != null && (e instanceof ScannerException || e.getContext().contains("flow"));
    return (leftOpen ? opened : e.getProblemMark()).getLine() + 1;
  }

  private void readMapping(Path path, String prefix, MappingNode mapping) {
    for (NodeTuple tuple : mapping.getValue()) {
      String where = path + " line " + line(tuple.getKeyNode());
      if (!(tuple.getKeyNode() instanceof ScalarNode keyNode)) {
        throw new ConfigException(where + ": a key must be a plain name");
      }
      String key = prefix + keyNode.getValue();
      Node value = tuple.getValueNode();
      if (value instanceof MappingNode nested) {
        readMapping(path, key + ".", nested);
        continue;
      }
      Setting setting = Setting.byKey(key);
      if (setting == null) {
        throw new ConfigException(where + ": unknown key " + key + " (every key is listed in kefu.example.yaml)");
      }
      if (!(value instanceof ScalarNode scalar)) {
        throw new ConfigException(where + ": " + key + " takes a single value");
      }
      if (values.containsKey(setting)) {
        throw new ConfigException(where + ": " + key + " is set twice");
      }
      String text = scalar.getTag().equals(Tag.NULL) ? "" : scalar.getValue();
      values.put(setting, new Value(text, where));
    }
  }

  private static int line(Node node) {
    return node.getStartMark().getLine() + 1;
  }

  private void readEnvironment(Map<String, String> env) {
    for (Map.Entry<String, String> e : env.entrySet()) {
      String name = e.getKey();
      if (!name.startsWith("KEFU_") || name.equals(CONFIG_ENV) || name.startsWith("KEFU_TEST_")) {
        continue;
      }
      Setting setting = Setting.byEnv(name);
      if (setting == null) {
        throw new ConfigException(name + ": unknown setting (every key is listed in kefu.example.yaml)");
      }
      values.put(setting, new Value(e.getValue(), name));
    }
  }

  private KefuConfig build() {
    KefuConfig.Mode mode = parse(Setting.MODE, this::mode);
    Path dataDir = parse(Setting.DATA_DIR, ConfigLoader::directory);
    KefuConfig.Http http = new KefuConfig.Http(
        parse(Setting.HTTP_HOST, ConfigLoader::nonBlank),
        parse(Setting.HTTP_PORT, t -> intIn(t, 0, 65535)),
        parse(Setting.HTTP_BODY_LIMIT, ConfigLoader::size),
        parse(Setting.HTTP_SHUTDOWN_TIMEOUT, ConfigLoader::duration),
        parse(Setting.HTTP_TRUSTED_PROXIES, TrustedProxies::parse),
        parse(Setting.HTTP_API_KEY, ConfigLoader::apiKey),
        parse(Setting.HTTP_INTEGRATION_KEYS, ConfigLoader::integrationKeys));
    KefuConfig.Paths paths = new KefuConfig.Paths(
        dataDir, parse(Setting.KB_DIR, ConfigLoader::directory), parse(Setting.TEMPLATES_DIR, ConfigLoader::directory));
    String dbUrl = parse(Setting.DB_URL, ConfigLoader::jdbcUrl);
    KefuConfig.Db db = new KefuConfig.Db(
        // AUTO_SERVER: while the service holds the file, a second process (kefu user add) reaches it through H2's
        // own loopback server instead of failing on the file lock.
        dbUrl.isEmpty() ? "jdbc:h2:file:" + dataDir.resolve("kefu") + ";AUTO_SERVER=TRUE" : dbUrl,
        text(Setting.DB_USER),
        text(Setting.DB_PASSWORD),
        parse(Setting.DB_POOL_SIZE, t -> intIn(t, 1, 500)),
        parse(Setting.DB_WRITERS, t -> intIn(t, 1, 32)));
    URI redisUrl = parse(Setting.REDIS_URL, ConfigLoader::redisUrl);
    Optional<KefuConfig.Redis> redis = redisUrl == null
        ? Optional.empty()
        : Optional.of(new KefuConfig.Redis(withPassword(redisUrl, text(Setting.REDIS_PASSWORD)), text(Setting.REDIS_PREFIX)));
    KefuConfig.Kb kb = new KefuConfig.Kb(
        parse(Setting.KB_VECTORS, ConfigLoader::onOff),
        parse(Setting.KB_ANSWER_THRESHOLD, ConfigLoader::fraction),
        parse(Setting.KB_ANSWER_LEAD, ConfigLoader::fraction),
        parse(Setting.KB_SUGGEST_THRESHOLD, ConfigLoader::fraction));
    if (kb.answerThreshold().isPresent() && kb.suggestThreshold().isPresent()
        && kb.suggestThreshold().getAsDouble() > kb.answerThreshold().getAsDouble()) {
      throw new ConfigException(Setting.KB_SUGGEST_THRESHOLD.label() + ": must not be above kb.answer-threshold");
    }
    String nodeId = text(Setting.NODE_ID);
    KefuConfig config = new KefuConfig(mode, nodeId.isBlank() ? defaultNodeId() : nodeId, http, paths, db, redis, kb,
        wechat(), new KefuConfig.Dialog(parse(Setting.DIALOG_IDLE_TIMEOUT, ConfigLoader::duration),
            parse(Setting.DIALOG_HANDOFF_AFTER_FALLBACKS, t -> intIn(t, 0, 10)),
            parse(Setting.DIALOG_HANDOFF_ON_MEDIA, ConfigLoader::onOff)),
        new KefuConfig.Desk(parse(Setting.DESK_SESSION_IDLE_TIMEOUT, ConfigLoader::duration),
            parse(Setting.DESK_LOGIN_ATTEMPTS, t -> intIn(t, 2, 100)),
            parse(Setting.DESK_MAX_CHATS, t -> intIn(t, 1, 50)),
            calendar(),
            parse(Setting.DESK_DIGEST_AT, ConfigLoader::timeOfDay),
            Optional.of(text(Setting.DESK_MANAGER_OPENID)).filter(s -> !s.isEmpty()),
            parse(Setting.DESK_CHAT_IDLE_TIMEOUT, ConfigLoader::duration),
            parse(Setting.DESK_MAX_WAIT, ConfigLoader::duration)),
        new KefuConfig.Journey(parse(Setting.JOURNEY_QUIET_HOURS, ConfigLoader::rest),
            parse(Setting.JOURNEY_LUNCH_REST, t -> t.isEmpty() ? Optional.<KefuConfig.Rest>empty() : Optional.of(rest(t))),
            parse(Setting.JOURNEY_MAX_LATENESS, ConfigLoader::duration),
            parse(Setting.JOURNEY_CALL_RETRIES, t -> intIn(t, 0, 10)),
            parse(Setting.JOURNEY_SURVEY_EXPIRY, ConfigLoader::duration),
            parse(Setting.JOURNEY_SUBSCRIBE_TEMPLATE, t -> t.isEmpty() ? Optional.<String>empty() : Optional.of(templateId(t))),
            parse(Setting.JOURNEY_CONSENT_URL, t -> t.isEmpty() ? Optional.<String>empty() : Optional.of(httpUrl(t)))),
        new KefuConfig.Report(parse(Setting.REPORT_WEEKLY_AT, ConfigLoader::timeOfDay),
            parse(Setting.REPORT_MONTHLY_AT, ConfigLoader::timeOfDay),
            parse(Setting.REPORT_MIN_RATINGS, t -> intIn(t, 1, 1000)),
            parse(Setting.REPORT_CONSOLE_URL, t -> t.isEmpty() ? Optional.<String>empty() : Optional.of(httpUrl(t)))),
        new KefuConfig.Campaign(parse(Setting.CAMPAIGN_CAP_MESSAGES, t -> intIn(t, 0, 30)),
            parse(Setting.CAMPAIGN_CAP_DAYS, t -> intIn(t, 1, 90))));
    if (mode == KefuConfig.Mode.PRODUCTION) {
      requireProductionSecrets(config);
    }
    return config;
  }

  private KefuConfig.Wechat wechat() {
    String appId = parse(Setting.WECHAT_APP_ID, t -> t.isEmpty() || t.matches("wx[0-9a-zA-Z]{16}") ? t
        : fail("is not an AppID like wx followed by 16 letters and digits"));
    String secret = text(Setting.WECHAT_SECRET);
    if (appId.isEmpty() != secret.isEmpty()) {
      throw new ConfigException((appId.isEmpty() ? Setting.WECHAT_APP_ID : Setting.WECHAT_SECRET).label()
          + ": needed together with " + (appId.isEmpty() ? Setting.WECHAT_SECRET : Setting.WECHAT_APP_ID).key()
          + " (both empty: simulator mode)");
    }
    String token = parse(Setting.WECHAT_TOKEN, t -> t.isEmpty() || t.matches("[0-9a-zA-Z]{3,32}") ? t
        : fail("is not a token of 3–32 letters and digits, as WeChat requires"));
    if (token.isEmpty() && !appId.isEmpty()) {
      throw new ConfigException(Setting.WECHAT_TOKEN.label() + ": required with an official account");
    }
    String aesKey = parse(Setting.WECHAT_AES_KEY, t -> t.isEmpty() || t.matches("[0-9a-zA-Z]{43}") ? t
        : fail("is not an EncodingAESKey of 43 letters and digits"));
    KefuConfig.MessageMode mode = parse(Setting.WECHAT_MESSAGE_MODE, t -> t.isEmpty()
        ? (aesKey.isEmpty() ? KefuConfig.MessageMode.PLAINTEXT : KefuConfig.MessageMode.SAFE)
        : messageMode(t));
    if (mode != KefuConfig.MessageMode.PLAINTEXT && aesKey.isEmpty()) {
      throw new ConfigException(Setting.WECHAT_MESSAGE_MODE.label() + ": " + text(Setting.WECHAT_MESSAGE_MODE)
          + " mode needs wechat.aes-key, the account's EncodingAESKey");
    }
    String template = text(Setting.WECHAT_SERVICE_TEMPLATE);
    KefuConfig.Quotas quotas = new KefuConfig.Quotas(
        parse(Setting.WECHAT_MESSAGE_QUOTA, t -> intIn(t, 1, 100)),
        parse(Setting.WECHAT_MESSAGE_WINDOW, ConfigLoader::duration),
        parse(Setting.WECHAT_EVENT_QUOTA, t -> intIn(t, 0, 100)),
        parse(Setting.WECHAT_MASS_PER_MONTH, t -> intIn(t, 1, 31)),
        parse(Setting.WECHAT_MASS_GREETING_RESERVE, t -> intIn(t, 0, 4)),
        parse(Setting.WECHAT_MASS_CALLS_PER_MINUTE, t -> intIn(t, 1, 60)));
    if (quotas.massGreetingReserve() > quotas.massPerMonth()) {
      throw new ConfigException(Setting.WECHAT_MASS_GREETING_RESERVE.label() + ": " + quotas.massGreetingReserve()
          + " is more than wechat.mass-per-month (" + quotas.massPerMonth() + ")");
    }
    return new KefuConfig.Wechat(
        appId.isEmpty() ? Optional.empty() : Optional.of(new KefuConfig.Account(appId, secret,
            parse(Setting.WECHAT_API_HOST, ConfigLoader::httpUrl))),
        token.isEmpty() ? "simulator" : token,
        aesKey.isEmpty() ? Optional.empty() : Optional.of(aesKey),
        mode,
        parse(Setting.WECHAT_REPLY_BUDGET, ConfigLoader::replyBudget),
        template.isEmpty() ? Optional.empty() : Optional.of(template),
        quotas);
  }

  private static KefuConfig.MessageMode messageMode(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "plaintext" -> KefuConfig.MessageMode.PLAINTEXT;
      case "compatible" -> KefuConfig.MessageMode.COMPATIBLE;
      case "safe" -> KefuConfig.MessageMode.SAFE;
      default -> fail("is not plaintext, compatible or safe");
    };
  }

  private static <T> T fail(String why) {
    throw new IllegalArgumentException(why);
  }

  private void requireProductionSecrets(KefuConfig config) {
    if (config.wechat().simulator()) {
      throw new ConfigException(Setting.WECHAT_APP_ID.label() + ": required in production mode (without it kefu runs the WeChat simulator)");
    }
    KefuConfig.Db db = config.db();
    if (!db.embedded() && db.password().isEmpty() && !db.url().contains("password=")) {
      throw new ConfigException(
          Setting.DB_PASSWORD.label() + ": required in production mode for a database server");
    }
  }

  private String text(Setting setting) {
    Value value = values.get(setting);
    return value == null ? setting.defaultValue() : value.text().trim();
  }

  private <T> T parse(Setting setting, Parser<T> parser) {
    Value value = values.get(setting);
    String text = value == null ? setting.defaultValue() : value.text().trim();
    try {
      return parser.parse(text);
    } catch (IllegalArgumentException e) {
      String shown = setting.secret() ? "the value" : "\"" + text + "\"";
      String origin = value == null ? "default" : value.origin();
      throw new ConfigException(origin + ": " + setting.key() + ": " + shown + " " + e.getMessage());
    }
  }

  @FunctionalInterface
  private interface Parser<T> {
    /** Parses {@code text}; throws IllegalArgumentException whose message completes "value …". */
    T parse(String text);
  }

  private KefuConfig.Mode mode(String text) {
    try {
      return KefuConfig.Mode.valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("is not a mode: use development or production");
    }
  }

  private static boolean onOff(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      default -> throw new IllegalArgumentException("is not on or off");
    };
  }

  private static OptionalDouble fraction(String text) {
    if (text.isEmpty()) {
      return OptionalDouble.empty();
    }
    double value;
    try {
      value = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("is not a number");
    }
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("is out of range 0–1");
    }
    return OptionalDouble.of(value);
  }

  private static String nonBlank(String text) {
    if (text.isBlank()) {
      throw new IllegalArgumentException("must not be empty");
    }
    return text;
  }

  private static int intIn(String text, int min, int max) {
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("is not a whole number");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("is out of range " + min + "–" + max);
    }
    return n;
  }

  /** Long enough that trying keys is hopeless; printable, as it travels in a header. */
  private static Optional<String> apiKey(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.length() < 24 || !text.matches("[\\x21-\\x7e]+")) {
      throw new IllegalArgumentException("is not a key of at least 24 letters, digits or signs without spaces (openssl rand -hex 16)");
    }
    return Optional.of(text);
  }

  /** name=KEY pairs, each key as {@link #apiKey} wants it. */
  private static Map<String, String> integrationKeys(String text) {
    Map<String, String> keys = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? "" : pair.substring(0, eq).strip();
      if (!name.matches("[a-z0-9_-]{1,32}")) {
        throw new IllegalArgumentException("is not name=KEY pairs separated by commas, each name 1–32 of a-z 0-9 _ -");
      }
      if (keys.put(name, apiKey(pair.substring(eq + 1).strip()).orElseThrow(
          () -> new IllegalArgumentException("gives " + name + " no key"))) != null) {
        throw new IllegalArgumentException("names " + name + " twice");
      }
    }
    if (new HashSet<>(keys.values()).size() < keys.size()) {
      throw new IllegalArgumentException("gives two systems the same key; each needs its own");
    }
    return keys;
  }

  private static long size(String text) {
    Matcher m = SIZE.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("is not a size like 512KB or 1MB");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
    long bytes = switch (unit) {
      case "KB" -> n << 10;
      case "MB" -> n << 20;
      case "GB" -> n << 30;
      default -> n;
    };
    if (bytes < 1024) {
      throw new IllegalArgumentException("is too small: at least 1KB");
    }
    return bytes;
  }

  private BusinessCalendar calendar() {
    ZoneId zone = parse(Setting.DESK_ZONE, text -> {
      try {
        return ZoneId.of(text);
      } catch (DateTimeException e) {
        throw new IllegalArgumentException("is not a time zone like Asia/Shanghai");
      }
    });
    LocalTime[] hours = parse(Setting.DESK_HOURS, text -> {
      String[] ends = text.split("-", -1);
      if (ends.length != 2) {
        throw new IllegalArgumentException("is not working hours like 09:00-18:00");
      }
      LocalTime opens = timeOfDay(ends[0].trim());
      LocalTime closes = timeOfDay(ends[1].trim());
      if (!closes.isAfter(opens)) {
        throw new IllegalArgumentException("ends before it starts");
      }
      return new LocalTime[] {opens, closes};
    });
    return new BusinessCalendar(zone, hours[0], hours[1], parse(Setting.DESK_WEEKDAYS, ConfigLoader::weekdays),
        parse(Setting.DESK_HOLIDAYS, ConfigLoader::dates), parse(Setting.DESK_MAKE_UP_WORKDAYS, ConfigLoader::dates));
  }

  /** A daily rest like 21:00-09:00 (across midnight) or 12:00-13:30. */
  private static KefuConfig.Rest rest(String text) {
    String[] ends = text.split("-", -1);
    if (ends.length != 2) {
      throw new IllegalArgumentException("is not a rest like 21:00-09:00");
    }
    LocalTime from = timeOfDay(ends[0].trim());
    LocalTime until = timeOfDay(ends[1].trim());
    if (from.equals(until)) {
      throw new IllegalArgumentException("ends when it starts");
    }
    return new KefuConfig.Rest(from, until);
  }

  private static LocalTime timeOfDay(String text) {
    try {
      return LocalTime.parse(text.length() == 4 ? "0" + text : text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("is not a time of day like 18:00");
    }
  }

  /** "mon-fri", "mon-sat", "mon,wed,fri". */
  private static Set<DayOfWeek> weekdays(String text) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String part : text.toLowerCase(Locale.ROOT).split(",")) {
      String[] range = part.trim().split("-");
      DayOfWeek from = weekday(range[0]);
      DayOfWeek to = range.length > 1 ? weekday(range[1]) : from;
      for (DayOfWeek d = from; ; d = d.plus(1)) {
        days.add(d);
        if (d == to) {
          break;
        }
      }
    }
    return days;
  }

  private static DayOfWeek weekday(String text) {
    return Arrays.stream(DayOfWeek.values()).filter(d -> d.name().toLowerCase(Locale.ROOT).startsWith(text.trim()) && text.trim().length() >= 3)
        .findFirst().orElseThrow(() -> new IllegalArgumentException("is not days of the week like mon-fri"));
  }

  /** "2026-10-01..2026-10-07, 2027-01-01"; empty for none. */
  private static Set<LocalDate> dates(String text) {
    Set<LocalDate> dates = new HashSet<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      String[] range = part.trim().split("\\.\\.");
      try {
        LocalDate from = LocalDate.parse(range[0].trim());
        LocalDate to = range.length > 1 ? LocalDate.parse(range[1].trim()) : from;
        if (to.isBefore(from) || from.plusDays(366).isBefore(to)) {
          throw new IllegalArgumentException("has a range that ends before it starts or spans over a year: " + part.trim());
        }
        from.datesUntil(to.plusDays(1)).forEach(dates::add);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("is not dates like 2026-10-01..2026-10-07, 2027-01-01");
      }
    }
    return dates;
  }

  private static Duration duration(String text) {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("is not a duration like 500ms, 10s, 5m or 1h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  /** WeChat waits 5 s for the passive reply and then retries; the budget leaves room for the answer's way back. */
  private static Duration replyBudget(String text) {
    Duration budget = duration(text);
    if (budget.compareTo(Duration.ofMillis(4500)) > 0) {
      throw new IllegalArgumentException("is too long: WeChat waits 5 s at most; use 4500ms or less");
    }
    return budget;
  }

  private static Path directory(String text) {
    Path path = Path.of(nonBlank(text)).toAbsolutePath().normalize();
    if (Files.exists(path) && !Files.isDirectory(path)) {
      throw new IllegalArgumentException("is a file, not a directory");
    }
    return path;
  }

  private static String jdbcUrl(String text) {
    if (text.isEmpty() || text.startsWith("jdbc:h2:") || text.startsWith("jdbc:postgresql://")) {
      return text;
    }
    throw new IllegalArgumentException("is not a supported database URL: use jdbc:postgresql://host/db or jdbc:h2:file:path");
  }

  /** An http(s) base URL without a trailing slash, as WxJava joins it with paths starting with one. */
  private static String httpUrl(String text) {
    URI uri = uri(text);
    if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("is not an http(s) URL like https://api.weixin.qq.com");
    }
    return text.replaceFirst("/+$", "");
  }

  /** A WeChat template id: letters, digits, - and _, as the admin console gives them (43 characters). */
  private static String templateId(String text) {
    if (!text.matches("[A-Za-z0-9_-]{1,64}")) {
      throw new IllegalArgumentException("is not a template id: up to 64 letters, digits, - or _, as the admin console shows it");
    }
    return text;
  }

  private static URI uri(String text) {
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("is not a URL");
    }
  }

  private static URI redisUrl(String text) {
    if (text.isEmpty()) {
      return null;
    }
    URI uri = uri(text);
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("is not a Redis URL like redis://host:6379/0");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    if (!path.isEmpty() && !path.matches("\\d{1,2}")) {
      throw new IllegalArgumentException("names no database number: use redis://host:6379/0");
    }
    return uri;
  }

  /** The Redis URL with {@code password} in it, so a password with URL-unsafe characters can be given apart. */
  private static URI withPassword(URI url, String password) {
    if (password.isEmpty()) {
      return url;
    }
    String user = url.getUserInfo() == null ? "" : url.getUserInfo().replaceFirst(":.*", "");
    try {
      return new URI(url.getScheme(), user + ":" + password, url.getHost(), url.getPort(), url.getPath(), null, null);
    } catch (URISyntaxException e) {
      throw new ConfigException(Setting.REDIS_PASSWORD.label() + ": cannot be put into redis.url");
    }
  }

  private static String defaultNodeId() {
    String host = System.getenv("HOSTNAME");
    return (host == null || host.isBlank() ? "kefu" : host) + "-" + ProcessHandle.current().pid();
  }
}
