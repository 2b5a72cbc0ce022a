package kefu.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import kefu.TestStore;
import kefu.table.Table;
import kefu.table.TableReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** customer-import's rules on real files and a real database: what goes in, what is refused and where, and re-imports. */
class CustomerImportTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-06T02:00:00Z"), SHANGHAI);
  private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

  @TempDir Path dir;

  private static final String STUDIO = """
      票单号,客户姓名,电话,生日,农历,会员,套系,摄影师,预约日期,拍照日期,看样日期,取件日期,结婚日期
      YL1,陈思雨,139 0000 1234,1996-03-18,,是,经典套系,李强,2026-12-01,今天+3,2027/1/5,2027年1月20日,20270301
      YL2,林晓彤,13900005678,1995-08-15,是,否,,,今天,,,,
      YL3,黄嘉欣,12345,农历闰四月初八,,也许,,,2026-02-30,,,,
      YL1,重复,13900001111,,,,,,,,,,
      ,无单号,,,,,,,,,,,
      YL6,周婷,020-61006800,,,,,,昨天,,,,
      """;

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void goodRowsGoInTogetherAndRefusedRowsAreListedWithTheirLines(TestStore kind) throws Exception {
    Path csv = Files.writeString(dir.resolve("studio.csv"), STUDIO);
    List<Milestone> told = new CopyOnWriteArrayList<>();
    try (TestStore.Open store = kind.open(dir)) {
      CustomerRecords records = new CustomerRecords((c, m) -> told.add(m));
      CustomerImport.Report report = new CustomerImport(store.db(), records, CLOCK)
          .run(TableReader.read(csv, CustomerImport.COLUMNS), Optional.of("studio"), CustomerImport.Mode.VALID_ROWS, false);

      assertThat(report.refused()).extracting(CustomerImport.Refused::line, CustomerImport.Refused::reason).containsExactly(
          tuple(4, "电话 is not a phone number (a mobile of 11 digits, or a landline like 020-61006800); 会员 \"也许\" is not 是 or 否;"
              + " 预约日期 \"2026-02-30\" is not a date (2026-05-01, 2026/5/1, 2026年5月1日 or 今天+3)"),
          tuple(5, "票单号 YL1 is also on line 2; one row per reference"),
          tuple(6, "票单号 is empty"),
          tuple(7, "预约日期 \"昨天\" is not a date (2026-05-01, 2026/5/1, 2026年5月1日 or 今天+3)"));
      assertThat(report.written()).isTrue();
      assertThat(report.created()).isEqualTo(2);
      assertThat(report.milestones()).isEqualTo(6);

      CustomerRecord yl1 = store.db().inTransaction(c -> records.byReference(c, "YL1")).orElseThrow();
      assertThat(yl1.line()).isEqualTo("studio");
      assertThat(yl1.details().name()).contains("陈思雨");
      assertThat(yl1.details().phone()).contains("13900001234");
      assertThat(yl1.details().member()).isTrue();
      assertThat(yl1.details().staff()).contains("摄影师：李强");
      assertThat(yl1.linkCode()).matches("r[2-9a-z]{9}");
      var read1 = store.db().inTransaction(c -> records.milestones(c, yl1.id()));
      assertThat(read1)
          .extracting(Milestone::kind, Milestone::onDate, Milestone::source)
          .containsExactly(
              tuple(MilestoneKind.BOOKING, LocalDate.of(2026, 12, 1), Milestone.Source.IMPORT),
              tuple(MilestoneKind.SHOOT, TODAY.plusDays(3), Milestone.Source.IMPORT),
              tuple(MilestoneKind.PROOFS, LocalDate.of(2027, 1, 5), Milestone.Source.IMPORT),
              tuple(MilestoneKind.PICKUP, LocalDate.of(2027, 1, 20), Milestone.Source.IMPORT),
              tuple(MilestoneKind.WEDDING, LocalDate.of(2027, 3, 1), Milestone.Source.IMPORT));
      CustomerRecord yl2 = store.db().inTransaction(c -> records.byReference(c, "YL2")).orElseThrow();
      assertThat(yl2.details().birthday()).contains(new Birthday(Optional.of(1995), 8, 15, true, false));
      assertThat(told).hasSize(6);
      var found = store.db().inTransaction(c -> records.search(c, "陈思", 10));
      assertThat(found).extracting(CustomerRecord::reference).containsExactly("YL1");
      var byLike = store.db().inTransaction(c -> records.search(c, "YL_", 10));
      assertThat(byLike).isEmpty();
      var read2 = store.db().inTransaction(c -> records.byReference(c, "YL3"));
      assertThat(read2).isEmpty();
    }
  }

  @Test
  void allOrNothingWritesNothingWhenARowIsRefusedAndADryRunNeverWrites() throws Exception {
    Path csv = Files.writeString(dir.resolve("studio.csv"), STUDIO);
    try (TestStore.Open store = TestStore.H2.open(dir)) {
      CustomerRecords records = new CustomerRecords(MilestoneChanges.NONE);
      CustomerImport importer = new CustomerImport(store.db(), records, CLOCK);
      Table table = TableReader.read(csv, CustomerImport.COLUMNS);

      CustomerImport.Report strict = importer.run(table, Optional.of("studio"), CustomerImport.Mode.ALL_OR_NOTHING, false);
      CustomerImport.Report dry = importer.run(table, Optional.of("studio"), CustomerImport.Mode.VALID_ROWS, true);

      assertThat(strict.written()).isFalse();
      assertThat(strict.refused()).hasSize(4);
      assertThat(dry.written()).isFalse();
      assertThat(dry.refused()).hasSize(4);
      var read3 = store.db().inTransaction(c -> records.search(c, "", 10));
      assertThat(read3).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void reImportingAReferenceUpdatesTheRecordAndMovesItsMilestones(TestStore kind) throws Exception {
    Path first = Files.writeString(dir.resolve("first.csv"), """
        票单号,客户姓名,电话,拍照日期,看样日期
        YL1,陈思雨,13900001234,2026-12-10,2026-12-20
        """);
    Path second = Files.writeString(dir.resolve("second.csv"), """
        order,name,shoot date,proofs date
        YL1,陈思雨（改）,2026-12-12,2026-12-20
        """);
    List<Milestone> told = new CopyOnWriteArrayList<>();
    try (TestStore.Open store = kind.open(dir)) {
      CustomerRecords records = new CustomerRecords((c, m) -> told.add(m));
      CustomerImport importer = new CustomerImport(store.db(), records, CLOCK);
      importer.run(TableReader.read(first, CustomerImport.COLUMNS), Optional.of("studio"), CustomerImport.Mode.VALID_ROWS, false);
      long id = store.db().inTransaction(c -> records.byReference(c, "YL1")).orElseThrow().id();
      String code = store.db().inTransaction(c -> records.byId(c, id)).orElseThrow().linkCode();
      store.db().inTransaction(c -> records.cancelMilestone(c, id, MilestoneKind.SHOOT, "客户改期，等待新日期", CLOCK.instant()));
      told.clear();

      CustomerImport.Report again = importer.run(TableReader.read(second, CustomerImport.COLUMNS), Optional.of("studio"),
          CustomerImport.Mode.VALID_ROWS, false);

      assertThat(again.created()).isZero();
      assertThat(again.updated()).isEqualTo(1);
      assertThat(again.milestones()).isEqualTo(1);
      CustomerRecord after = store.db().inTransaction(c -> records.byId(c, id)).orElseThrow();
      assertThat(after.details().name()).contains("陈思雨（改）");
      assertThat(after.details().phone()).contains("13900001234");
      assertThat(after.linkCode()).isEqualTo(code);
      assertThat(told).singleElement().satisfies(m -> {
        assertThat(m.kind()).isEqualTo(MilestoneKind.SHOOT);
        assertThat(m.onDate()).isEqualTo(LocalDate.of(2026, 12, 12));
        assertThat(m.cancelled()).isFalse();
        assertThat(m.cancelReason()).isEmpty();
      });
    }
  }

  @Test
  void cancellingKeepsTheDateAndTheReason() throws Exception {
    try (TestStore.Open store = TestStore.H2.open(dir)) {
      CustomerRecords records = new CustomerRecords(MilestoneChanges.NONE);
      long id = store.db().inTransaction(c -> records.save(c, "BL-1", "equipment", CustomerRecord.Details.NONE, CLOCK.instant())).id();
      store.db().inTransaction(c -> records.setMilestone(c, id, MilestoneKind.WARRANTY_END, LocalDate.of(2027, 2, 1),
          Milestone.Source.API, CLOCK.instant()));

      Milestone cancelled = store.db().inTransaction(c -> records.cancelMilestone(c, id, MilestoneKind.WARRANTY_END,
          "客户已决定不续保", CLOCK.instant())).orElseThrow();

      assertThat(cancelled.onDate()).isEqualTo(LocalDate.of(2027, 2, 1));
      assertThat(cancelled.cancelledAt()).contains(CLOCK.instant());
      assertThat(cancelled.cancelReason()).contains("客户已决定不续保");
      var read4 = store.db().inTransaction(c -> records.cancelMilestone(c, id, MilestoneKind.PURCHASE, "无", CLOCK.instant()));
      assertThat(read4).isEmpty();
    }
  }

  @Test
  void theShippedSamplesImportCleanInGbkUtf8WithBomAndXlsx() throws Exception {
    try (TestStore.Open store = TestStore.H2.open(dir)) {
      CustomerRecords records = new CustomerRecords(MilestoneChanges.NONE);
      CustomerImport importer = new CustomerImport(store.db(), records, CLOCK);
      Table studio = TableReader.read(Path.of("samples/customers-studio.csv"), CustomerImport.COLUMNS);
      Table equipment = TableReader.read(Path.of("samples/customers-equipment-gbk.csv"), CustomerImport.COLUMNS);

      CustomerImport.Report s = importer.run(studio, Optional.of("studio"), CustomerImport.Mode.ALL_OR_NOTHING, false);
      CustomerImport.Report e = importer.run(equipment, Optional.of("equipment"), CustomerImport.Mode.ALL_OR_NOTHING, false);
      Table workbook = TableReader.read(Path.of("samples/customers-studio.xlsx"), CustomerImport.COLUMNS);
      CustomerImport.Report x = importer.run(workbook, Optional.of("studio"), CustomerImport.Mode.ALL_OR_NOTHING, false);

      assertThat(studio.format()).isEqualTo("CSV, UTF-8");
      assertThat(equipment.format()).isEqualTo("CSV, GB18030");
      assertThat(s.refused()).isEmpty();
      assertThat(e.refused()).isEmpty();
      assertThat(s.created()).isEqualTo(4);
      assertThat(e.created()).isEqualTo(3);
      assertThat(workbook.format()).isEqualTo("XLSX");
      assertThat(x.refused()).isEmpty();
      assertThat(x.created()).isEqualTo(4);
      assertThat(x.milestones()).isEqualTo(s.milestones());
      CustomerRecord fax = store.db().inTransaction(c -> records.byReference(c, "BL-2026-0382")).orElseThrow();
      assertThat(fax.details().company()).contains("广州市荔湾区明德小学");
      assertThat(fax.details().serialNumber()).contains("PN328-10293");
      var read5 = store.db().inTransaction(c -> records.milestone(c, fax.id(), MilestoneKind.CONSUMABLES));
      assertThat(read5)
          .map(Milestone::onDate).contains(TODAY.plusDays(7));
      CustomerRecord lunar = store.db().inTransaction(c -> records.byReference(c, "YL20260103")).orElseThrow();
      assertThat(lunar.details().birthday()).contains(new Birthday(Optional.empty(), 4, 8, true, true));
      // A birthday of the import's day, so that the greetings have someone to greet today, whenever the samples go in.
      CustomerRecord today = store.db().inTransaction(c -> records.byReference(c, "YL20260101")).orElseThrow();
      assertThat(today.details().birthday()).contains(new Birthday(Optional.empty(), TODAY.getMonthValue(), TODAY.getDayOfMonth(), false, false));
    }
  }

  @Test
  void gbkRowsAreRefusedAtTheirLinesLikeUtf8Ones() throws Exception {
    Path csv = dir.resolve("gbk.csv");
    Files.write(csv, """
        单号,公司名,联系电话,购买日期,业务线
        BL-1,广州宏达贸易有限公司,13800001111,2026-12-01,办公设备
        BL-2,广州市明德小学,13800001111,2026-13-01,办公设备
        BL-3,深圳启航科技,13600002222,2026-12-01,餐饮
        """.getBytes(Charset.forName("GBK")));
    try (TestStore.Open store = TestStore.H2.open(dir)) {
      CustomerImport.Report report = new CustomerImport(store.db(), new CustomerRecords(MilestoneChanges.NONE), CLOCK)
          .run(TableReader.read(csv, CustomerImport.COLUMNS), Optional.empty(), CustomerImport.Mode.VALID_ROWS, false);

      assertThat(report.format()).isEqualTo("CSV, GB18030");
      assertThat(report.refused()).extracting(CustomerImport.Refused::line, CustomerImport.Refused::reason).containsExactly(
          tuple(3, "购买日期 \"2026-13-01\" is not a date (2026-05-01, 2026/5/1, 2026年5月1日 or 今天+3)"),
          tuple(4, "业务线 \"餐饮\" is not a known line (studio/影楼 or equipment/办公设备)"));
      assertThat(report.created()).isEqualTo(1);
    }
  }

  @Test
  void birthdaysSolarAndLunar() {
    assertThat(CustomerImport.birthday("1992-05-17", "", TODAY)).isEqualTo(new Birthday(Optional.of(1992), 5, 17, false, false));
    assertThat(CustomerImport.birthday("农历1992-04-08", "", TODAY)).isEqualTo(new Birthday(Optional.of(1992), 4, 8, true, false));
    assertThat(CustomerImport.birthday("05-17", "农历", TODAY)).isEqualTo(new Birthday(Optional.empty(), 5, 17, true, false));
    assertThat(CustomerImport.birthday("农历腊月廿三", "", TODAY)).isEqualTo(new Birthday(Optional.empty(), 12, 23, true, false));
    assertThat(CustomerImport.birthday("1990年闰四月初八", "", TODAY)).isEqualTo(new Birthday(Optional.of(1990), 4, 8, true, true));
    // Relative, as the shipped samples are: the day that many days on, its year unknown; never lunar.
    LocalDate inThree = TODAY.plusDays(3);
    assertThat(CustomerImport.birthday("今天+3", "", TODAY))
        .isEqualTo(new Birthday(Optional.empty(), inThree.getMonthValue(), inThree.getDayOfMonth(), false, false));
    assertThatThrownBy(() -> CustomerImport.birthday("今天", "农历", TODAY)).hasMessageContaining("which a lunar birthday cannot be");
    assertThat(CustomerImport.date("今天-3", TODAY, false)).contains(TODAY.minusDays(3));
    assertThat(CustomerImport.date("46000", TODAY, true)).contains(LocalDate.of(2025, 12, 9));
    assertThat(CustomerImport.date("46000", TODAY, false)).isEmpty();
  }
}
