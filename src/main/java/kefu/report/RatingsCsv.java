package kefu.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import kefu.template.Templates;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A report's ratings as CSV for Excel: UTF-8 with a byte-order mark (without it Excel reads Chinese as the local
 * code page), one row per rating, the date as a date (2026-11-23) in a column of its own; the column names from
 * {@code templates/report.yaml}. A range's ratings are written as they are read from the database.
 */
public final class RatingsCsv {
  static final List<String> TEMPLATE_KEYS = List.of("report.csv-header");
  private static final String BOM = "\uFEFF";

  private final String[] header;

  /** @throws kefu.template.TemplateException if the column names are missing from {@code templates/} */
  public RatingsCsv(Templates templates) {
    this.header = templates.require(TEMPLATE_KEYS).list("report.csv-header").toArray(String[]::new);
  }

  /**
   * Writes {@code report}'s ratings to {@code out} (to be encoded as UTF-8), starting with the byte-order mark: a kept
   * report's as published, a range's read from {@code c} row by row.
   */
  public void write(Connection c, Report report, Writer out) throws IOException, SQLException {
    out.write(BOM);
    CSVPrinter csv = new CSVPrinter(out, CSVFormat.EXCEL.builder().setHeader(header).get());
    ReportRows.Sink<Report.RatingRow> sink = row -> {
      try {
        csv.printRecord(row.date(), row.time(), row.ticketId() == 0 ? "" : row.ticketId(), row.agents(), row.label(), row.score());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    if (report.kind().equals("range")) {
      ZoneId zone = ZoneId.of(report.zone());
      new ReportRows(zone).ratings(c, LocalDate.parse(report.from()).atStartOfDay(zone).toInstant(),
          LocalDate.parse(report.to()).atStartOfDay(zone).toInstant(), sink);
    } else {
      for (Report.RatingRow row : report.ratings()) {
        sink.accept(row);
      }
    }
    csv.flush();
  }
}
