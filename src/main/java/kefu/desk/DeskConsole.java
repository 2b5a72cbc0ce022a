package kefu.desk;

import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import kefu.config.KefuConfig;
import kefu.conversation.Delivery;
import kefu.gaps.BotFigures;
import kefu.gaps.ConsoleEdits;
import kefu.kb.FaqEngine;
import kefu.kb.QuestionClusters;
import kefu.report.Reports;
import kefu.store.Coordination;
import kefu.store.Database;
import kefu.store.RateLimit;
import kefu.template.Templates;
import kefu.ticket.TicketClosings;
import kefu.ticket.TicketEvents;
import kefu.web.ClientAddress;
import kefu.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' console under {@code /desk}: login and logout, the session every other page needs, the CSRF token
 * every form post must carry, and the live connection over which consoles hear of changes; the chat pages are
 * {@link QueueRoutes}, {@link ChatPaneRoutes}, {@link ChatActionRoutes}, {@link CustomerFileRoutes} and
 * {@link ComplaintRoutes}; the reports {@link ReportRoutes}; the first admin's setup {@link DeskSetup}.
 */
public final class DeskConsole {
  private static final Logger log = LoggerFactory.getLogger(DeskConsole.class);
  static final String COOKIE = "kefu_desk";
  /** Carries the login form's CSRF token, before there is a session. */
  private static final String LOGIN_COOKIE = "kefu_login";
  private static final String SESSION = "kefu.desk.session";
  private static final Duration ATTEMPT_WINDOW = Duration.ofMinutes(15);
  /**
   * What the console's responses allow the browser: scripts, styles and connections from kefu itself only (no inline
   * script, no inline style), no framing, no plugins, forms posted to kefu only.
   */
  private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
      + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

  private final Vertx vertx;
  private final Database database;
  private final Coordination coordination;
  private final DeskPages pages;
  private final List<Consumer<Router>> chatRoutes;
  private final GapRoutes gaps;
  private final DeskLive live;
  private final Dispatcher dispatcher;
  private final TicketEvents events;
  private final FeedbackComplaints feedback;
  private final long minuteTimer;
  /** How often the console's clockwork runs: the digest goes out within a minute of desk.digest-at. */
  private static final long MINUTE_MILLIS = 60_000;
  private final AgentSessions sessions;
  private final AgentRepository agents = new AgentRepository();
  private final Passwords passwords = new Passwords();
  /** Password checks are slow on purpose; two at a time keep a burst of logins from taking every worker. */
  private final WorkerExecutor checks;
  private final RateLimit perLoginAndAddress;
  private final RateLimit loginsPerAddress;
  private final ClientAddress clientAddress;
  private final FormToken loginForm;
  private final DeskSetup setup;
  private final boolean secureCookie;
  private final Clock clock;
  /** Checked when the login is unknown, so that a wrong login takes as long as a wrong password; made on first use. */
  private volatile String decoyHash;

  /**
   * @param delivery how agents' messages reach customers
   * @param faq the knowledge base, for answer assist and to show supervisors its broken files
   * @param clusters groups the questions the knowledge base lacks by meaning, for the supervisors' page of them
   * @param edits how the knowledge-base edits made there reach every node
   * @param figures the bot's figures of the last days, for that page
   * @param reports the weekly and monthly reports, for the supervisors' pages of them
   * @param clientAddress where a login comes from, for limiting failed ones
   * @param closings told of each ticket a chat's end closes (the customers' own milestones)
   * @throws kefu.template.TemplateException if a line the chats need is missing from {@code templates/}
   */
  public DeskConsole(Vertx vertx, Database database, Coordination coordination, Pages pages, Templates templates,
      Delivery delivery, FaqEngine faq, QuestionClusters clusters, ConsoleEdits edits, BotFigures figures,
      Reports reports, KefuConfig.Desk config, MeterRegistry registry, ClientAddress clientAddress, boolean secureCookie,
      TicketClosings closings, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.coordination = coordination;
    this.pages = new DeskPages(vertx, pages);
    this.events = new TicketEvents(coordination);
    Chats chats = new Chats(templates, delivery, config.managerOpenid(), closings);
    TicketAccess access = new TicketAccess(database);
    AfterCommit after = new AfterCommit(vertx, delivery, events);
    LocalTimes times = new LocalTimes(config.calendar().zone());
    ChatPaneRoutes pane = new ChatPaneRoutes(vertx, this.pages, chats, delivery, access, faq, times, clock);
    this.gaps = new GapRoutes(vertx, database, this.pages, faq, clusters, edits, figures, times, clock);
    this.chatRoutes = List.of(
        new QueueRoutes(database, this.pages, chats, delivery, events, after, config.maxChats(), times, faq, reports, clock)::routes,
        pane::routes,
        new ChatActionRoutes(chats, delivery, events, access, after, faq, clock)::routes,
        new CustomerFileRoutes(pane, access, clock)::routes,
        new ComplaintRoutes(chats, access, after, delivery, events, times, clock)::routes,
        gaps::routes,
        new ReportRoutes(vertx, database, this.pages, templates, reports, times, clock)::routes,
        new RatingRoutes(database, this.pages, times, clock)::routes);
    this.live = new DeskLive(vertx, events);
    this.dispatcher = new Dispatcher(vertx, database, new Assigner(chats, config.maxChats(), config.sessionIdleTimeout()),
        chats, config, new DeskGauges(registry, config), delivery, events, clock);
    Digest digest = new Digest(templates, chats, config.calendar(), config.digestAt(), config.managerOpenid());
    this.feedback = new FeedbackComplaints(templates, chats, config.calendar(), config.managerOpenid(), events);
    this.minuteTimer = vertx.setPeriodic(MINUTE_MILLIS, tick -> everyMinute(digest, delivery));
    this.sessions = new AgentSessions(config.sessionIdleTimeout());
    this.checks = vertx.createSharedWorkerExecutor("kefu-desk-login", 2);
    // The failure that finds the bucket empty is the last one allowed: a bucket one smaller than the attempts.
    this.perLoginAndAddress = new RateLimit(config.loginAttempts() - 1, ATTEMPT_WINDOW);
    this.loginsPerAddress = new RateLimit(config.loginAttempts() * 4 - 1, ATTEMPT_WINDOW);
    this.clientAddress = clientAddress;
    this.secureCookie = secureCookie;
    this.clock = clock;
    this.loginForm = new FormToken(LOGIN_COOKIE, "/desk/login", secureCookie);
    this.setup = new DeskSetup(database, this.pages, checks, sessions, secureCookie, this::cookie, clock);
  }

  public void routes(Router router) {
    router.route("/desk*").handler(DeskConsole::policy);
    router.get("/desk/assets/*").handler(StaticHandler.create("kefu/desk").setCachingEnabled(false));
    router.get("/desk/login").handler(ctx -> sendLogin(ctx, 200, null, ""));
    router.post("/desk/login").handler(this::login);
    setup.routes(router);
    router.get("/desk/live").handler(this::live);
    router.route("/desk*").handler(this::requireSession);
    router.post("/desk*").handler(this::requireCsrf);
    router.post("/desk/logout").handler(this::logout);
    router.post("/desk/presence").handler(this::presence);
    chatRoutes.forEach(routes -> routes.accept(router));
    new AgentRoutes(database, pages, checks, clock).routes(router);
  }

  /**
   * Logs the link to the first admin's setup page if the desk has no user yet. Blocks on the database: call it from
   * the thread that starts the node, once it serves.
   *
   * @param port the port this node serves on, for the link
   * @throws kefu.store.StoreException if the database cannot tell whether the desk has users
   */
  public void offerSetup(int port) {
    setup.offer(port);
  }

  /** Every console response, pages and parts and errors alike, under the console's policy. */
  private static void policy(RoutingContext ctx) {
    ctx.response().putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY).putHeader("X-Frame-Options", "DENY");
    ctx.next();
  }

  /** The session of the agent making the request, on every route after the session check. */
  static AgentSessions.Session session(RoutingContext ctx) {
    return ctx.get(SESSION);
  }

  private void login(RoutingContext ctx) {
    // The login form's own CSRF token: another site cannot log a browser in to an account of its own.
    if (!loginForm.carried(ctx)) {
      log.warn("Desk: a login post without the login form's token was refused");
      ctx.fail(403);
      return;
    }
    String login = Optional.ofNullable(ctx.request().getFormAttribute("login")).orElse("").trim();
    String password = Optional.ofNullable(ctx.request().getFormAttribute("password")).orElse("");
    String address = clientAddress.of(ctx.request());
    // The login as typed may be anything up to the body limit: keys carry its hash.
    String loginFromAddress = "desk-login:" + address + "/" + AgentSessions.hash(login);
    String fromAddress = "desk-login-from:" + address;
    checks.executeBlocking(() -> {
      if (blocked(loginFromAddress) || blocked(fromAddress)) {
        log.warn("Desk: too many failed logins for one login from {}, or with many logins from it; refused there for now", address);
        return new LoginResult(Outcome.LIMITED, null);
      }
      Optional<AgentRepository.Credentials> found = database.inTransaction(c -> agents.byLogin(c, login));
      boolean matches = passwords.matches(found.map(AgentRepository.Credentials::passwordHash).orElseGet(this::decoyHash), password);
      if (found.isEmpty() || !matches || !found.get().agent().active()) {
        log.info("Desk: a login failed (from {})", address);
        failed(loginFromAddress, perLoginAndAddress);
        // The address is charged once per login it fails with: guessing at many accounts, not one person mistyping.
        if (coordination.setIfAbsent(loginFromAddress + ":tried", "1", ATTEMPT_WINDOW)) {
          failed(fromAddress, loginsPerAddress);
        }
        return new LoginResult(Outcome.WRONG, null);
      }
      AgentSessions.Opened opened = database.inTransaction(c -> sessions.open(c, found.get().agent(), clock.instant()));
      log.info("Desk: Agent#{} logged in", found.get().agent().id());
      return new LoginResult(Outcome.IN, opened.token());
    }, false).onSuccess(result -> {
      if (result.outcome() == Outcome.IN) {
        // A browser-session cookie: the server ends the session when idle, the browser when it closes.
        ctx.response().addCookie(cookie(result.token()));
        DeskPages.redirect(ctx, "/desk");
      } else if (result.outcome() == Outcome.LIMITED) {
        sendLogin(ctx, 429, "limited", login);
      } else {
        sendLogin(ctx, 401, "wrong", login);
      }
    }).onFailure(ctx::fail);
  }

  /**
   * Only failures count: a whole office behind one address logs in every morning, and an agent may open the console
   * on several devices. Failures lock one login at one address, never the login everywhere (anyone could lock an
   * agent out) nor the address for everyone (one person mistyping would lock out the office behind it).
   */
  private boolean blocked(String key) {
    return coordination.get(key + ":blocked").isPresent();
  }

  /** Counts a failed login under {@code key}; once {@code limit} is used up, further tries are refused for the window. */
  private void failed(String key, RateLimit limit) {
    if (!coordination.tryAcquire(key, limit)) {
      coordination.set(key + ":blocked", "1", ATTEMPT_WINDOW);
    }
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

  /** Where return visits' complaints go: the queue, with the one-working-day promise and the manager after two. */
  public FeedbackComplaints feedback() {
    return feedback;
  }

  /** What the minute's clockwork did: the digest made, if it was due, and the return-visit complaints reported. */
  private record Minute(Optional<String> digest, List<Long> escalated) {}

  /**
   * Makes the day's digest when it is due, reports overdue return-visit complaints to the manager, and forgets sessions
   * that ended idle (their cookies may never return).
   */
  private void everyMinute(Digest digest, Delivery delivery) {
    database.transaction(c -> {
      sessions.purge(c, clock.instant());
      return new Minute(digest.makeIfDue(c, clock.instant()), feedback.escalateDue(c, clock.instant()));
    }).compose(minute -> vertx.executeBlocking(() -> {
      if (minute.digest().isPresent()) {
        log.info("Desk: the day's digest is made");
      }
      if (!minute.escalated().isEmpty()) {
        log.info("Desk: {} return-visit complaints still open after two working days went to the manager", minute.escalated().size());
        feedback.reported(minute.escalated());
      }
      if (minute.digest().isPresent() || !minute.escalated().isEmpty()) {
        delivery.wake();
        events.queueChanged();
      }
      return minute;
    }, false)).onFailure(e -> log.warn("Desk: the day's digest and overdue complaints were not seen to this time: {}", e.getMessage()));
  }

  /** The console's socket checks the session itself: see {@link DeskLive#connect}. */
  private void live(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie == null) {
      ctx.fail(403);
      return;
    }
    live.connect(ctx, database.transaction(c -> sessions.find(c, cookie.getValue(), clock.instant()))
        .map(session -> session.map(AgentSessions.Session::agent)));
  }

  private void requireSession(RoutingContext ctx) {
    Cookie cookie = ctx.request().getCookie(COOKIE);
    if (cookie == null) {
      refuse(ctx);
      return;
    }
    database.transaction(c -> sessions.find(c, cookie.getValue(), clock.instant())).onSuccess(session -> {
      if (session.isEmpty()) {
        refuse(ctx);
      } else if (session.get().agent().role() == Agent.Role.MARKETING && !forMarketing(ctx.request().path())) {
        // Marketing staff see campaigns and greetings, never customers' chats: the console opens on campaigns.
        if (ctx.request().path().equals("/desk") || ctx.request().path().equals("/desk/")) {
          DeskPages.redirect(ctx, "/desk/campaigns");
        } else {
          ctx.fail(404);
        }
      } else {
        ctx.put(SESSION, session.get());
        ctx.next();
      }
    }).onFailure(ctx::fail);
  }

  /** The console's paths open to the marketing role. */
  private static boolean forMarketing(String path) {
    return path.equals("/desk/campaigns") || path.startsWith("/desk/campaigns/") || path.equals("/desk/greetings")
        || path.equals("/desk/logout");
  }

  /** A page asked for without a session goes to the login; a post without one is refused. */
  private static void refuse(RoutingContext ctx) {
    if ("GET".equals(ctx.request().method().name())) {
      DeskPages.redirect(ctx, "/desk/login");
    } else {
      ctx.fail(403);
    }
  }

  private void requireCsrf(RoutingContext ctx) {
    AgentSessions.Session session = session(ctx);
    String given = Optional.ofNullable(ctx.request().getFormAttribute("_csrf")).orElse(ctx.request().getHeader("X-CSRF-Token"));
    if (given == null || !sameToken(given, session.csrfToken())) {
      log.warn("Desk: a form post for Agent#{} without the session's CSRF token was refused", session.agent().id());
      ctx.fail(403);
      return;
    }
    ctx.next();
  }

  /** The agent says whether they take chats now; coming online may bring them waiting customers at once. */
  private void presence(RoutingContext ctx) {
    Agent me = session(ctx).agent();
    Agent.Presence presence;
    try {
      presence = Agent.Presence.of(Optional.ofNullable(ctx.request().getFormAttribute("presence")).orElse(""));
    } catch (IllegalArgumentException e) {
      ctx.fail(400);
      return;
    }
    database.transaction(c -> {
      agents.setPresence(c, me.id(), presence);
      return presence;
    }).compose(set -> vertx.executeBlocking(() -> {
      events.queueChanged();
      return set;
    }, false)).onSuccess(set -> DeskPages.redirect(ctx, "/desk")).onFailure(ctx::fail);
  }

  /** Compared in constant time, so that the answer's timing tells nothing of the token. */
  static boolean sameToken(String given, String expected) {
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
  }

  /** Logging out also takes the agent offline: nobody is at the console to take chats. */
  private void logout(RoutingContext ctx) {
    String token = ctx.request().getCookie(COOKIE).getValue();
    long agentId = session(ctx).agent().id();
    database.transaction(c -> {
      sessions.close(c, token);
      agents.setPresence(c, agentId, Agent.Presence.OFFLINE);
      return null;
    }).onSuccess(done -> {
      ctx.response().addCookie(cookie("").setMaxAge(0));
      DeskPages.redirect(ctx, "/desk/login");
    }).onFailure(ctx::fail);
  }

  /**
   * The login page, with the form's token; while the desk has no user it points the visitor to the setup link in
   * the log, as nobody can log in yet; {@code error} is why the last try failed (limited, wrong), or null.
   */
  private void sendLogin(RoutingContext ctx, int status, String error, String login) {
    database.transaction(agents::none).onSuccess(none -> {
      Map<String, Object> model = new HashMap<>();
      model.put("csrf", loginForm.issue(ctx));
      model.put("error", error);
      model.put("login", login);
      model.put("firstRun", none);
      pages.send(ctx, status, "desk/login", model);
    }).onFailure(ctx::fail);
  }

  private Cookie cookie(String value) {
    return Cookie.cookie(COOKIE, value).setPath("/desk").setHttpOnly(true).setSameSite(CookieSameSite.STRICT).setSecure(secureCookie);
  }


  public void close() {
    vertx.cancelTimer(minuteTimer);
    dispatcher.close();
    live.close();
    checks.close();
    gaps.close();
  }
}
