package kefu.desk;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import kefu.store.Database;
import kefu.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first admin, made in the browser: a node that starts while the desk has no user logs a one-time link to
 * {@code /desk/setup}, whose form makes an admin and logs them in. Once anyone has a login the page is closed, on
 * every node.
 */
final class DeskSetup {
  private static final Logger log = LoggerFactory.getLogger(DeskSetup.class);
  private static final String PATH = "/desk/setup";

  private final Database database;
  private final DeskPages pages;
  private final WorkerExecutor checks;
  private final AgentSessions sessions;
  private final FormToken form;
  private final Function<String, Cookie> sessionCookie;
  private final Clock clock;
  private final AgentRepository agents = new AgentRepository();
  private final Passwords passwords = new Passwords();
  /** The SHA-256 of this node's link token while the link is offered; null before, and once it has been used. */
  private volatile String tokenHash;

  /**
   * @param checks where passwords are hashed: slow on purpose, off the database's workers
   * @param sessionCookie the console's session cookie carrying a session's token
   */
  DeskSetup(Database database, DeskPages pages, WorkerExecutor checks, AgentSessions sessions, boolean secureCookie,
      Function<String, Cookie> sessionCookie, Clock clock) {
    this.database = database;
    this.pages = pages;
    this.checks = checks;
    this.sessions = sessions;
    this.form = new FormToken("kefu_setup", PATH, secureCookie);
    this.sessionCookie = sessionCookie;
    this.clock = clock;
  }

  /**
   * Logs the link if the desk has no user yet. Blocks on the database: call it from the thread that starts the node.
   *
   * @param port the port this node serves on
   * @throws StoreException if the database cannot tell whether the desk has users
   */
  void offer(int port) {
    try {
      if (!database.inTransaction(agents::none)) {
        return;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot tell whether the desk has users: " + e.getMessage(), e);
    }
    String token = AgentSessions.randomToken();
    tokenHash = AgentSessions.hash(token);
    // The token is a secret, but it opens nothing once the first admin is made, and whoever reads this log runs the
    // node anyway (Jenkins logs its first admin's password the same way).
    log.info("No desk user yet: create the first admin at http://127.0.0.1:{}{}?token={}", port, PATH, token);
  }

  /** Adds the routes; they must come before the console's session check. */
  void routes(Router router) {
    router.get(PATH).handler(this::page);
    router.post(PATH).handler(this::create);
  }

  private void page(RoutingContext ctx) {
    String token = Optional.ofNullable(ctx.request().getParam("token")).orElse("");
    open().onSuccess(open -> {
      if (!open) {
        refuse(ctx, 404, "done");
      } else if (!accepts(token)) {
        refuse(ctx, 403, "invalid");
      } else {
        form(ctx, 200, token, "", "", "");
      }
    }).onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    if (!form.carried(ctx)) {
      log.warn("Desk: a setup post without the setup form's token was refused");
      ctx.fail(403);
      return;
    }
    String token = DeskPages.field(ctx, "token");
    if (tokenHash == null) {
      refuse(ctx, 404, "done");
      return;
    }
    if (!accepts(token)) {
      refuse(ctx, 403, "invalid");
      return;
    }
    String login = DeskPages.field(ctx, "login");
    String name = DeskPages.field(ctx, "name");
    String password = Optional.ofNullable(ctx.request().getFormAttribute("password")).orElse("");
    String again = Optional.ofNullable(ctx.request().getFormAttribute("password-again")).orElse("");
    Optional<String> problem = AgentRoutes.problem(login, name, password)
        .or(() -> password.equals(again) ? Optional.empty() : Optional.of("mismatch"));
    if (problem.isPresent()) {
      form(ctx, 400, token, login, name, problem.get());
      return;
    }
    checks.executeBlocking(() -> passwords.hash(password), false)
        .compose(hash -> database.transaction(c -> {
          Optional<Agent> admin = agents.addFirstAdmin(c, login, name, hash, clock.instant());
          return admin.isPresent() ? Optional.of(sessions.open(c, admin.get(), clock.instant())) : Optional.<AgentSessions.Opened>empty();
        }))
        .onSuccess(opened -> {
          if (opened.isEmpty()) {
            refuse(ctx, 404, "done");
            return;
          }
          tokenHash = null;
          log.info("Desk: Agent#{}, the first admin, was made at {}", opened.get().session().agent().id(), PATH);
          ctx.response().addCookie(sessionCookie.apply(opened.get().token()));
          DeskPages.redirect(ctx, "/desk");
        }).onFailure(ctx::fail);
  }

  /** Whether the link may still be used: offered here, not used here yet, and nobody has a login (made elsewhere). */
  private Future<Boolean> open() {
    return tokenHash == null ? Future.succeededFuture(false) : database.transaction(agents::none);
  }

  private boolean accepts(String token) {
    String expected = tokenHash;
    return expected != null && DeskConsole.sameToken(AgentSessions.hash(token), expected);
  }

  private void form(RoutingContext ctx, int status, String token, String login, String name, String problem) {
    Map<String, Object> model = new HashMap<>();
    model.put("csrf", form.issue(ctx));
    model.put("token", token);
    model.put("login", login);
    model.put("name", name);
    model.put("problem", problem);
    model.put("minPassword", Passwords.MIN_LENGTH);
    pages.send(ctx, status, "desk/setup", model);
  }

  /** Why the link opens nothing: {@code done} (the desk has a user) or {@code invalid} (not this node's link). */
  private void refuse(RoutingContext ctx, int status, String why) {
    pages.send(ctx, status, "desk/setup-refused", Map.of("why", why));
  }
}
