package kefu.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Callable;
import kefu.App;
import kefu.config.ConfigException;
import kefu.config.KefuConfig;
import kefu.desk.Agent;
import kefu.desk.AgentRepository;
import kefu.desk.Passwords;
import kefu.store.Database;
import kefu.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kefu user}: the people who log in to the desk console, for scripts and operators at a terminal (the first
 * admin can also be made in the browser, at the link a node logs while the desk has no user).
 */
@Command(name = "user", mixinStandardHelpOptions = true, subcommands = UserCommand.Add.class,
    description = "Manage the desk console's users (agents, supervisors, admins).")
public final class UserCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code kefu user add}: adds one user to the database the configuration names. */
  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Add a desk console user.",
          "Exit 0 when added, 1 if the login is taken, 2 if an option, the password or the configuration is wrong."})
  static final class Add implements Callable<Integer> {
    @Option(names = "--login", required = true, description = "the login name: 3–64 letters, digits, . _ -")
    String login;

    @Option(names = "--name", required = true, description = "the name shown to colleagues, e.g. 王芳")
    String name;

    @Option(names = "--role", required = true, description = "agent, supervisor, admin or marketing")
    String role;

    @Option(names = "--password", arity = "0..1", fallbackValue = "",
        description = "at least " + Passwords.MIN_LENGTH + " characters; without it, or without a value, it is asked for twice")
    String password;

    @Mixin
    ConfigFile configFile;

    @Spec
    CommandSpec spec;

    /** Standard input when there is no terminal, read line by line: one reader for both answers. */
    private BufferedReader stdin;

    @Override
    public Integer call() {
      Agent.Role parsed;
      try {
        parsed = Agent.Role.of(role);
      } catch (IllegalArgumentException e) {
        return refuse("--role: \"" + role + "\" is not agent, supervisor, admin or marketing");
      }
      if (!Agent.isLogin(login)) {
        return refuse("--login: 3–64 letters, digits, . _ or -");
      }
      if (!Agent.isName(name)) {
        return refuse("--name: 1–64 characters");
      }
      if (password == null || password.isEmpty()) {
        String again;
        try {
          password = ask("Password for " + login + " (at least " + Passwords.MIN_LENGTH + " characters): ");
          again = password == null ? null : ask("The same password again: ");
        } catch (IOException e) {
          return refuse("cannot read the password: " + e.getMessage());
        }
        if (again == null) {
          return refuse("no password given; nothing was stored");
        }
        if (!password.equals(again)) {
          return refuse("the two passwords differ; nothing was stored");
        }
      }
      String weakness = Passwords.weakness(password);
      if (weakness != null) {
        return refuse("--password: " + weakness);
      }
      KefuConfig config;
      try {
        config = configFile.load();
      } catch (ConfigException e) {
        return refuse(e.getMessage());
      }
      String hash = new Passwords().hash(password);
      Vertx vertx = Vertx.vertx();
      try (Database database = Database.open(config.db(), vertx, new SimpleMeterRegistry())) {
        Optional<Agent> added = database.inTransaction(c ->
            new AgentRepository().add(c, login, name.strip(), parsed, hash, App.clock(config).instant()));
        if (added.isEmpty()) {
          spec.commandLine().getErr().println("kefu: the login \"" + login + "\" is taken");
          return 1;
        }
        spec.commandLine().getOut().println("Added " + parsed.key() + " " + login + " (" + name.strip() + ")");
        return 0;
      } catch (SQLException | StoreException e) {
        spec.commandLine().getErr().println("kefu: the database: " + e.getMessage());
        return 1;
      } finally {
        vertx.close().await();
      }
    }

    /**
     * One line typed after {@code prompt}, without echo at a terminal; without one (a pipe) read from standard input.
     * Null at the end of input.
     */
    private String ask(String prompt) throws IOException {
      Console console = System.console();
      if (console != null) {
        char[] typed = console.readPassword("%s", prompt);
        return typed == null ? null : new String(typed);
      }
      if (stdin == null) {
        stdin = new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
      }
      // On standard error: standard output says only what was done.
      spec.commandLine().getErr().print(prompt);
      spec.commandLine().getErr().flush();
      return stdin.readLine();
    }

    private int refuse(String why) {
      spec.commandLine().getErr().println("kefu: " + why);
      return 2;
    }
  }
}
