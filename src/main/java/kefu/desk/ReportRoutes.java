package kefu.desk;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import kefu.report.RatingsCsv;
import kefu.report.Report;
import kefu.report.ReportWorkbook;
import kefu.report.Reports;
import kefu.store.Database;
import kefu.template.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisors' pages of the service reports ({@code /desk/reports}): the list of reports made, one report with
 * its charts (SVG drawn here, so the page needs no script and prints as shown), its ratings as CSV, the whole report
 * as an XLSX workbook, a re-run of its period as a new version; and any range of days computed on the spot with the
 * same page and downloads. Downloads are written to a temporary file as they are read, then sent.
 */
final class ReportRoutes {
  private static final Logger log = LoggerFactory.getLogger(ReportRoutes.class);
  /** The longest range computed on the spot: a year, as the monthly reports compare. */
  static final int MAX_RANGE_DAYS = 366;
  private static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  private final Vertx vertx;
  private final Database database;
  private final DeskPages pages;
  private final Reports reports;
  private final LocalTimes times;
  private final Clock clock;
  private final RatingsCsv ratingsCsv;
  private final ReportWorkbook workbook;

  /** @throws kefu.template.TemplateException if a heading of the downloads is missing from {@code templates/} */
  ReportRoutes(Vertx vertx, Database database, DeskPages pages, Templates templates, Reports reports, LocalTimes times, Clock clock) {
    this.vertx = vertx;
    this.ratingsCsv = new RatingsCsv(templates);
    this.workbook = new ReportWorkbook(templates);
    this.times = times;
    this.clock = clock;
    this.database = database;
    this.pages = pages;
    this.reports = reports;
  }

  /** Adds the routes; the console's session and CSRF checks must come first. */
  void routes(Router router) {
    router.route("/desk/reports*").handler(ReportRoutes::supervisorsOnly);
    router.get("/desk/reports").handler(ctx -> list(ctx, 200, ""));
    router.get("/desk/reports/range").handler(this::range);
    router.get("/desk/reports/range/ratings.csv").handler(ctx -> download(ctx, this::ranged, "csv"));
    router.get("/desk/reports/range/report.xlsx").handler(ctx -> download(ctx, this::ranged, "xlsx"));
    router.get("/desk/reports/:id").handler(this::one);
    router.get("/desk/reports/:id/ratings.csv").handler(ctx -> download(ctx, this::kept, "csv"));
    router.get("/desk/reports/:id/report.xlsx").handler(ctx -> download(ctx, this::kept, "xlsx"));
    router.post("/desk/reports/:id/rerun").handler(this::rerun);
  }

  /** Supervisors and admins read the reports; to agents the pages do not exist. */
  private static void supervisorsOnly(RoutingContext ctx) {
    if (DeskConsole.session(ctx).agent().role() == Agent.Role.AGENT) {
      ctx.fail(404);
      return;
    }
    ctx.next();
  }

  /** A report as the list shows it: its kind's key, its first and last day, when it was made (local). */
  public record Listed(long id, String kind, String first, String last, int version, String made) {}

  /**
   * What the report page shows above the report: which report (a kept one, or a range: id 0, version 0) and where
   * its downloads are.
   */
  public record Heading(long id, String kind, String first, String last, int version, String made, String csv, String xlsx) {}

  private void list(RoutingContext ctx, int status, String problem) {
    database.transaction(reports::list).onSuccess(list -> {
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("reports", list.stream().map(this::listed).toList());
      model.put("problem", problem);
      LocalDate today = times.day(clock.instant());
      model.put("rangeFrom", Optional.ofNullable(ctx.request().getParam("from")).orElse(today.withDayOfMonth(1).toString()));
      model.put("rangeTo", Optional.ofNullable(ctx.request().getParam("to")).orElse(today.toString()));
      model.put("maxRangeDays", MAX_RANGE_DAYS);
      pages.send(ctx, status, "desk/reports", model);
    }).onFailure(ctx::fail);
  }

  private void one(RoutingContext ctx) {
    Optional<Long> id = id(ctx);
    if (id.isEmpty()) {
      ctx.fail(404);
      return;
    }
    database.transaction(c -> reports.byId(c, id.get())).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(404);
        return;
      }
      Listed l = listed(found.get().snapshot());
      String base = "/desk/reports/" + l.id();
      show(ctx, new Heading(l.id(), l.kind(), l.first(), l.last(), l.version(), l.made(), base + "/ratings.csv", base + "/report.xlsx"),
          found.get().report());
    }).onFailure(ctx::fail);
  }

  /** A range of days chosen in the console, computed now; a range that cannot be read goes back to the list, 400. */
  private void range(RoutingContext ctx) {
    Optional<Range> range = range(ctx.request().getParam("from"), ctx.request().getParam("to"));
    if (range.isEmpty()) {
      list(ctx, 400, "range");
      return;
    }
    Range r = range.get();
    vertx.executeBlocking(() -> database.inTransaction(c -> reports.computer().range(c, r.first(), r.last().plusDays(1), clock.instant())), false)
        .onSuccess(report -> {
          String query = "?from=" + r.first() + "&to=" + r.last();
          show(ctx, new Heading(0, "range", r.first().toString(), r.last().toString(), 0, report.computedAt(),
              "/desk/reports/range/ratings.csv" + query, "/desk/reports/range/report.xlsx" + query), report);
        }).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx, Heading heading, Report report) {
    Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
    model.put("heading", heading);
    model.put("report", report);
    model.put("bars", ReportCharts.ranking(report.ranked()));
    model.put("chartHeight", ReportCharts.rankingHeight(report.ranked().size()));
    model.put("labelWidth", ReportCharts.LABEL_WIDTH);
    model.put("barSpace", ReportCharts.BAR_SPACE);
    model.put("scoreTrend", ReportCharts.scoreTrend(report.days()));
    model.put("volumeTrend", ReportCharts.volumeTrend(report.days()));
    model.put("distribution", ReportCharts.distribution(report.distribution()));
    model.put("hourChart", ReportCharts.hours(report.hours()));
    model.put("listed", kefu.report.ReportComputer.LISTED);
    pages.send(ctx, 200, "desk/report", model);
  }

  /** The days [first, last] of a range, both given. */
  private record Range(LocalDate first, LocalDate last) {}

  private static Optional<Range> range(String from, String to) {
    try {
      LocalDate first = LocalDate.parse(Optional.ofNullable(from).orElse(""));
      LocalDate last = LocalDate.parse(Optional.ofNullable(to).orElse(""));
      return first.isAfter(last) || ChronoUnit.DAYS.between(first, last) >= MAX_RANGE_DAYS ? Optional.empty()
          : Optional.of(new Range(first, last));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** Finds the report a download is of, in the download's transaction. */
  @FunctionalInterface
  private interface Source {
    Optional<Found> find(Connection c, RoutingContext ctx) throws SQLException;
  }

  /** A report to download, and its version (0: a range). */
  private record Found(Report report, int version) {}

  private Optional<Found> kept(Connection c, RoutingContext ctx) throws SQLException {
    Optional<Long> id = id(ctx);
    return id.isEmpty() ? Optional.empty()
        : reports.byId(c, id.get()).map(stored -> new Found(stored.report(), stored.snapshot().version()));
  }

  private Optional<Found> ranged(Connection c, RoutingContext ctx) throws SQLException {
    Optional<Range> range = range(ctx.request().getParam("from"), ctx.request().getParam("to"));
    return range.isEmpty() ? Optional.empty()
        : Optional.of(new Found(reports.computer().range(c, range.get().first(), range.get().last().plusDays(1), clock.instant()), 0));
  }

  private record Download(String name, Path file) {}

  /**
   * Writes the download into a temporary file on a worker, reading its rows as it writes, then sends the file and
   * removes it: neither the rows nor the file are held in memory.
   */
  private void download(RoutingContext ctx, Source source, String extension) {
    vertx.executeBlocking(() -> database.inTransaction(c -> {
      Optional<Found> found = source.find(c, ctx);
      if (found.isEmpty()) {
        return Optional.<Download>empty();
      }
      Path file = file(c, found.get(), extension);
      return Optional.of(new Download(ReportWorkbook.fileName(found.get().report(), found.get().version(), extension), file));
    }), false).onSuccess(download -> {
      if (download.isEmpty()) {
        ctx.fail(404);
        return;
      }
      Path file = download.get().file();
      ctx.response().putHeader("Content-Type", extension.equals("csv") ? "text/csv; charset=utf-8" : XLSX)
          .putHeader("Content-Disposition", "attachment; filename=\"" + download.get().name() + "\"")
          .putHeader("Cache-Control", "no-store")
          .sendFile(file.toString()).onComplete(sent -> removeLater(file));
    }).onFailure(ctx::fail);
  }

  /** The download written to a new temporary file, removed again if writing fails. */
  private Path file(Connection c, Found found, String extension) throws SQLException {
    Path file = null;
    try {
      file = Files.createTempFile("kefu-report", "." + extension);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
        if (extension.equals("csv")) {
          Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          ratingsCsv.write(c, found.report(), writer);
          writer.flush();
        } else {
          workbook.write(c, found.report(), found.version(), out);
        }
      }
      return file;
    } catch (IOException e) {
      remove(file);
      throw new UncheckedIOException(e);
    } catch (SQLException | RuntimeException e) {
      remove(file);
      throw e;
    }
  }

  private static void remove(Path file) {
    try {
      if (file != null) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      log.warn("Reports: a download's temporary file was not removed: {}", e.getMessage());
    }
  }

  private void removeLater(Path file) {
    vertx.executeBlocking(() -> Files.deleteIfExists(file), false)
        .onFailure(e -> log.warn("Reports: a download's temporary file was not removed: {}", e.getMessage()));
  }

  /** Computes the report's period again as a new version and shows it. */
  private void rerun(RoutingContext ctx) {
    Optional<Long> id = id(ctx);
    if (id.isEmpty()) {
      ctx.fail(404);
      return;
    }
    vertx.executeBlocking(() -> reports.rerun(id.get(), clock.instant()), false).onSuccess(made -> {
      if (made.isEmpty()) {
        ctx.fail(404);
      } else {
        DeskPages.redirect(ctx, "/desk/reports/" + made.get().id());
      }
    }).onFailure(ctx::fail);
  }

  private Listed listed(Reports.Snapshot s) {
    return new Listed(s.id(), s.period().kind().key(), s.period().start().toString(), s.period().end().minusDays(1).toString(),
        s.version(), times.dayTime(s.createdAt()));
  }

  private static Optional<Long> id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return id != null && id.matches("\\d{1,18}") ? Optional.of(Long.parseLong(id)) : Optional.empty();
  }
}
