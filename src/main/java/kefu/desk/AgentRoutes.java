package kefu.desk;

import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import kefu.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin's page of desk users at {@code /desk/agents}: who works the desk, adding agents and supervisors, stopping them. */
final class AgentRoutes {
  private static final Logger log = LoggerFactory.getLogger(AgentRoutes.class);

  private final Database database;
  private final DeskPages pages;
  private final WorkerExecutor checks;
  private final Clock clock;
  private final AgentRepository agents = new AgentRepository();
  private final Passwords passwords = new Passwords();

  /** @param checks where passwords are hashed: slow on purpose, off the database's workers */
  AgentRoutes(Database database, DeskPages pages, WorkerExecutor checks, Clock clock) {
    this.database = database;
    this.pages = pages;
    this.checks = checks;
    this.clock = clock;
  }

  /** Adds the routes; the console's session and CSRF checks must come first. */
  void routes(Router router) {
    router.route("/desk/agents*").handler(AgentRoutes::adminOnly);
    router.get("/desk/agents").handler(ctx -> list(ctx, 200, Optional.empty()));
    router.post("/desk/agents").handler(this::add);
    router.post("/desk/agents/:id/active").handler(this::setActive);
  }

  /** Only admins manage users; to anyone else the page does not exist. */
  private static void adminOnly(RoutingContext ctx) {
    if (DeskConsole.session(ctx).agent().role() != Agent.Role.ADMIN) {
      ctx.fail(404);
      return;
    }
    ctx.next();
  }

  private void list(RoutingContext ctx, int status, Optional<String> problem) {
    database.transaction(agents::all).onSuccess(all -> {
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("agents", all);
      model.put("problem", problem.orElse(""));
      model.put("minPassword", Passwords.MIN_LENGTH);
      pages.send(ctx, status, "desk/agents", model);
    }).onFailure(ctx::fail);
  }

  private void add(RoutingContext ctx) {
    String login = DeskPages.field(ctx, "login");
    String name = DeskPages.field(ctx, "name");
    String password = Optional.ofNullable(ctx.request().getFormAttribute("password")).orElse("");
    Optional<Agent.Role> role = Arrays.stream(Agent.Role.values()).filter(r -> r.key().equals(DeskPages.field(ctx, "role"))).findFirst();
    Optional<String> problem = role.isEmpty() ? Optional.of("role") : problem(login, name, password);
    if (problem.isPresent()) {
      list(ctx, 400, problem);
      return;
    }
    Agent admin = DeskConsole.session(ctx).agent();
    checks.executeBlocking(() -> passwords.hash(password), false)
        .compose(hash -> database.transaction(c -> agents.add(c, login, name.strip(), role.get(), hash, clock.instant())))
        .onSuccess(added -> {
          if (added.isEmpty()) {
            list(ctx, 409, Optional.of("taken"));
          } else {
            log.info("Desk: Agent#{} added Agent#{} ({})", admin.id(), added.get().id(), role.get().key());
            DeskPages.redirect(ctx, "/desk/agents");
          }
        }).onFailure(ctx::fail);
  }

  /**
   * What is wrong with a new user's form, as the page names it ({@code login}, {@code name}, {@code password}):
   * the rules of {@code kefu user add}, for every form that makes a user.
   */
  static Optional<String> problem(String login, String name, String password) {
    return !Agent.isLogin(login) ? Optional.of("login")
        : !Agent.isName(name) ? Optional.of("name")
        : Passwords.weakness(password) != null ? Optional.of("password") : Optional.empty();
  }

  private void setActive(RoutingContext ctx) {
    Agent admin = DeskConsole.session(ctx).agent();
    long id;
    try {
      id = Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      ctx.fail(404);
      return;
    }
    boolean active = "true".equals(ctx.request().getFormAttribute("active"));
    if (id == admin.id()) {
      ctx.fail(400); // an admin cannot lock themselves out
      return;
    }
    database.transaction(c -> {
      if (agents.all(c).stream().noneMatch(a -> a.id() == id)) {
        throw new HttpException(404);
      }
      agents.setActive(c, id, active);
      return null;
    }).onSuccess(done -> {
      log.info("Desk: Agent#{} {} Agent#{}", admin.id(), active ? "reactivated" : "stopped", id);
      DeskPages.redirect(ctx, "/desk/agents");
    }).onFailure(ctx::fail);
  }
}
