package kefu.report;

import static kefu.report.ReportFixtures.MONDAY;
import static kefu.report.ReportFixtures.NEXT_MONDAY;
import static kefu.report.ReportFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import kefu.TestStore;
import kefu.config.KefuConfig;
import kefu.store.Database;
import kefu.template.Templates;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's workbook opened back and read cell by cell: every sheet, the ranking, dates as dates, scores as
 * numbers, one row per rating, ticket and follow-up; a range's workbook streams the same ratings. Its parts are as Excel
 * opens them without offering a repair ({@link CleanXlsx}).
 */
class ReportWorkbookTest {
  @TempDir Path dir;

  @Test
  void theWorkbookHoldsEverySheetCellByCell() throws Exception {
    try (TestStore.Open db = TestStore.H2.open(dir)) {
      ReportFixtures fixtures = new ReportFixtures();
      db.db().inTransaction(fixtures::load);
      db.db().inTransaction(fixtures::loadMore);
      Reports reports = ReportFixtures.reports(db.db(), new KefuConfig.Report(LocalTime.of(9, 0), LocalTime.of(9, 0), 3, Optional.empty()));
      Reports.Stored weekly = db.db().inTransaction(c -> reports.byId(c, reports.runDue(at(NEXT_MONDAY, 9, 0)).get(0).id())).orElseThrow();
      assertThat(ReportWorkbook.fileName(weekly.report(), 1, "xlsx")).isEqualTo("weekly-2026-11-16-v1.xlsx");

      byte[] xlsx = write(db.db(), weekly.report(), 1);
      assertThat(CleanXlsx.assertOpensCleanly(xlsx)).as("cells with a date format").isPositive();
      try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx))) {
        assertThat(workbook.getSheets().map(Sheet::getName))
            .containsExactly("汇总", "排名", "评价明细", "工单明细", "回访明细", "未结投诉", "每日数量");
        List<Row> summary = sheet(workbook, "汇总");
        assertThat(summary).extracting(r -> r.getCellText(0)).containsExactly("报告", "开始日期", "结束日期", "版本", "生成时间",
            "会话", "消息", "工单", "评价", "平均得分", "未结投诉", "投诉回复超时", "排队超时", "机器人提问", "机器人直接解答",
            "机器人推荐问题", "机器人未能解答", "转人工", "应回访", "已回访", "三天内完成回访", "应回访会员", "已回访会员");
        assertThat(summary.get(0).getCellText(1)).isEqualTo("周报");
        assertThat(summary.get(1).getCellAsDate(1)).hasValue(LocalDate.of(2026, 11, 16).atStartOfDay());
        assertThat(summary.get(2).getCellAsDate(1)).hasValue(LocalDate.of(2026, 11, 22).atStartOfDay());
        assertThat(summary.get(4).getCellAsDate(1)).hasValue(LocalDateTime.of(2026, 11, 23, 9, 0));
        assertThat(summary.get(9).getCellAsNumber(1)).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.96"));
        assertThat(summary.subList(5, 23)).extracting(r -> r.getCellAsNumber(1).orElseThrow().intValue())
            .containsExactly(21, 4, 20, 15, 0, 1, 2, 1, 6, 1, 1, 4, 1, 4, 2, 1, 2, 2);

        assertThat(sheet(workbook, "排名")).extracting(ReportWorkbookTest::line).containsExactly(
            "名次|客服|平均得分|评价数", "1|王芳|1.067|3", "2|刘洋|0.975|4", "2|李明|0.975|4", "4|张伟|0.967|3", "未排名|赵丽|0.750|2");

        List<Row> ratings = sheet(workbook, "评价明细");
        assertThat(ratings).hasSize(16);
        assertThat(line(ratings.get(0))).isEqualTo("日期|时间|工单|客服|评价|分数");
        assertThat(ratings.get(1).getCellAsDate(0)).hasValue(LocalDate.of(2026, 11, 16).atStartOfDay());
        assertThat(ratings.get(1).getCellText(1)).isEqualTo("00:00");
        assertThat(ratings.get(1).getCellText(3)).isEqualTo("王芳");
        assertThat(ratings.get(1).getCellText(4)).isEqualTo("非常满意");
        assertThat(ratings.get(1).getCellAsNumber(5)).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1.1"));
        assertThat(ratings).extracting(r -> r.getCellText(3)).contains("王芳、李明");

        List<Row> tickets = sheet(workbook, "工单明细");
        assertThat(tickets).hasSize(21);
        assertThat(line(tickets.get(0))).isEqualTo("工单|受理时间|类型|状态|客服|评价|分数|结束时间");
        assertThat(tickets.get(1).getCellAsDate(1)).hasValue(LocalDateTime.of(2026, 11, 16, 0, 0));
        assertThat(tickets.get(1).getCellText(2) + tickets.get(1).getCellText(3) + tickets.get(1).getCellText(4)
            + tickets.get(1).getCellText(5)).isEqualTo("咨询接待中王芳非常满意");
        assertThat(tickets).extracting(r -> r.getCellText(2)).filteredOn("投诉"::equals).hasSize(4);
        assertThat(tickets).filteredOn(r -> "已结束".equals(r.getCellText(3))).allSatisfy(r -> assertThat(r.getCellAsDate(7)).isPresent());

        List<Row> visits = sheet(workbook, "回访明细");
        assertThat(line(visits.get(0))).isEqualTo("客户档案|会员|回访计划|步骤|应回访时间|状态|方式|完成时间|电话结果");
        // Dates as dates: each row's due and done times read back as dates, the rest as text.
        assertThat(visits.subList(1, visits.size())).extracting(r -> r.getCellText(0) + "|" + r.getCellText(1) + "|" + r.getCellText(3)
            + "|" + r.getCellAsDate(4).orElseThrow() + "|" + r.getCellText(5) + "|" + r.getCellText(6) + "|"
            + (r.getCellCount() > 7 ? r.getCellAsDate(7).map(Object::toString).orElse("") : "")).containsExactly(
            "R1|是|visit-1|2026-11-17T10:00|已发送||2026-11-17T10:01",
            "R2|是|visit-1|2026-11-18T10:00|电话回访||2026-11-22T09:00",
            "R2|是|visit-2|2026-11-19T10:00|待回访||",
            "R3||visit-1|2026-11-20T10:00|已跳过||",
            "R3||visit-2|2026-11-21T10:00|电话回访||");
        assertThat(visits.subList(1, visits.size())).extracting(r -> r.getCellText(2)).as("the plan by its name").containsOnly("拍照后回访");
        assertThat(visits.get(1).getCellAsDate(4)).hasValue(LocalDateTime.of(2026, 11, 17, 10, 0));

        List<Row> complaints = sheet(workbook, "未结投诉");
        assertThat(complaints).hasSize(2);
        assertThat(line(complaints.get(0))).isEqualTo("工单|类别|受理时间|已历时（天）|负责客服");
        assertThat(complaints.get(1).getCellText(1) + "|" + complaints.get(1).getCellText(3) + "|" + complaints.get(1).getCellText(4))
            .isEqualTo("重大投诉|2|张伟");
        assertThat(complaints.get(1).getCellAsDate(2)).hasValue(LocalDateTime.of(2026, 11, 20, 10, 0));

        List<Row> days = sheet(workbook, "每日数量");
        assertThat(days).hasSize(8);
        assertThat(line(days.get(0))).isEqualTo("日期|会话|消息|工单|评价|平均得分");
        assertThat(days.get(1).getCellAsDate(0)).hasValue(LocalDate.of(2026, 11, 16).atStartOfDay());
        assertThat(days.subList(1, 8)).extracting(r -> r.getCellText(2)).containsExactly("3", "1", "0", "0", "0", "0", "0");
        assertThat(days.get(6).getCellAsNumber(5)).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.75"));
      }

      Report range = db.db().inTransaction(c -> reports.computer().range(c, MONDAY, NEXT_MONDAY, at(NEXT_MONDAY, 9, 0)));
      assertThat(ReportWorkbook.fileName(range, 0, "xlsx")).isEqualTo("range-2026-11-16-2026-11-22.xlsx");
      try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(write(db.db(), range, 0)))) {
        assertThat(sheet(workbook, "汇总").get(0).getCellText(1)).isEqualTo("自选时段报告");
        assertThat(sheet(workbook, "评价明细")).extracting(ReportWorkbookTest::line).isEqualTo(
            new ReadableWorkbook(new ByteArrayInputStream(write(db.db(), weekly.report(), 1))).findSheet("评价明细").orElseThrow()
                .read().stream().map(ReportWorkbookTest::line).toList());
      }
    }
  }

  private static byte[] write(Database db, Report report, int version) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    db.inTransaction(c -> {
      try {
        new ReportWorkbook(Templates.load(Path.of("templates"))).write(c, report, version, out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return null;
    });
    return out.toByteArray();
  }

  private static List<Row> sheet(ReadableWorkbook workbook, String name) throws IOException {
    return workbook.findSheet(name).orElseThrow().read();
  }

  /** A row's cells as text joined by |, empty cells as nothing. */
  private static String line(Row row) {
    return row.stream().map(cell -> cell == null ? "" : cell.getText()).collect(Collectors.joining("|"));
  }
}
