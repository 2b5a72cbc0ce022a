package kefu.desk;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import kefu.store.Coordination;
import kefu.store.Database;
import kefu.store.RateLimit;
import kefu.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' console under {@code /desk}: login and logout, the session every other page needs, the CSRF token
 * every form post must carry, and the queue of customers waiting for a person.
 */
public final class DeskConsole {
  private static final Logger log = LoggerFactory.getLogger(DeskConsole.class);
  static final String COOKIE = "kefu_desk";
  private static final String SESSION = "kefu.desk.session";
  private static final Duration ATTEMPT_WINDOW = Duration.ofMinutes(15);
  private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("MM-dd HH:mm");

  private final Vertx vertx;
  private final Database database;
  private final Coordination coordination;
  private final Pages pages;
  private final AgentSessions sessions;
  private final AgentRepository agents = new AgentRepository();
  private final TicketRepository tickets = new TicketRepository();
  private final Passwords passwords = new Passwords();
  /** Password checks are slow on purpose; two at a time keep a burst of logins from taking every worker. */
  private final WorkerExecutor checks;
  private final RateLimit perLogin;
  private final RateLimit perAddress;
  private final boolean secureCookie;
  private final Clock clock;
  /** Checked when the login is unknown, so that a wrong login takes as long as a wrong password; made on first use. */
  private volatile String decoyHash;

  public DeskConsole(Vertx vertx, Database database, Coordination coordination, Pages pages, Duration idleTimeout,
      int loginAttempts, boolean secureCookie, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.coordination = coordination;
    this.pages = pages;
    this.sessions = new AgentSessions(idleTimeout);
    this.checks = vertx.createSharedWorkerExecutor("kefu-desk-login", 2);
    this.perLogin = new RateLimit(loginAttempts, ATTEMPT_WINDOW);
    this.perAddress = new RateLimit(loginAttempts * 4, ATTEMPT_WINDOW);
    this.secureCookie = secureCookie;
    this.clock = clock;
  }

  public void routes(Router router) {
    router.get("/desk/assets/*").handler(StaticHandler.create("kefu/desk").setCachingEnabled(false));
    router.get("/desk/login").handler(ctx -> page(ctx, 200, "desk/login", loginModel(null, "")));
    router.post("/desk/login").handler(this::login);
    router.route("/desk*").handler(this::requireSession);
    router.post("/desk*").handler(this::requireCsrf);
    router.post("/desk/logout").handler(this::logout);
    router.get("/desk").handler(this::queue);
  }

  private void login(RoutingContext ctx) {
    String login = Optional.ofNullable(ctx.request().getFormAttribute("login")).orElse("").trim();
    String password = Optional.ofNullable(ctx.request().getFormAttribute("password")).orElse("");
    String address = ctx.request().remoteAddress().hostAddress();
    checks.executeBlocking(() -> {
      if (!coordination.tryAcquire("desk-login:" + login, perLogin) || !coordination.tryAcquire("desk-login-from:" + address, perAddress)) {
        log.warn("Desk: too many login attempts for one login or from {}; refused for now", address);
        return new LoginResult(Outcome.LIMITED, null);
      }
      Optional<AgentRepository.Credentials> found = database.inTransaction(c -> agents.byLogin(c, login));
      boolean matches = passwords.matches(found.map(AgentRepository.Credentials::passwordHash).orElseGet(this::decoyHash), password);
      if (found.isEmpty() || !matches || !found.get().agent().active()) {
        log.info("Desk: a login failed (from {})", address);
        return new LoginResult(Outcome.WRONG, null);
      }
      AgentSessions.Opened opened = database.inTransaction(c -> sessions.open(c, found.get().agent(), clock.instant()));
      log.info("Desk: Agent#{} logged in", found.get().agent().id());
      return new LoginResult(Outcome.IN, opened.token());
    }, false).onSuccess(result -> {
      if (result.outcome() == Outcome.IN) {
        // A browser-session cookie: the server ends the session when idle, the browser when it closes.
        ctx.response().addCookie(cookie(result.token()));
        redirect(ctx, "/desk");
      } else if (result.outcome() == Outcome.LIMITED) {
        page(ctx, 429, "desk/login", loginModel("登录尝试次数过多,请15分钟后再试。", login));
      } else {
        page(ctx, 401, "desk/login", loginModel("账号或密码不正确,请重新输入。", login));
      }
    }).onFailure(ctx::fail);
  }

  private String decoyHash() {
    if (decoyHash == null) {
      decoyHash = passwords.hash("a decoy, never anyone's password");
    }
    return decoyHash;
  }

  private enum Outcome { IN, WRONG, LIMITED }

  /** A login's outcome, with the new session's token when it succeeded. */
  private record LoginResult(Outcome outcome, String token) {}

  private void requireSession(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie == null) {
      refuse(ctx);
      return;
    }
    database.transaction(c -> sessions.find(c, cookie.getValue(), clock.instant())).onSuccess(session -> {
      if (session.isEmpty()) {
        refuse(ctx);
      } else {
        ctx.put(SESSION, session.get());
        ctx.next();
      }
    }).onFailure(ctx::fail);
  }

  /** A page asked for without a session goes to the login; a post without one is refused. */
  private static void refuse(RoutingContext ctx) {
    if ("GET".equals(ctx.request().method().name())) {
      redirect(ctx, "/desk/login");
    } else {
      ctx.fail(403);
    }
  }

  private void requireCsrf(RoutingContext ctx) {
    AgentSessions.Session session = ctx.get(SESSION);
    String given = Optional.ofNullable(ctx.request().getFormAttribute("_csrf")).orElse(ctx.request().getHeader("X-CSRF-Token"));
    if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
      log.warn("Desk: a form post for Agent#{} without the session's CSRF token was refused", session.agent().id());
      ctx.fail(403);
      return;
    }
    ctx.next();
  }

  private void logout(RoutingContext ctx) {
    String token = ctx.request().getCookie(COOKIE).getValue();
    database.transaction(c -> {
      sessions.close(c, token);
      return null;
    }).onSuccess(done -> {
      ctx.response().addCookie(cookie("").setMaxAge(0));
      redirect(ctx, "/desk/login");
    }).onFailure(ctx::fail);
  }

  private void queue(RoutingContext ctx) {
    AgentSessions.Session session = ctx.get(SESSION);
    database.transaction(tickets::waiting).onSuccess(waiting -> {
      Instant now = clock.instant();
      Map<String, Object> model = sessionModel(session);
      model.put("tickets", waiting.stream().map(t -> new QueueRow(t.id(), key(t.kind()), key(t.reason()), t.customerId(),
          t.createdAt().toString(), SHOWN.format(t.createdAt().atZone(ZoneId.systemDefault())),
          Duration.between(t.createdAt(), now).toMinutes())).toList());
      page(ctx, 200, "desk/queue", model);
    }).onFailure(ctx::fail);
  }

  /** A waiting ticket as the queue shows it. */
  public record QueueRow(long id, String kind, String reason, long customerId, String since, String sinceShown, long waitingMinutes) {}

  private static Map<String, Object> sessionModel(AgentSessions.Session session) {
    Map<String, Object> model = new HashMap<>();
    model.put("agent", session.agent());
    model.put("role", session.agent().role().key());
    model.put("csrf", session.csrfToken());
    return model;
  }

  private static Map<String, Object> loginModel(String error, String login) {
    Map<String, Object> model = new HashMap<>();
    model.put("error", error);
    model.put("login", login);
    return model;
  }

  private void page(RoutingContext ctx, int status, String name, Map<String, Object> model) {
    vertx.executeBlocking(() -> pages.render(name, model), false).onSuccess(html -> ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Frame-Options", "DENY")
        .end(html)).onFailure(ctx::fail);
  }

  private Cookie cookie(String value) {
    return Cookie.cookie(COOKIE, value).setPath("/desk").setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setSecure(secureCookie);
  }

  private static void redirect(RoutingContext ctx, String to) {
    ctx.response().setStatusCode(303).putHeader("Location", to).end();
  }

  private static String key(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  public void close() {
    checks.close();
  }
}
