package kefu.report;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import kefu.template.Templates;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A report's ratings as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Chinese as the local
 * code page), one row per rating, the date as a date (2026-11-23) in a column of its own; the column names from
 * {@code templates/report.yaml}.
 */
public final class RatingsCsv {
  static final List<String> TEMPLATE_KEYS = List.of("report.csv-header");
  private static final String BOM = "\uFEFF";

  private final String[] header;

  /** @throws kefu.template.TemplateException if the column names are missing from {@code templates/} */
  public RatingsCsv(Templates templates) {
    this.header = templates.require(TEMPLATE_KEYS).list("report.csv-header").toArray(String[]::new);
  }

  /** The CSV text of {@code report}'s ratings, starting with the byte-order mark. */
  public String of(Report report) {
    StringWriter out = new StringWriter();
    out.write(BOM);
    try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.EXCEL.builder().setHeader(header).get())) {
      for (Report.RatingRow row : report.ratings()) {
        csv.printRecord(row.date(), row.time(), row.ticketId() == 0 ? "" : row.ticketId(), row.agents(), row.label(), row.score());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The file name a download suggests: weekly-2026-11-16-v1.csv (ASCII, so every browser keeps it). */
  public static String fileName(Reports.Snapshot snapshot) {
    return snapshot.period().kind().key() + "-" + snapshot.period().start() + "-v" + snapshot.version() + ".csv";
  }
}
