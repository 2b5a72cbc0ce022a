package kefu.desk;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.report.RatingsCsv;
import kefu.report.Report;
import kefu.report.ReportWorkbook;
import kefu.report.Reports;
import kefu.store.Database;
import kefu.template.Templates;

/**
 * The supervisors' pages of the service reports ({@code /desk/reports}): the list of reports made, one report with
 * its ranking drawn as bars (SVG drawn here, so the page needs no script), its ratings as CSV, the whole report as
 * an XLSX workbook, and a re-run of its period as a new version.
 */
final class ReportRoutes {
  /** The bars' scale: from a little below the lowest score (0.7) to the highest (1.1), so differences show. */
  private static final BigDecimal SCALE_FROM = new BigDecimal("0.6");
  private static final BigDecimal SCALE_SPAN = new BigDecimal("0.5");
  /** The drawing's sizes, in SVG units: the label column, the longest bar, one bar's row. */
  private static final int LABEL_WIDTH = 120;
  private static final int BAR_SPACE = 380;
  private static final int ROW = 28;

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
    router.get("/desk/reports").handler(this::list);
    router.get("/desk/reports/:id").handler(this::one);
    router.get("/desk/reports/:id/ratings.csv").handler(this::csv);
    router.get("/desk/reports/:id/report.xlsx").handler(this::xlsx);
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

  /** A bar of the ranking chart: where it is drawn and how long. */
  public record Bar(String name, String mean, int ratings, int rank, int y, int textY, int width, int valueX) {}

  /** A report as the list shows it: its kind's key, its first and last day, when it was made (local). */
  public record Listed(long id, String kind, String first, String last, int version, String made) {}

  private void list(RoutingContext ctx) {
    database.transaction(reports::list).onSuccess(list -> {
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("reports", list.stream().map(this::listed).toList());
      pages.send(ctx, 200, "desk/reports", model);
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
      Report report = found.get().report();
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("snapshot", listed(found.get().snapshot()));
      model.put("report", report);
      model.put("bars", bars(report.ranked()));
      model.put("chartHeight", Math.max(1, report.ranked().size()) * ROW + 8);
      model.put("labelWidth", LABEL_WIDTH);
      model.put("barSpace", BAR_SPACE);
      pages.send(ctx, 200, "desk/report", model);
    }).onFailure(ctx::fail);
  }

  private void csv(RoutingContext ctx) {
    Optional<Long> id = id(ctx);
    if (id.isEmpty()) {
      ctx.fail(404);
      return;
    }
    database.transaction(c -> reports.byId(c, id.get())).compose(found -> vertx.executeBlocking(
        () -> found.map(stored -> new Csv(RatingsCsv.fileName(stored.snapshot()), ratingsCsv.of(stored.report()))), false))
        .onSuccess(csv -> {
          if (csv.isEmpty()) {
            ctx.fail(404);
            return;
          }
          ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
              .putHeader("Content-Disposition", "attachment; filename=\"" + csv.get().name() + "\"")
              .putHeader("Cache-Control", "no-store")
              .end(csv.get().text());
        }).onFailure(ctx::fail);
  }

  private record Csv(String name, String text) {}

  private void xlsx(RoutingContext ctx) {
    Optional<Long> id = id(ctx);
    if (id.isEmpty()) {
      ctx.fail(404);
      return;
    }
    database.transaction(c -> reports.byId(c, id.get())).compose(found -> vertx.executeBlocking(() -> {
      if (found.isEmpty()) {
        return Optional.<Xlsx>empty();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      workbook.write(found.get().snapshot(), found.get().report(), out);
      return Optional.of(new Xlsx(ReportWorkbook.fileName(found.get().snapshot()), out.toByteArray()));
    }, false)).onSuccess(xlsx -> {
      if (xlsx.isEmpty()) {
        ctx.fail(404);
        return;
      }
      ctx.response().putHeader("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
          .putHeader("Content-Disposition", "attachment; filename=\"" + xlsx.get().name() + "\"")
          .putHeader("Cache-Control", "no-store")
          .end(Buffer.buffer(xlsx.get().bytes()));
    }).onFailure(ctx::fail);
  }

  private record Xlsx(String name, byte[] bytes) {}

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

  private static List<Bar> bars(List<Report.AgentScore> ranked) {
    List<Bar> bars = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      Report.AgentScore a = ranked.get(i);
      BigDecimal share = new BigDecimal(a.mean()).subtract(SCALE_FROM).max(BigDecimal.ZERO)
          .divide(SCALE_SPAN, 4, RoundingMode.HALF_UP).min(BigDecimal.ONE);
      int width = Math.max(2, share.multiply(BigDecimal.valueOf(BAR_SPACE)).intValue());
      int y = 4 + i * ROW;
      bars.add(new Bar(a.name(), a.mean(), a.ratings(), a.rank(), y, y + 15, width, LABEL_WIDTH + width + 6));
    }
    return bars;
  }
}
