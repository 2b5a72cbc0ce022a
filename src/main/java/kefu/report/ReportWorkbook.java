package kefu.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kefu.template.Templates;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * A report as one XLSX workbook: the summary, the ranking, every rating with its ticket and agents, every ticket,
 * every follow-up (回访), the open complaints and the days, each on a sheet of its own (dates as dates, scores as
 * numbers), with the headings of {@code templates/report.yaml}. The long sheets are written as they are read from the
 * database, a thousand rows at a time, so a month of a busy desk is never held in memory.
 */
public final class ReportWorkbook {
  static final List<String> TEMPLATE_KEYS = List.of("report.kind.weekly", "report.kind.monthly", "report.kind.range",
      "report.sheets", "report.summary", "report.ranking-header", "report.unranked", "report.csv-header",
      "report.tickets-header", "report.visits-header", "report.complaints-header", "report.days-header",
      "report.severity.major", "report.severity.normal", "report.no-owner", "report.member", "report.ticket-kind.handoff",
      "report.ticket-kind.complaint", "report.ticket-status.waiting", "report.ticket-status.assigned",
      "report.ticket-status.resolved", "report.ticket-status.closed", "report.visit-status.planned",
      "report.visit-status.claimed", "report.visit-status.done", "report.visit-status.tasked", "report.visit-status.skipped",
      "report.visit-status.cancelled", "report.visit-channel.service", "report.visit-channel.template",
      "report.visit-channel.call_task", "report.call-outcome.reached", "report.call-outcome.not_reached",
      "report.call-outcome.wrong_number", "report.call-outcome.declined");
  private static final String DATE = "yyyy-mm-dd";
  private static final String DATE_TIME = "yyyy-mm-dd hh:mm";
  /** Rows written before a sheet is flushed to the stream. */
  private static final int FLUSH_EVERY = 1000;

  private static final String PLAN = "report.plan.";

  private final Templates templates;
  /** The follow-up plans' names by plan, as far as {@code templates/report.yaml} names them. */
  private final Map<String, String> planNames = new HashMap<>();

  /** @throws kefu.template.TemplateException if a heading is missing from {@code templates/} */
  public ReportWorkbook(Templates templates) {
    this.templates = templates.require(TEMPLATE_KEYS);
    templates.keys().stream().filter(key -> key.startsWith(PLAN))
        .forEach(key -> planNames.put(key.substring(PLAN.length()), templates.text(key)));
  }

  /**
   * Writes {@code report} to {@code out}, reading its tickets and follow-ups — and, for a range, its ratings — from
   * {@code c} as they are written; a kept report's ratings are those it was published with. The stream is left open.
   *
   * @param version the kept report's version, 0 for a range
   */
  public void write(Connection c, Report report, int version, OutputStream out) throws IOException, SQLException {
    List<String> sheets = templates.list("report.sheets");
    ZoneId zone = ZoneId.of(report.zone());
    ReportRows rows = new ReportRows(zone);
    Instant from = LocalDate.parse(report.from()).atStartOfDay(zone).toInstant();
    Instant to = LocalDate.parse(report.to()).atStartOfDay(zone).toInstant();
    Workbook workbook = new Workbook(out, "kefu", "1.0");
    summary(workbook.newWorksheet(sheets.get(0)), report, version);
    ranking(workbook.newWorksheet(sheets.get(1)), report);

    Rows ratings = new Rows(workbook.newWorksheet(sheets.get(2)), templates.list("report.csv-header"), 0, 3);
    ReportRows.Sink<Report.RatingRow> rating = row -> ratings.next((sheet, r) -> {
      date(sheet, r, 0, LocalDate.parse(row.date()));
      sheet.value(r, 1, row.time());
      if (row.ticketId() > 0) {
        sheet.value(r, 2, row.ticketId());
      }
      sheet.value(r, 3, row.agents());
      sheet.value(r, 4, row.label());
      sheet.value(r, 5, new BigDecimal(row.score()));
    });
    if (report.kind().equals("range")) {
      rows.ratings(c, from, to, rating);
    } else {
      for (Report.RatingRow row : report.ratings()) {
        rating.accept(row);
      }
    }
    ratings.finish();

    Rows tickets = new Rows(workbook.newWorksheet(sheets.get(3)), templates.list("report.tickets-header"), 1, 7);
    rows.tickets(c, from, to, t -> tickets.next((sheet, r) -> {
      sheet.value(r, 0, t.id());
      dateTime(sheet, r, 1, t.openedAt());
      sheet.value(r, 2, templates.text("report.ticket-kind." + t.kind()));
      sheet.value(r, 3, templates.text("report.ticket-status." + t.status()));
      sheet.value(r, 4, t.agent());
      if (t.level() > 0) {
        sheet.value(r, 5, kefu.rating.Rating.ofLevel(t.level()).label());
        sheet.value(r, 6, kefu.rating.Rating.ofLevel(t.level()).score());
      }
      t.closedAt().ifPresent(at -> dateTime(sheet, r, 7, at));
    }));
    tickets.finish();

    Rows visits = new Rows(workbook.newWorksheet(sheets.get(4)), templates.list("report.visits-header"), 5, 7);
    rows.visits(c, from, to, v -> visits.next((sheet, r) -> {
      sheet.value(r, 0, v.reference());
      if (v.member()) {
        sheet.value(r, 1, templates.text("report.member"));
      }
      sheet.value(r, 2, planNames.getOrDefault(v.plan(), v.plan()));
      sheet.value(r, 3, v.step());
      dateTime(sheet, r, 4, v.dueAt());
      sheet.value(r, 5, templates.text("report.visit-status." + v.status()));
      if (!v.channel().isEmpty()) {
        sheet.value(r, 6, templates.text("report.visit-channel." + v.channel()));
      }
      v.doneAt().ifPresent(at -> dateTime(sheet, r, 7, at));
      if (!v.outcome().isEmpty()) {
        sheet.value(r, 8, templates.text("report.call-outcome." + v.outcome()));
      }
    }));
    visits.finish();

    complaints(workbook.newWorksheet(sheets.get(5)), report.complaints());
    days(workbook.newWorksheet(sheets.get(6)), report.days());
    workbook.finish();
  }

  /** The file name a download suggests: weekly-2026-11-16-v1.xlsx, range-2026-11-01-2026-11-30.xlsx (ASCII). */
  public static String fileName(Report report, int version, String extension) {
    return version == 0 ? "range-" + report.from() + "-" + LocalDate.parse(report.to()).minusDays(1) + "." + extension
        : report.kind() + "-" + report.from() + "-v" + version + "." + extension;
  }

  /** Writes one row of a sheet at row {@code r}. */
  @FunctionalInterface
  private interface RowWriter {
    void write(Worksheet sheet, int r) throws IOException;
  }

  /** A long sheet under its header, flushed to the stream every {@link #FLUSH_EVERY} rows. */
  private static final class Rows {
    private final Worksheet sheet;
    private int r = 1;

    Rows(Worksheet sheet, List<String> header, int... wide) {
      this.sheet = sheet;
      for (int column : wide) {
        sheet.width(column, 17);
      }
      header(sheet, header);
    }

    void next(RowWriter writer) {
      try {
        writer.write(sheet, r++);
        if (r % FLUSH_EVERY == 0) {
          sheet.flush();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void finish() throws IOException {
      sheet.finish();
    }
  }

  private void summary(Worksheet sheet, Report report, int version) {
    List<String> names = templates.list("report.summary");
    Report.Headline h = report.headline();
    Report.Bot bot = report.bot();
    Report.FollowUps f = report.followUps();
    List<Object> values = new ArrayList<>(List.of(templates.text("report.kind." + report.kind()),
        LocalDate.parse(report.from()), LocalDate.parse(report.to()).minusDays(1), version == 0 ? "" : version,
        localTime(report.computedAt()), h.conversations(), h.messages(), h.tickets(), h.ratings(),
        h.meanScore().isEmpty() ? "" : new BigDecimal(h.meanScore()), h.openComplaints(), report.sla().missedReplies(),
        report.sla().longWaits(), bot.questions(), bot.answered(), bot.suggested(), bot.fallbacks(), bot.handoffs()));
    values.addAll(List.of(f.due(), f.done(), f.withinThreeDays(), f.members(), f.membersReached()));
    for (int r = 0; r < values.size(); r++) {
      sheet.value(r, 0, names.get(r));
      Object value = values.get(r);
      if (value instanceof LocalDate day) {
        date(sheet, r, 1, day);
      } else if (value instanceof LocalDateTime at) {
        dateTime(sheet, r, 1, at);
      } else if (value instanceof Number n) {
        sheet.value(r, 1, n);
      } else {
        sheet.value(r, 1, value.toString());
      }
    }
    sheet.width(0, 18);
    sheet.width(1, 18);
  }

  private void ranking(Worksheet sheet, Report report) {
    List<String> header = new ArrayList<>(templates.list("report.ranking-header"));
    header.addAll(report.dimensions());
    header(sheet, header);
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
    for (int d = 0; d < a.dimensions().size(); d++) {
      if (!a.dimensions().get(d).isEmpty()) {
        sheet.value(r, 4 + d, new BigDecimal(a.dimensions().get(d)));
      }
    }
  }

  private void complaints(Worksheet sheet, List<Report.OpenComplaint> complaints) {
    header(sheet, templates.list("report.complaints-header"));
    int r = 1;
    for (Report.OpenComplaint p : complaints) {
      sheet.value(r, 0, p.ticketId());
      sheet.value(r, 1, templates.text("report.severity." + p.severity()));
      dateTime(sheet, r, 2, localTime(p.openedAt()));
      sheet.value(r, 3, p.ageDays());
      sheet.value(r, 4, p.owner().isEmpty() ? templates.text("report.no-owner") : p.owner());
      r++;
    }
    sheet.width(2, 18);
  }

  private void days(Worksheet sheet, List<Report.DayVolume> days) {
    header(sheet, templates.list("report.days-header"));
    int r = 1;
    for (Report.DayVolume d : days) {
      date(sheet, r, 0, LocalDate.parse(d.day()));
      sheet.value(r, 1, d.conversations());
      sheet.value(r, 2, d.messages());
      sheet.value(r, 3, d.tickets());
      sheet.value(r, 4, d.ratings());
      if (!d.meanScore().isEmpty()) {
        sheet.value(r, 5, new BigDecimal(d.meanScore()));
      }
      r++;
    }
    sheet.width(0, 12);
  }

  /** A local time as the report keeps it (2026-11-23 09:00), for a date-time cell. */
  private static LocalDateTime localTime(String text) {
    return LocalDateTime.parse(text, ReportComputer.DAY_TIME);
  }

  private static void header(Worksheet sheet, List<String> names) {
    for (int c = 0; c < names.size(); c++) {
      sheet.value(0, c, names.get(c));
      sheet.style(0, c).bold().set();
    }
  }

  private static void date(Worksheet sheet, int r, int c, LocalDate day) {
    sheet.value(r, c, day);
    sheet.style(r, c).format(DATE).set();
  }

  private static void dateTime(Worksheet sheet, int r, int c, LocalDateTime at) {
    sheet.value(r, c, at);
    sheet.style(r, c).format(DATE_TIME).set();
  }
}
