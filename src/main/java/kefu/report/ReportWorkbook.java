package kefu.report;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import kefu.template.Templates;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * A report as one XLSX workbook: the summary, the ranking, every rating (dates as dates, scores as numbers) and
 * the open complaints, each on a sheet of its own, with the headings of {@code templates/report.yaml}.
 */
public final class ReportWorkbook {
  static final List<String> TEMPLATE_KEYS = List.of("report.kind.weekly", "report.kind.monthly", "report.sheets",
      "report.summary", "report.ranking-header", "report.unranked", "report.csv-header", "report.complaints-header",
      "report.severity.major", "report.severity.normal", "report.no-owner");
  private static final String DATE = "yyyy-mm-dd";

  private final Templates templates;

  /** @throws kefu.template.TemplateException if a heading is missing from {@code templates/} */
  public ReportWorkbook(Templates templates) {
    this.templates = templates.require(TEMPLATE_KEYS);
  }

  /** Writes {@code report} (of {@code snapshot}) to {@code out}; the stream is left open. */
  public void write(Reports.Snapshot snapshot, Report report, OutputStream out) throws IOException {
    List<String> sheets = templates.list("report.sheets");
    Workbook workbook = new Workbook(out, "kefu", "1.0");
    summary(workbook.newWorksheet(sheets.get(0)), snapshot, report);
    ranking(workbook.newWorksheet(sheets.get(1)), report);
    ratings(workbook.newWorksheet(sheets.get(2)), report.ratings());
    complaints(workbook.newWorksheet(sheets.get(3)), report.complaints());
    workbook.finish();
  }

  /** The file name a download suggests: weekly-2026-11-16-v1.xlsx (ASCII, so every browser keeps it). */
  public static String fileName(Reports.Snapshot snapshot) {
    return snapshot.period().kind().key() + "-" + snapshot.period().start() + "-v" + snapshot.version() + ".xlsx";
  }

  private void summary(Worksheet sheet, Reports.Snapshot snapshot, Report report) {
    List<String> names = templates.list("report.summary");
    List<Object> values = List.of(templates.text("report.kind." + snapshot.period().kind().key()),
        snapshot.period().start(), snapshot.period().end().minusDays(1), snapshot.version(), report.computedAt(),
        report.headline().conversations(), report.headline().tickets(), report.headline().ratings(),
        report.headline().meanScore().isEmpty() ? "" : new BigDecimal(report.headline().meanScore()),
        report.headline().openComplaints(), report.bot().questions(), report.bot().answered(), report.bot().suggested(),
        report.bot().fallbacks(), report.bot().handoffs());
    for (int r = 0; r < values.size(); r++) {
      sheet.value(r, 0, names.get(r));
      cell(sheet, r, 1, values.get(r));
    }
    sheet.width(0, 16);
    sheet.width(1, 18);
  }

  private void ranking(Worksheet sheet, Report report) {
    header(sheet, templates.list("report.ranking-header"));
    int r = 1;
    for (Report.AgentScore a : report.ranked()) {
      agent(sheet, r++, a.rank(), a);
    }
    for (Report.AgentScore a : report.unranked()) {
      sheet.value(r, 0, templates.text("report.unranked"));
      agent(sheet, r++, 0, a);
    }
  }

  private static void agent(Worksheet sheet, int r, int rank, Report.AgentScore a) {
    if (rank > 0) {
      sheet.value(r, 0, rank);
    }
    sheet.value(r, 1, a.name());
    sheet.value(r, 2, new BigDecimal(a.mean()));
    sheet.value(r, 3, a.ratings());
  }

  private void ratings(Worksheet sheet, List<Report.RatingRow> ratings) {
    header(sheet, templates.list("report.csv-header"));
    int r = 1;
    for (Report.RatingRow row : ratings) {
      cell(sheet, r, 0, LocalDate.parse(row.date()));
      sheet.value(r, 1, row.time());
      if (row.ticketId() > 0) {
        sheet.value(r, 2, row.ticketId());
      }
      sheet.value(r, 3, row.agents());
      sheet.value(r, 4, row.label());
      sheet.value(r, 5, new BigDecimal(row.score()));
      r++;
    }
    sheet.width(0, 12);
    sheet.width(3, 16);
  }

  private void complaints(Worksheet sheet, List<Report.OpenComplaint> complaints) {
    header(sheet, templates.list("report.complaints-header"));
    int r = 1;
    for (Report.OpenComplaint p : complaints) {
      sheet.value(r, 0, p.ticketId());
      sheet.value(r, 1, templates.text("report.severity." + p.severity()));
      sheet.value(r, 2, p.openedAt());
      sheet.value(r, 3, p.ageDays());
      sheet.value(r, 4, p.owner().isEmpty() ? templates.text("report.no-owner") : p.owner());
      r++;
    }
    sheet.width(2, 18);
  }

  private static void header(Worksheet sheet, List<String> names) {
    for (int c = 0; c < names.size(); c++) {
      sheet.value(0, c, names.get(c));
      sheet.style(0, c).bold().set();
    }
  }

  private static void cell(Worksheet sheet, int r, int c, Object value) {
    if (value instanceof LocalDate day) {
      sheet.value(r, c, day);
      sheet.style(r, c).format(DATE).set();
    } else if (value instanceof Number n) {
      sheet.value(r, c, n);
    } else {
      sheet.value(r, c, value.toString());
    }
  }
}
