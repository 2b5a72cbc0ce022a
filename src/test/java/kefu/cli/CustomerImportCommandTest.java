package kefu.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** customer-import as operations staff run it: what it prints, row by row, and its exit codes. */
class CustomerImportCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int kefu(String... args) throws IOException {
    return Kefu.run(dir, "", out, err, args);
  }

  @Test
  void theSamplesImportWithExitZeroAndAgainAsUpdates() throws IOException {
    Path studio = Path.of("samples/customers-studio.csv");
    Path equipment = Path.of("samples/customers-equipment-gbk.csv");

    assertThat(kefu("customer-import", studio.toString(), "--line", "studio")).isEqualTo(0);
    assertThat(kefu("customer-import", equipment.toString(), "--line", "equipment")).isEqualTo(0);
    assertThat(kefu("customer-import", studio.toString(), "--line", "studio")).isEqualTo(0);

    assertThat(out.toString().lines()).containsExactly(
        studio + " (CSV, UTF-8): 4 rows, 4 good, 0 refused",
        "Imported: 4 new, 0 updated, 18 milestones set or moved",
        equipment + " (CSV, GB18030): 3 rows, 3 good, 0 refused",
        "Imported: 3 new, 0 updated, 9 milestones set or moved",
        studio + " (CSV, UTF-8): 4 rows, 4 good, 0 refused",
        "Imported: 0 new, 4 updated, 0 milestones set or moved");
    assertThat(err.toString()).isEmpty();
  }

  @Test
  void refusedRowsAreListedAtTheirLinesAndADryRunImportsNothing() throws IOException {
    Path csv = Files.writeString(dir.resolve("list.csv"), "票单号,电话,拍照日期,备注\nYL1,13900001234,2026-12-10,\nYL2,12345,2026-12-32,\n");

    assertThat(kefu("customer-import", csv.toString(), "--line", "studio", "--dry-run")).isEqualTo(1);

    assertThat(out.toString().lines()).containsExactly(
        csv + " (CSV, UTF-8): 2 rows, 1 good, 1 refused",
        csv + ":1: note: column 4, \"备注\", is not imported",
        csv + ":3: 电话 is not a phone number (a mobile of 11 digits, or a landline like 020-61006800); 拍照日期 \"2026-12-32\""
            + " is not a date (2026-05-01, 2026/5/1, 2026年5月1日 or 今天+3)",
        "Dry run: nothing imported");
  }

  @Test
  void anUnusableFileOrLineExitsTwo() throws IOException {
    Path csv = Files.writeString(dir.resolve("list.csv"), "name,phone\n陈思雨,13900001234\n");

    assertThat(kefu("customer-import", csv.toString(), "--line", "studio")).isEqualTo(2);
    assertThat(kefu("customer-import", csv.toString(), "--line", "bakery")).isEqualTo(2);

    assertThat(err.toString().lines()).containsExactly(
        "customer-import: " + csv + ":1: the header row has no column 票单号; it needs 票单号, and may have 业务线, 客户姓名, 电话,"
            + " 生日, 农历, 会员, 家庭住址, 套系, 服务人员, 门市人员, 造型师, 摄影师, 礼服师, 预约日期, 拍照日期, 看样日期, 取件日期, 结婚日期,"
            + " 公司名, 联系人, 使用所在地, 型号, 机身号, 购买日期, 保修到期 and 预计更换时间 (found: name, phone)",
        "customer-import: nothing imported",
        "customer-import: --line: \"bakery\" is not studio or equipment");
  }
}
