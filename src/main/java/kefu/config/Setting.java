package kefu.config;

import java.util.Locale;

/**
 * Every configuration key kefu knows: its name in {@code kefu.yaml}, its environment variable, its default
 * and what it is for.
 *
 * <p>This list is the one place a key is declared; {@code kefu.example.yaml} and the README's reference are
 * checked against it by the tests.
 */
public enum Setting {
  MODE("mode", "development", "development or production; production refuses to start without its secrets"),
  NODE_ID("node.id", "", "name of this node in logs and in Redis; empty: host name and process id"),
  HTTP_HOST("http.host", "0.0.0.0", "address the HTTP server listens on"),
  HTTP_PORT("http.port", "8080", "HTTP port, 1–65535; 0 picks a free port"),
  HTTP_BODY_LIMIT("http.body-limit", "1MB", "largest request body accepted (B, KB, MB)"),
  HTTP_SHUTDOWN_TIMEOUT("http.shutdown-timeout", "10s", "how long a stop waits for requests in flight"),
  HTTP_TRUSTED_PROXIES("http.trusted-proxies", "", "reverse proxies whose X-Forwarded-For is believed, comma-separated addresses and ranges (10.0.0.0/8); empty: none, the peer's address counts"),
  HTTP_API_KEY("http.api-key", "", "key a program sends as Authorization: Bearer KEY for /api/kb/search; empty: the API is closed (staff use /desk/kb/search)", true),
  HTTP_INTEGRATION_KEYS("http.integration-keys", "", "keys of the business's own systems for /api/milestones, as name=KEY pairs separated by commas (erp=…,crm=…); empty: that API is closed", true),
  DATA_DIR("data.dir", "./data", "directory for the embedded database and caches"),
  DB_URL("db.url", "", "JDBC URL: jdbc:h2:… or jdbc:postgresql:…; empty: H2 file database in data.dir", true),
  DB_USER("db.user", "", "database user"),
  DB_PASSWORD("db.password", "", "database password; required in production for a network database", true),
  DB_POOL_SIZE("db.pool-size", "10", "most database connections open at once"),
  DB_WRITERS("db.writers", "2", "threads writing the channel's turns to a database server, each a batch at a time (at most half db.pool-size): more where the server is across a network and each waits on round trips; the embedded H2 has one"),
  REDIS_URL("redis.url", "", "redis://[:password@]host[:port][/database]; empty: single node, no Redis", true),
  REDIS_PASSWORD("redis.password", "", "Redis password, if not given in redis.url", true),
  REDIS_PREFIX("redis.prefix", "kefu:", "prefix of every Redis key and channel, so deployments can share a Redis"),
  KB_DIR("kb.dir", "./knowledge-base", "directory of the knowledge base"),
  KB_VECTORS("kb.vectors", "on", "on: match by meaning with sentence vectors; off: words only, for small machines"),
  KB_ANSWER_THRESHOLD("kb.answer-threshold", "", "confidence 0–1 to answer outright; empty: the value fitted with the model"),
  KB_ANSWER_LEAD("kb.answer-lead", "", "how far 0–1 the best entry must lead the next to be answered outright; empty: the fitted value"),
  KB_SUGGEST_THRESHOLD("kb.suggest-threshold", "", "confidence 0–1 to suggest the closest questions; empty: the fitted value"),
  TEMPLATES_DIR("templates.dir", "./templates", "directory of the templates: replies, phrases, greetings"),
  WECHAT_APP_ID("wechat.app-id", "", "the official account's AppID; empty, with wechat.secret empty: simulator mode"),
  WECHAT_SECRET("wechat.secret", "", "the official account's AppSecret", true),
  WECHAT_TOKEN("wechat.token", "", "the Token set in the account's server settings; signs every message; empty in simulator mode: simulator", true),
  WECHAT_AES_KEY("wechat.aes-key", "", "EncodingAESKey, 43 characters; set: compatible and safe (encrypted) modes", true),
  WECHAT_MESSAGE_MODE("wechat.message-mode", "", "plaintext, compatible or safe, as the account's 消息加解密方式; safe refuses plaintext messages; empty: safe with wechat.aes-key, plaintext without"),
  WECHAT_API_HOST("wechat.api-host", "https://api.weixin.qq.com", "WeChat's API host; WeChat also serves api2.weixin.qq.com and regional hosts (sh., sz., hk.api.weixin.qq.com)"),
  WECHAT_REPLY_BUDGET("wechat.reply-budget", "3s", "a first reply ready within this goes back in the webhook response; later ones through the API; 0: every reply through the API"),
  WECHAT_SERVICE_TEMPLATE("wechat.service-template", "", "template message id for a reply outside the 48-hour window, its fields from templates/template-message.yaml; empty: such replies are undeliverable"),
  WECHAT_MESSAGE_QUOTA("wechat.message-quota", "5", "customer-service messages WeChat allows after one customer message"),
  WECHAT_MESSAGE_WINDOW("wechat.message-window", "48h", "how long after a customer's message customer-service messages may be sent"),
  WECHAT_EVENT_QUOTA("wechat.event-quota", "3", "customer-service messages WeChat allows in the minute after a menu click or follow"),
  WECHAT_MASS_PER_MONTH("wechat.mass-per-month", "4", "mass messages (群发) one follower receives a month: kefu never plans more"),
  WECHAT_MASS_GREETING_RESERVE("wechat.mass-greeting-reserve", "1", "of those, how many campaigns leave to greetings"),
  WECHAT_MASS_CALLS_PER_MINUTE("wechat.mass-calls-per-minute", "60", "calls of the mass and tag API a minute, over all nodes; WeChat allows 60"),
  DIALOG_IDLE_TIMEOUT("dialog.idle-timeout", "30m", "a dialogue quiet this long starts afresh: offered choices are forgotten"),
  DIALOG_HANDOFF_ON_MEDIA("dialog.handoff-on-media", "on", "an image, file, video or unrecognised voice goes to a person; off: only acknowledged"),
  DIALOG_HANDOFF_AFTER_FALLBACKS("dialog.handoff-after-fallbacks", "2", "questions in a row the bot cannot answer before it hands the customer to a person; 0 never"),
  DESK_SESSION_IDLE_TIMEOUT("desk.session-idle-timeout", "30m", "an agent's console session unused this long ends; they log in again"),
  DESK_LOGIN_ATTEMPTS("desk.login-attempts", "5", "failed logins per 15 minutes for one login name from one address before it is refused there (an address that fails with four times as many login names is refused); at least 2"),
  DESK_MAX_CHATS("desk.max-chats", "5", "chats an online agent is given at once; more wait in the queue"),
  DESK_ZONE("desk.zone", "Asia/Shanghai", "the business's time zone, for working hours, the digest and times shown"),
  DESK_HOURS("desk.hours", "09:00-18:00", "working hours on working days; outside them customers leave a message"),
  DESK_WEEKDAYS("desk.weekdays", "mon-sun", "the days of the week normally worked: mon-fri, mon-sat, mon-sun (every day)"),
  DESK_HOLIDAYS("desk.holidays", "", "days off that would be worked, comma-separated: 2026-10-01..2026-10-07, 2027-01-01"),
  DESK_MAKE_UP_WORKDAYS("desk.make-up-workdays", "", "调休: weekend days that are worked, comma-separated dates"),
  DESK_DIGEST_AT("desk.digest-at", "18:00", "when supervisors get the day's digest of major complaints and open tickets, on working days"),
  DESK_MANAGER_OPENID("desk.manager-openid", "", "the WeChat openid of the manager told of each major complaint at once and sent the digest"),
  DESK_CHAT_IDLE_TIMEOUT("desk.chat-idle-timeout", "30m", "a chat with an agent quiet this long is closed with a polite closing line"),
  DESK_MAX_WAIT("desk.max-wait", "10m", "a customer waiting this long for an agent (in working hours) is offered to keep waiting or be called back"),
  JOURNEY_QUIET_HOURS("journey.quiet-hours", "21:00-09:00", "rest hours in desk.zone when no follow-up goes to a customer; a step due then waits for their end"),
  JOURNEY_LUNCH_REST("journey.lunch-rest", "", "an optional midday rest kept like the quiet hours, e.g. 12:00-13:30; empty: none"),
  JOURNEY_SUBSCRIBE_TEMPLATE("journey.subscribe-template", "", "the one-time subscription notice (订阅通知) customers are asked to allow; follow-ups outside the 48-hour window go as it while they have an unused Allow; empty: none"),
  JOURNEY_CONSENT_URL("journey.consent-url", "", "where customers open kefu's consent page /subscribe from WeChat (https://…/subscribe), offered in follow-up messages; empty: in the menu only"),
  JOURNEY_MAX_LATENESS("journey.max-lateness", "12h", "a follow-up step this late (after downtime) is not sent: it becomes a call task or is skipped, as its plan says"),
  JOURNEY_CALL_RETRIES("journey.call-retries", "2", "how many more times a follow-up call the customer did not answer comes back later the same day (0-10)"),
  JOURNEY_SURVEY_EXPIRY("journey.survey-expiry", "24h", "a survey in the chat unanswered this long ends; the answers given so far are kept"),
  REPORT_WEEKLY_AT("report.weekly-at", "09:00", "when the weekly report of the week just past (Monday to Sunday) is made, on Mondays"),
  REPORT_MONTHLY_AT("report.monthly-at", "09:00", "when the monthly report of the month just past is made, on the 3rd"),
  REPORT_MIN_RATINGS("report.min-ratings", "3", "ratings an agent needs in a report's period to be ranked; those with fewer are listed apart"),
  REPORT_CONSOLE_URL("report.console-url", "", "the console's address as the manager's phone reaches it (https://kefu.example.com); the report's WeChat message links to it"),
  CAMPAIGN_CAP_MESSAGES("campaign.cap-messages", "2", "campaign messages one follower gets within campaign.cap-days, over all campaigns (0-30; 0: only WeChat's monthly budget limits them)"),
  CAMPAIGN_CAP_DAYS("campaign.cap-days", "7", "the days (1-90) over which campaign.cap-messages counts");

  private final String key;
  private final String defaultValue;
  private final String description;
  private final boolean secret;

  Setting(String key, String defaultValue, String description) {
    this(key, defaultValue, description, false);
  }

  Setting(String key, String defaultValue, String description, boolean secret) {
    this.key = key;
    this.defaultValue = defaultValue;
    this.description = description;
    this.secret = secret;
  }

  /** The dotted key in {@code kefu.yaml}, e.g. {@code http.port}. */
  public String key() {
    return key;
  }

  /** The environment variable that overrides the file, e.g. {@code KEFU_HTTP_PORT}. */
  public String env() {
    return "KEFU_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The value used when neither the file nor the environment sets the key; empty for none. */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  /** Whether the value must never be printed: passwords, and URLs that may carry one. */
  public boolean secret() {
    return secret;
  }

  /** How the key is named in an error message: both ways a user may have set it. */
  public String label() {
    return key + " (" + env() + ")";
  }

  static Setting byKey(String key) {
    for (Setting s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }

  static Setting byEnv(String env) {
    for (Setting s : values()) {
      if (s.env().equals(env)) {
        return s;
      }
    }
    return null;
  }
}
