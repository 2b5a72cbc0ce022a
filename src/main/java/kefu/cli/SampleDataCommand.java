package kefu.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Callable;
import kefu.App;
import kefu.config.ConfigException;
import kefu.config.KefuConfig;
import kefu.store.Database;
import kefu.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kefu sample-data}: fills a new database with the sample desk ({@link SampleDesk}), dated from today, so that
 * someone trying kefu sees last week's and last month's reports with something in them. Refused in production mode and
 * on a database already in use, so it never mixes with a business's own data.
 */
@Command(
    name = "sample-data",
    mixinStandardHelpOptions = true,
    description = {
        "Fill a NEW database with sample data to try kefu out: nine weeks of an equipment desk up to yesterday (agents",
        "rated, complaints, the bot's questions, follow-ups) and a supervisor login, so that the reports have something",
        "to show. Every name says 示例 and every openid starts o-sample-. Run it before the first start, on a new data.dir.",
        "Exit 0 when loaded, 1 if the database failed, 2 if refused (production mode, a database in use, a bad configuration)."})
public final class SampleDataCommand implements Callable<Integer> {
  static final int LOADED = 0;
  static final int FAILED = 1;
  static final int REFUSED = 2;

  @Mixin
  ConfigFile configFile;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    KefuConfig config;
    try {
      config = configFile.load();
    } catch (ConfigException e) {
      err.println("kefu: configuration error: " + e.getMessage());
      return REFUSED;
    }
    if (config.mode() == KefuConfig.Mode.PRODUCTION) {
      err.println("sample-data: refused in production mode: sample data is for trying kefu out, never for a business's own database");
      return REFUSED;
    }
    Vertx vertx = Vertx.vertx();
    try (Database database = Database.open(config.db(), vertx, new SimpleMeterRegistry())) {
      SampleDesk desk = new SampleDesk(config.desk().calendar().zone(), App.clock(config).instant());
      Optional<SampleDesk.Loaded> loaded = database.inTransaction(c -> SampleDesk.isNew(c) ? Optional.of(desk.load(c)) : Optional.empty());
      if (loaded.isEmpty()) {
        err.println("sample-data: refused: the database is in use (it has users, customers, records or reports);"
            + " sample data goes only into a new one: point data.dir (KEFU_DATA_DIR) at a new directory, or db.url at an empty database");
        return REFUSED;
      }
      SampleDesk.Loaded l = loaded.get();
      out.println("Sample data loaded, " + l.first() + " to " + l.last() + ": " + Counts.of(l.tickets(), "ticket", "tickets") + ", "
          + Counts.of(l.ratings(), "rating", "ratings") + ", " + Counts.of(l.complaints(), "complaint", "complaints") + ", "
          + Counts.of(l.questions(), "bot question", "bot questions") + ", " + Counts.of(l.visits(), "follow-up", "follow-ups") + ".");
      out.println("It is sample data: every name says 示例 and every openid starts o-sample-; use this database only to try kefu out.");
      out.println("Console login (shown only now): " + SampleDesk.SUPERVISOR + " / " + l.password() + " (a supervisor)");
      out.println("The sample's manager is " + SampleDesk.MANAGER + ", who wrote just now: start within 48 hours with"
          + " KEFU_DESK_MANAGER_OPENID=" + SampleDesk.MANAGER + " and the reports made at start reach them in the simulator.");
      return LOADED;
    } catch (SQLException | StoreException e) {
      err.println("sample-data: the database failed: " + e.getMessage());
      err.println("sample-data: nothing loaded");
      return FAILED;
    } finally {
      vertx.close().await();
    }
  }
}
