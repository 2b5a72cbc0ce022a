package kefu.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import kefu.App;
import kefu.config.ConfigException;
import kefu.config.KefuConfig;
import kefu.customer.CustomerImport;
import kefu.customer.CustomerRecords;
import kefu.customer.MilestoneChanges;
import kefu.store.Database;
import kefu.store.StoreException;
import kefu.table.Table;
import kefu.table.TableException;
import kefu.table.TableReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kefu customer-import FILE}: the business's customer list into customer records and their milestones. */
@Command(
    name = "customer-import",
    mixinStandardHelpOptions = true,
    description = {
        "Import customer records from a CSV (UTF-8 or GBK) or XLSX file: 票单号 and the manuals' columns",
        "(客户姓名, 电话, 生日, 会员, 预约日期 … for the studio; 公司名, 联系人, 型号, 机身号, 购买日期 … for equipment).",
        "The good rows go in together, in one transaction; refused rows are listed with their line and why.",
        "Exit 0 if every row was imported, 1 if rows were refused, 2 if the file cannot be used (nothing imported)."})
public final class CustomerImportCommand implements Callable<Integer> {
  static final int IMPORTED = 0;
  static final int ROWS_REFUSED = 1;
  static final int UNUSABLE = 2;

  @Parameters(paramLabel = "FILE", description = "the CSV or XLSX file")
  Path file;

  @Option(names = "--line", paramLabel = "LINE", description = "studio or equipment: the line of rows without a 业务线 cell")
  String line;

  @Option(names = "--dry-run", description = "check every row and import nothing")
  boolean dryRun;

  @Option(names = "--all-or-nothing", description = "import nothing if any row is refused")
  boolean allOrNothing;

  @Mixin
  ConfigFile configFile;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<String> givenLine = Optional.ofNullable(line).map(l -> CustomerImport.LINES.get(l.strip().toLowerCase(Locale.ROOT)));
    if (line != null && givenLine.isEmpty()) {
      err.println("customer-import: --line: \"" + line + "\" is not studio or equipment");
      return UNUSABLE;
    }
    Table table;
    try {
      table = TableReader.read(file, CustomerImport.COLUMNS);
    } catch (TableException e) {
      err.println("customer-import: " + (e.line() > 0 ? file + ":" + e.line() : file) + ": " + e.getMessage());
      err.println("customer-import: nothing imported");
      return UNUSABLE;
    }
    KefuConfig config;
    try {
      config = configFile.load();
    } catch (ConfigException e) {
      err.println("kefu: configuration error: " + e.getMessage());
      return UNUSABLE;
    }
    Vertx vertx = Vertx.vertx();
    CustomerImport.Report report;
    try (Database database = Database.open(config.db(), vertx, new SimpleMeterRegistry())) {
      report = new CustomerImport(database, new CustomerRecords(MilestoneChanges.NONE), App.clock(config))
          .run(table, givenLine, allOrNothing ? CustomerImport.Mode.ALL_OR_NOTHING : CustomerImport.Mode.VALID_ROWS, dryRun);
    } catch (SQLException | StoreException e) {
      err.println("customer-import: the database failed: " + e.getMessage());
      err.println("customer-import: nothing imported");
      return UNUSABLE;
    } finally {
      vertx.close().await();
    }
    int good = report.rows() - report.refused().size();
    out.println(file + " (" + report.format() + "): " + Counts.of(report.rows(), "row", "rows") + ", " + good + " good, "
        + report.refused().size() + " refused");
    for (Table.Note note : report.notes()) {
      out.println((note.line() > 0 ? file + ":" + note.line() : file) + ": note: " + note.message());
    }
    for (CustomerImport.Refused refused : report.refused()) {
      out.println(file + ":" + refused.line() + ": " + refused.reason());
    }
    if (report.written()) {
      out.println("Imported: " + report.created() + " new, " + report.updated() + " updated, "
          + Counts.of(report.milestones(), "milestone", "milestones") + " set or moved");
    } else {
      out.println(dryRun ? "Dry run: nothing imported" : "Nothing imported");
    }
    return report.refused().isEmpty() ? IMPORTED : ROWS_REFUSED;
  }
}
