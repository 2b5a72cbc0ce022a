package kefu.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeSet;

/**
 * The whole configuration of a kefu node, typed and validated; built by {@link ConfigLoader}.
 *
 * @param mode development or production
 * @param nodeId this node's name in logs and in Redis
 * @param http the HTTP server
 * @param paths where data, the knowledge base and the templates live
 * @param db the SQL store
 * @param redis the shared coordination store; empty on a single node
 * @param kb how the knowledge base is matched
 * @param wechat the official account
 * @param dialog the bot's side of a conversation
 * @param desk the agents' console and the business's calendar
 * @param journey when follow-ups may reach customers
 * @param report the weekly and monthly service reports
 * @param campaign how often marketing campaigns may reach a follower
 */
public record KefuConfig(
    Mode mode, String nodeId, Http http, Paths paths, Db db, Optional<Redis> redis, Kb kb, Wechat wechat, Dialog dialog,
    Desk desk, Journey journey, Report report, Campaign campaign) {

  /** A configuration with the campaigns' defaults. */
  public KefuConfig(Mode mode, String nodeId, Http http, Paths paths, Db db, Optional<Redis> redis, Kb kb, Wechat wechat, Dialog dialog,
      Desk desk, Journey journey, Report report) {
    this(mode, nodeId, http, paths, db, redis, kb, wechat, dialog, desk, journey, report, Campaign.DEFAULTS);
  }

  /** This configuration with another campaign section. */
  public KefuConfig withCampaign(Campaign other) {
    return new KefuConfig(mode, nodeId, http, paths, db, redis, kb, wechat, dialog, desk, journey, report, other);
  }

  /**
   * Marketing campaigns: a follower gets at most {@code capMessages} campaign messages within {@code capDays} days, over
   * all campaigns (0: no cap besides WeChat's monthly mass budget). Campaigns go by mass message only: WeChat's rules
   * keep marketing out of customer-service messages, even inside the customer's open window.
   */
  public record Campaign(int capMessages, int capDays) {
    /** Two campaign messages in 7 days. */
    public static final Campaign DEFAULTS = new Campaign(2, 7);
  }

  /** This configuration with another WeChat section. */
  public KefuConfig withWechat(Wechat other) {
    return new KefuConfig(mode, nodeId, http, paths, db, redis, kb, other, dialog, desk, journey, report, campaign);
  }

  /** This configuration with another knowledge-base section. */
  public KefuConfig withKb(Kb other) {
    return new KefuConfig(mode, nodeId, http, paths, db, redis, other, wechat, dialog, desk, journey, report, campaign);
  }

  /** This configuration with another dialogue section. */
  public KefuConfig withDialog(Dialog other) {
    return new KefuConfig(mode, nodeId, http, paths, db, redis, kb, wechat, other, desk, journey, report, campaign);
  }

  /** This configuration with another desk section. */
  public KefuConfig withDesk(Desk other) {
    return new KefuConfig(mode, nodeId, http, paths, db, redis, kb, wechat, dialog, other, journey, report, campaign);
  }

  /** This configuration with another journey section. */
  public KefuConfig withJourney(Journey other) {
    return new KefuConfig(mode, nodeId, http, paths, db, redis, kb, wechat, dialog, desk, other, report, campaign);
  }

  /** This configuration with another HTTP section. */
  public KefuConfig withHttp(Http other) {
    return new KefuConfig(mode, nodeId, other, paths, db, redis, kb, wechat, dialog, desk, journey, report, campaign);
  }

  /** This configuration with other paths. */
  public KefuConfig withPaths(Paths other) {
    return new KefuConfig(mode, nodeId, http, other, db, redis, kb, wechat, dialog, desk, journey, report, campaign);
  }

  /** This configuration with another report section. */
  public KefuConfig withReport(Report other) {
    return new KefuConfig(mode, nodeId, http, paths, db, redis, kb, wechat, dialog, desk, journey, other, campaign);
  }

  /**
   * The service reports: the weekly one on Mondays at {@code weeklyAt} for the week just past, the monthly one on the
   * 3rd at {@code monthlyAt} for the month just past; an agent with fewer than {@code minRatings} ratings in the
   * period is listed apart, not ranked. The manager ({@code desk.manager-openid}) is sent each new report's headline
   * figures with a link to it at {@code consoleUrl} (empty: the message names the console's page instead).
   */
  public record Report(LocalTime weeklyAt, LocalTime monthlyAt, int minRatings, Optional<String> consoleUrl) {}

  /** How strict start-up is about secrets. */
  public enum Mode { DEVELOPMENT, PRODUCTION }

  /**
   * The HTTP server.
   *
   * @param trustedProxies the reverse proxies whose X-Forwarded-For names the client
   * @param apiKey what a program presents for {@code /api/kb/search}; empty: the API answers nobody
   * @param integrationKeys the key each of the business's own systems presents for {@code /api/milestones}, by the
   *     system's name
   */
  public record Http(String host, int port, long bodyLimitBytes, Duration shutdownTimeout, TrustedProxies trustedProxies,
      Optional<String> apiKey, Map<String, String> integrationKeys) {
    public Http {
      integrationKeys = Map.copyOf(integrationKeys);
    }

    /** Without integration keys. */
    public Http(String host, int port, long bodyLimitBytes, Duration shutdownTimeout, TrustedProxies trustedProxies,
        Optional<String> apiKey) {
      this(host, port, bodyLimitBytes, shutdownTimeout, trustedProxies, apiKey, Map.of());
    }

    @Override
    public String toString() {
      return "Http[" + host + ":" + port + ", " + trustedProxies + ", api key " + (apiKey.isPresent() ? "set" : "none")
          + ", integrations " + new TreeSet<>(integrationKeys.keySet()) + "]";
    }
  }

  /** Directories, absolute. */
  public record Paths(Path dataDir, Path kbDir, Path templatesDir) {}

  /**
   * How the knowledge base is matched.
   *
   * @param vectors whether sentence vectors are used (off: words only)
   * @param answerThreshold the confidence to answer outright; empty: the one fitted with the model
   * @param answerLead how far the best entry must lead the next to be answered outright; empty: the fitted one
   * @param suggestThreshold the confidence to suggest the closest questions; empty: the fitted one
   */
  public record Kb(boolean vectors, OptionalDouble answerThreshold, OptionalDouble answerLead, OptionalDouble suggestThreshold) {}

  /**
   * The official account.
   *
   * @param account AppID and secret; empty: simulator mode, where kefu serves a stand-in of the WeChat API itself
   * @param token signs every message between WeChat and kefu
   * @param aesKey the EncodingAESKey; empty: plaintext mode
   * @param messageMode which messages the webhook takes: plaintext, encrypted, or either
   * @param replyBudget how long the webhook waits for the first reply before answering WeChat without one
   * @param serviceTemplateId template message for replies outside the customer-service window; empty: none
   * @param quotas what WeChat allows to be sent to one customer
   */
  public record Wechat(Optional<Account> account, String token, Optional<String> aesKey, MessageMode messageMode,
      Duration replyBudget, Optional<String> serviceTemplateId, Quotas quotas) {
    /** The AppID that stands in for a real one in simulator mode (safe mode needs one). */
    public static final String SIMULATOR_APP_ID = "wx0000000000simula";

    public Wechat {
      if (messageMode != MessageMode.PLAINTEXT && aesKey.isEmpty()) {
        throw new IllegalArgumentException(messageMode + " mode needs an EncodingAESKey");
      }
    }

    /** In the mode the key implies: safe with an EncodingAESKey, plaintext without. */
    public Wechat(Optional<Account> account, String token, Optional<String> aesKey, Duration replyBudget,
        Optional<String> serviceTemplateId, Quotas quotas) {
      this(account, token, aesKey, aesKey.isPresent() ? MessageMode.SAFE : MessageMode.PLAINTEXT, replyBudget,
          serviceTemplateId, quotas);
    }

    public boolean simulator() {
      return account.isEmpty();
    }

    public String appId() {
      return account.map(Account::appId).orElse(SIMULATOR_APP_ID);
    }

    @Override
    public String toString() {
      return "Wechat[" + (simulator() ? "simulator" : appId()) + ", " + messageMode.name().toLowerCase(Locale.ROOT) + " mode]";
    }
  }

  /**
   * How WeChat seals the messages it sends, as the account's server settings name it (消息加解密方式). The webhook
   * takes a plaintext message in plaintext and compatible mode only: in safe mode one is a downgrade.
   */
  public enum MessageMode {
    /** 明文模式: messages in plaintext. */
    PLAINTEXT,
    /** 兼容模式: each message in plaintext and encrypted; for the days the account moves to safe mode. */
    COMPATIBLE,
    /** 安全模式: encrypted messages only. */
    SAFE
  }

  /** An official account's credentials and the WeChat API host kefu calls for it; {@link #toString()} hides the secret. */
  public record Account(String appId, String secret, String apiHost) {
    @Override
    public String toString() {
      return "Account[" + appId + "]";
    }
  }

  /**
   * WeChat's limits on customer-service messages: {@code perMessage} within {@code window} after a customer's
   * message, {@code perEvent} within a minute after a menu click or follow; and on mass messages (群发): {@code massPerMonth}
   * to one follower a month, of which campaigns leave {@code massGreetingReserve} to greetings, and at most
   * {@code massCallsPerMinute} calls of the mass and tag API a minute.
   */
  public record Quotas(int perMessage, Duration window, int perEvent, int massPerMonth, int massGreetingReserve, int massCallsPerMinute) {
    /** These customer-service limits, with WeChat's own on mass messages: 4 a month, 60 calls a minute, 1 kept for greetings. */
    public Quotas(int perMessage, Duration window, int perEvent) {
      this(perMessage, window, perEvent, 4, 1, 60);
    }
  }

  /**
   * The bot's side of a conversation: a dialogue idle longer than {@code idleTimeout} starts afresh; after
   * {@code handoffAfterFallbacks} answers in a row the bot could not give, the customer goes to a person (0: never);
   * an image, a file or a voice the bot cannot read goes to a person if {@code handoffOnMedia}.
   */
  public record Dialog(Duration idleTimeout, int handoffAfterFallbacks, boolean handoffOnMedia) {}

  /**
   * The agents' console: a session unused for {@code sessionIdleTimeout} ends; after {@code loginAttempts} failed
   * logins within a quarter of an hour one login name is refused for a while from that address (an address failing
   * with four times as many login names is refused);
   * an online agent is given at most {@code maxChats} chats at once. Outside the {@code calendar}'s hours customers
   * leave a message; at {@code digestAt} on working days supervisors (and the {@code managerOpenid}, on WeChat) get
   * the digest of major complaints and open tickets, and the manager is told of each major complaint at once. A chat
   * quiet for {@code chatIdleTimeout} is closed; a customer waiting longer than {@code maxWait} is offered to keep
   * waiting or to be called back.
   */
  public record Desk(Duration sessionIdleTimeout, int loginAttempts, int maxChats, BusinessCalendar calendar,
      LocalTime digestAt, Optional<String> managerOpenid, Duration chatIdleTimeout, Duration maxWait) {

    /** This section with another limit of chats per agent. */
    public Desk withMaxChats(int other) {
      return new Desk(sessionIdleTimeout, loginAttempts, other, calendar, digestAt, managerOpenid, chatIdleTimeout, maxWait);
    }

    /** This section with another calendar. */
    public Desk withCalendar(BusinessCalendar other) {
      return new Desk(sessionIdleTimeout, loginAttempts, maxChats, other, digestAt, managerOpenid, chatIdleTimeout, maxWait);
    }

    /** This section with a manager told of major complaints and sent the digest. */
    public Desk withManager(String openid) {
      return new Desk(sessionIdleTimeout, loginAttempts, maxChats, calendar, digestAt, Optional.of(openid), chatIdleTimeout, maxWait);
    }
  }

  /**
   * Follow-up journeys: no step reaches a customer within the {@code quiet} hours or the {@code lunchRest} (in the
   * desk's zone), and a step more than {@code maxLateness} late is not sent at all. A call task whose customer does
   * not answer comes back later the same day, up to {@code callRetries} times; a survey in the chat left unanswered
   * for {@code surveyExpiry} ends, its answers so far kept.
   *
   * @param subscribeTemplate the one-time subscription notice (订阅通知) customers are asked to allow, and follow-ups
   *     outside the 48-hour window go as while they have an unused "Allow"; empty: none
   * @param consentUrl where customers open kefu's consent page ({@code /subscribe}) from WeChat, for the offer in
   *     follow-up messages; empty: offered in the account's menu only
   */
  public record Journey(Rest quiet, Optional<Rest> lunchRest, Duration maxLateness, int callRetries, Duration surveyExpiry,
      Optional<String> subscribeTemplate, Optional<String> consentUrl) {
    /**
     * The defaults: quiet 21:00–09:00, no lunch rest, 12 hours' lateness at most, two more tries of a call, a survey
     * open for 24 hours, no subscription notice.
     */
    public static final Journey DEFAULTS = new Journey(new Rest(LocalTime.of(21, 0), LocalTime.of(9, 0)), Optional.empty(),
        Duration.ofHours(12), 2, Duration.ofHours(24), Optional.empty(), Optional.empty());

    /** These settings with {@code templateId} as the subscription notice. */
    public Journey withSubscribeTemplate(String templateId) {
      return new Journey(quiet, lunchRest, maxLateness, callRetries, surveyExpiry, Optional.of(templateId), consentUrl);
    }
  }

  /** A daily rest from {@code from} to {@code until}, across midnight when {@code until} is earlier. */
  public record Rest(LocalTime from, LocalTime until) {
    public Rest {
      if (from.equals(until)) {
        throw new IllegalArgumentException("a rest must end at another time than it starts");
      }
    }

    /** Whether {@code time} falls within the rest. */
    public boolean contains(LocalTime time) {
      return from.isBefore(until) ? !time.isBefore(from) && time.isBefore(until) : !time.isBefore(from) || time.isBefore(until);
    }
  }

  /** The SQL store; {@link #toString()} hides the password. */
  public record Db(String url, String user, String password, int poolSize, int writers) {
    /** Whether this is the embedded H2 database rather than a server. */
    public boolean embedded() {
      return url.startsWith("jdbc:h2:");
    }

    @Override
    public String toString() {
      return "Db[" + (embedded() ? url : url.replaceAll("\\?.*", "?…")) + ", user=" + user + ", pool=" + poolSize + ", writers=" + writers + "]";
    }
  }

  /** The Redis server; the URL carries the password, and {@link #toString()} hides it. */
  public record Redis(URI url, String prefix) {
    @Override
    public String toString() {
      return "Redis[" + url.getHost() + ":" + url.getPort() + ", prefix=" + prefix + "]";
    }
  }
}
