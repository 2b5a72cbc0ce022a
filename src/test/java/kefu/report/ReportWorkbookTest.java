package kefu.report;

import static kefu.report.ReportFixtures.NEXT_MONDAY;
import static kefu.report.ReportFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;
import java.util.List;
import kefu.TestStore;
import kefu.config.KefuConfig;
import kefu.template.Templates;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report's workbook opened back and read cell by cell: sheets, the ranking, dates as dates, scores as numbers. */
class ReportWorkbookTest {
  @TempDir Path dir;

  @Test
  void theWorkbookHoldsTheSummaryTheRankingAndEachRatingWithItsDate() throws Exception {
    try (TestStore.Open db = TestStore.H2.open(dir)) {
      db.db().inTransaction(new ReportFixtures()::load);
      Reports reports = ReportFixtures.reports(db.db(), new KefuConfig.Report(LocalTime.of(9, 0), LocalTime.of(9, 0), 3, Optional.empty()));
      Reports.Stored weekly = db.db().inTransaction(c -> reports.byId(c, reports.runDue(at(NEXT_MONDAY, 9, 0)).get(0).id())).orElseThrow();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      new ReportWorkbook(Templates.load(Path.of("templates"))).write(weekly.snapshot(), weekly.report(), out);
      assertThat(ReportWorkbook.fileName(weekly.snapshot())).isEqualTo("weekly-2026-11-16-v1.xlsx");

      try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
        assertThat(workbook.getSheets().map(Sheet::getName)).containsExactly("汇总", "排名", "评价明细", "未结投诉");
        List<Row> summary = workbook.findSheet("汇总").orElseThrow().read();
        assertThat(summary.get(0).getCellText(1)).isEqualTo("周报");
        assertThat(summary.get(1).getCellAsDate(1)).hasValue(LocalDate.of(2026, 11, 16).atStartOfDay());
        assertThat(summary.get(2).getCellAsDate(1)).hasValue(LocalDate.of(2026, 11, 22).atStartOfDay());
        assertThat(summary.get(8).getCellAsNumber(1)).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("0.96"));

        List<Row> ranking = workbook.findSheet("排名").orElseThrow().read();
        assertThat(ranking).extracting(r -> r.getCellText(0) + " " + r.getCellText(1) + " " + r.getCellText(2) + " " + r.getCellText(3))
            .containsExactly("名次 客服 平均得分 评价数", "1 王芳 1.067 3", "2 刘洋 0.975 4", "2 李明 0.975 4", "4 张伟 0.967 3",
                "未排名 赵丽 0.750 2");

        List<Row> ratings = workbook.findSheet("评价明细").orElseThrow().read();
        assertThat(ratings).hasSize(16);
        assertThat(ratings.get(1).getCellAsDate(0)).hasValue(LocalDate.of(2026, 11, 16).atStartOfDay());
        assertThat(ratings.get(1).getCellText(3)).isEqualTo("王芳");
        assertThat(ratings.get(1).getCellAsNumber(5)).hasValueSatisfying(v -> assertThat(v).isEqualByComparingTo("1.1"));

        List<Row> complaints = workbook.findSheet("未结投诉").orElseThrow().read();
        assertThat(complaints).hasSize(2);
        assertThat(complaints.get(1).getCellText(1)).isEqualTo("重大投诉");
        assertThat(complaints.get(1).getCellText(4)).isEqualTo("张伟");
      }
    }
  }
}
