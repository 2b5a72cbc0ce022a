package kefu.report;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.dhatim.fastexcel.Workbook;
import org.dhatim.fastexcel.Worksheet;

/**
 * A report as one XLSX workbook: the summary, the ranking, every rating (dates as dates, scores as numbers) and
 * the open complaints, each on a sheet of its own, with Chinese headings.
 */
public final class ReportWorkbook {
  private static final String DATE = "yyyy-mm-dd";

  private ReportWorkbook() {}

  /** Writes {@code report} (of {@code snapshot}) to {@code out}; the stream is left open. */
  public static void write(Reports.Snapshot snapshot, Report report, OutputStream out) throws IOException {
    Workbook workbook = new Workbook(out, "kefu", "1.0");
    summary(workbook.newWorksheet("汇总"), snapshot, report);
    ranking(workbook.newWorksheet("排名"), report);
    ratings(workbook.newWorksheet("评价明细"), report.ratings());
    complaints(workbook.newWorksheet("未结投诉"), report.complaints());
    workbook.finish();
  }

  /** The file name a download suggests: weekly-2026-11-16-v1.xlsx (ASCII, so every browser keeps it). */
  public static String fileName(Reports.Snapshot snapshot) {
    return snapshot.period().kind().key() + "-" + snapshot.period().start() + "-v" + snapshot.version() + ".xlsx";
  }

  private static void summary(Worksheet sheet, Reports.Snapshot snapshot, Report report) {
    Object[][] rows = {
        {"报告", snapshot.period().kind() == Period.Kind.WEEKLY ? "周报" : "月报"},
        {"开始日期", snapshot.period().start()},
        {"结束日期", snapshot.period().end().minusDays(1)},
        {"版本", snapshot.version()},
        {"生成时间", report.computedAt()},
        {"会话", report.headline().conversations()},
        {"工单", report.headline().tickets()},
        {"评价", report.headline().ratings()},
        {"平均得分", report.headline().meanScore().isEmpty() ? "" : new BigDecimal(report.headline().meanScore())},
        {"未结投诉", report.headline().openComplaints()},
        {"机器人提问", report.bot().questions()},
        {"机器人直接解答", report.bot().answered()},
        {"机器人推荐问题", report.bot().suggested()},
        {"机器人未能解答", report.bot().fallbacks()},
        {"转人工", report.bot().handoffs()},
    };
    for (int r = 0; r < rows.length; r++) {
      sheet.value(r, 0, (String) rows[r][0]);
      cell(sheet, r, 1, rows[r][1]);
    }
    sheet.width(0, 16);
    sheet.width(1, 18);
  }

  private static void ranking(Worksheet sheet, Report report) {
    header(sheet, "名次", "客服", "平均得分", "评价数");
    int r = 1;
    for (Report.AgentScore a : report.ranked()) {
      agent(sheet, r++, a.rank(), a);
    }
    for (Report.AgentScore a : report.unranked()) {
      sheet.value(r, 0, "未排名");
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

  private static void ratings(Worksheet sheet, List<Report.RatingRow> ratings) {
    header(sheet, "日期", "时间", "工单", "客服", "评价", "分数");
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

  private static void complaints(Worksheet sheet, List<Report.OpenComplaint> complaints) {
    header(sheet, "工单", "类别", "受理时间", "已历时（天）", "负责客服");
    int r = 1;
    for (Report.OpenComplaint p : complaints) {
      sheet.value(r, 0, p.ticketId());
      sheet.value(r, 1, "major".equals(p.severity()) ? "重大投诉" : "一般投诉");
      sheet.value(r, 2, p.openedAt());
      sheet.value(r, 3, p.ageDays());
      sheet.value(r, 4, p.owner().isEmpty() ? "待接入" : p.owner());
      r++;
    }
    sheet.width(2, 18);
  }

  private static void header(Worksheet sheet, String... names) {
    for (int c = 0; c < names.length; c++) {
      sheet.value(0, c, names[c]);
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
