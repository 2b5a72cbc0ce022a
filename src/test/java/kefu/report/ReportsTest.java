package kefu.report;

import static kefu.report.ReportFixtures.MONDAY;
import static kefu.report.ReportFixtures.NEXT_MONDAY;
import static kefu.report.ReportFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import kefu.TestStore;
import kefu.config.KefuConfig;
import kefu.template.Templates;
import kefu.rating.Rating;
import kefu.store.Database;
import kefu.ticket.Ticket;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reports as published: made when due and once, caught up after a missed time, kept as they were made while later
 * ratings arrive, re-run as a new version; exported as CSV.
 */
class ReportsTest {
  private static final KefuConfig.Report NINE = new KefuConfig.Report(LocalTime.of(9, 0), LocalTime.of(9, 0), 3, Optional.empty());

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void madeWhenDueOncePerPeriodAndCaughtUpAfterAMissedTime(TestStore store) throws Exception {
    try (TestStore.Open db = store.open(dir)) {
      Reports reports = ReportFixtures.reports(db.db(), NINE);
      assertThat(reports.runDue(at(NEXT_MONDAY, 8, 59))).as("on a fresh desk, the latest due of each kind")
          .extracting(Reports.Snapshot::period).containsExactly(
              new Period(Period.Kind.WEEKLY, MONDAY.minusWeeks(1), MONDAY),
              new Period(Period.Kind.MONTHLY, LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1)));
      assertThat(reports.runDue(at(NEXT_MONDAY, 8, 59))).isEmpty();
      assertThat(reports.runDue(at(NEXT_MONDAY, 9, 0))).extracting(Reports.Snapshot::period)
          .containsExactly(new Period(Period.Kind.WEEKLY, MONDAY, NEXT_MONDAY));
      assertThat(reports.runDue(at(NEXT_MONDAY, 9, 1))).isEmpty();
      assertThat(reports.runDue(at(NEXT_MONDAY.plusDays(3), 12, 0))).as("later that week").isEmpty();

      // The service was down over Monday 30 November 09:00 and the 3rd of December 09:00: it catches up at start.
      assertThat(reports.runDue(at(LocalDate.of(2026, 12, 4), 7, 0))).extracting(Reports.Snapshot::period).containsExactly(
          new Period(Period.Kind.WEEKLY, NEXT_MONDAY, NEXT_MONDAY.plusWeeks(1)),
          new Period(Period.Kind.MONTHLY, LocalDate.of(2026, 11, 1), LocalDate.of(2026, 12, 1)));
      assertThat(db.db().inTransaction(reports::list)).hasSize(5).allSatisfy(s -> assertThat(s.version()).isEqualTo(1));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aReportStaysAsMadeWhenARatingComesLateAndARerunIsANewVersion(TestStore store) throws Exception {
    try (TestStore.Open db = store.open(dir)) {
      ReportFixtures fixtures = new ReportFixtures();
      db.db().inTransaction(fixtures::load);
      Reports reports = ReportFixtures.reports(db.db(), NINE);
      Reports.Snapshot weekly = reports.runDue(at(NEXT_MONDAY, 9, 0)).get(0);
      Report made = db.db().inTransaction(c -> reports.byId(c, weekly.id())).orElseThrow().report();
      assertThat(made.headline().ratings()).isEqualTo(15);

      db.db().inTransaction(c -> {
        Instant late = at(MONDAY.plusDays(2), 14, 0);
        Ticket ticket = fixtures.ticket(c, Ticket.Kind.HANDOFF, late);
        fixtures.rate(c, ticket, late, Rating.VERY_DISSATISFIED);
        return null;
      });
      assertThat(db.db().inTransaction(c -> reports.byId(c, weekly.id())).orElseThrow().report()).isEqualTo(made);

      Reports.Snapshot rerun = reports.rerun(weekly.id(), at(NEXT_MONDAY, 15, 0)).orElseThrow();
      assertThat(rerun.version()).isEqualTo(2);
      assertThat(rerun.period()).isEqualTo(weekly.period());
      assertThat(db.db().inTransaction(c -> reports.byId(c, rerun.id())).orElseThrow().report().headline().ratings()).isEqualTo(16);
      assertThat(db.db().inTransaction(c -> reports.byId(c, weekly.id())).orElseThrow().report()).isEqualTo(made);
      assertThat(reports.runDue(at(NEXT_MONDAY, 16, 0))).as("a period with versions is made").isEmpty();
    }
  }

  /** Two nodes on one PostgreSQL, their timers firing at the same moment: one report per period. */
  @Test
  void twoRunnersOnOneDatabaseMakeEachReportOnce() throws Exception {
    try (TestStore.Open db = TestStore.POSTGRES.open(dir);
        Database other = Database.open(db.settings(), db.vertx(), new SimpleMeterRegistry())) {
      db.db().inTransaction(new ReportFixtures()::load);
      List<Reports> runners = List.of(ReportFixtures.reports(db.db(), NINE), ReportFixtures.reports(other, NINE));
      List<Reports.Snapshot> madeByEither = fiveMondaysTogether(runners);
      // Five Mondays: five weeks; October's month when the first came, November's after 3 December.
      List<Reports.Snapshot> all = db.db().inTransaction(runners.get(0)::list);
      assertThat(all).hasSize(7).allSatisfy(s -> assertThat(s.version()).isEqualTo(1));
      assertThat(madeByEither).extracting(Reports.Snapshot::period).doesNotHaveDuplicates()
          .containsExactlyInAnyOrderElementsOf(all.stream().map(Reports.Snapshot::period).toList());
    }
  }

  /** A WeChat channel that queues what it is given and allows {@code left} customer-service messages now. */
  private static final class Channel implements kefu.conversation.Delivery {
    final java.util.concurrent.atomic.AtomicInteger queued = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger woken = new java.util.concurrent.atomic.AtomicInteger();
    private final int left;

    Channel(int left) {
      this.left = left;
    }

    @Override
    public void queue(java.sql.Connection c, long customerId, kefu.conversation.Message message, Instant now) {
      queued.incrementAndGet();
    }

    @Override
    public void queue(java.sql.Connection c, long customerId, kefu.conversation.Message message, Route route,
        Optional<String> templateId, Instant now) {
      queued.incrementAndGet();
    }

    @Override
    public void wake() {
      woken.incrementAndGet();
    }

    @Override
    public boolean settle(java.sql.Connection c, long messageId, boolean resend, Instant now) {
      return false;
    }

    @Override
    public Allowance allowance(java.sql.Connection c, long customerId, Instant now) {
      return new Allowance(left, left > 0 ? Optional.of(now.plusSeconds(3600)) : Optional.empty());
    }
  }

  private static Reports delivering(Database db, Channel channel, boolean templates) {
    return new Reports(db, ReportFixtures.BEIJING, new KefuConfig.Report(LocalTime.of(9, 0), LocalTime.of(9, 0), 3,
        Optional.of("https://kefu.example.com")), Templates.load(Path.of("templates")), Wordings.EXACT, SurveyDimensions.NONE,
        ManagerLine.through(channel, "o-manager", templates));
  }

  /**
   * Two nodes on one PostgreSQL, their timers firing together five Mondays running and again after a restart: each
   * period's report reaches the manager once — one message in their conversation, one delivery row, one queued.
   */
  @Test
  void twoNodesDeliverEachPeriodToTheManagerExactlyOnce() throws Exception {
    try (TestStore.Open db = TestStore.POSTGRES.open(dir);
        Database other = Database.open(db.settings(), db.vertx(), new SimpleMeterRegistry())) {
      db.db().inTransaction(new ReportFixtures()::load);
      Channel first = new Channel(5);
      Channel second = new Channel(5);
      List<Reports> nodes = List.of(delivering(db.db(), first, false), delivering(other, second, false));
      fiveMondaysTogether(nodes);
      // Restarted later, the same Monday: nothing is due that was not delivered.
      Reports restarted = delivering(db.db(), new Channel(5), false);
      assertThat(restarted.runDue(at(NEXT_MONDAY.plusWeeks(4), 9, 30))).isEmpty();

      int periods = db.db().inTransaction(c -> kefu.store.Sql.count(c, "SELECT COUNT(*) FROM reports"));
      assertThat(periods).isEqualTo(7);
      int delivered = db.db().inTransaction(c -> kefu.store.Sql.count(c, "SELECT COUNT(*) FROM report_deliveries WHERE channel = 'service'"));
      assertThat(delivered).isEqualTo(7);
      int toManager = db.db().inTransaction(c -> kefu.store.Sql.count(c, "SELECT COUNT(*) FROM messages m"
          + " JOIN conversations v ON v.id = m.conversation_id JOIN customers u ON u.id = v.customer_id"
          + " WHERE u.openid = 'o-manager' AND m.direction = 'out'"));
      assertThat(toManager).isEqualTo(7);
      assertThat(first.queued.get() + second.queued.get()).isEqualTo(7);
    }
  }

  @Test
  void theManagerGetsTheHeadlineInTheWindowElseByTemplateElseOnlyTheConsoleNotice() throws Exception {
    try (TestStore.Open db = TestStore.H2.open(dir)) {
      db.db().inTransaction(new ReportFixtures()::load);
      Channel open = new Channel(5);
      Reports.Snapshot weekly = delivering(db.db(), open, false).runDue(at(NEXT_MONDAY, 9, 0)).get(0);
      assertThat(open.queued.get()).as("the week's and October's").isEqualTo(2);
      assertThat(open.woken.get()).isEqualTo(1);
      String text = db.db().inTransaction(c -> kefu.store.Sql.one(c, "SELECT m.text FROM report_deliveries d"
          + " JOIN messages m ON m.id = d.message_id WHERE d.report_id = ?", row -> row.string("text"), weekly.id())).orElseThrow();
      assertThat(text).isEqualTo("【服务报告】周报（2026-11-16 至 2026-11-22）已生成。\n"
          + "会话 17 个，工单 17 张，评价 15 条，平均得分 0.960；\n"
          + "排名第一：王芳；未结投诉 1 件，超时 0 次。\n"
          + "查看完整报告：https://kefu.example.com/desk/reports/" + weekly.id());

      // The window closed: the template message when one is configured, else the console's notice alone.
      Channel closed = new Channel(0);
      delivering(db.db(), closed, true).runDue(at(NEXT_MONDAY.plusWeeks(1), 9, 0));
      Channel nothing = new Channel(0);
      // Monday 7 December: the week's report, and November's made now (due on the 3rd, the service was not running).
      delivering(db.db(), nothing, false).runDue(at(NEXT_MONDAY.plusWeeks(2), 9, 0));
      assertThat(closed.queued.get()).isEqualTo(1);
      assertThat(nothing.queued.get()).isZero();
      List<String> routes = db.db().inTransaction(c -> kefu.store.Sql.list(c, "SELECT channel, message_id FROM report_deliveries"
          + " WHERE kind = 'weekly' ORDER BY period_start", row -> row.string("channel") + row.optionalLong("message_id").map(id -> "+").orElse("")));
      assertThat(routes).containsExactly("service+", "template+", "console");
      List<Reports.Delivered> notice = db.db().inTransaction(c -> ReportFixtures.reports(db.db(), NINE).deliveredSince(c, at(NEXT_MONDAY, 0, 0)));
      assertThat(notice).extracting(d -> d.route().name()).containsExactly("CONSOLE", "CONSOLE", "TEMPLATE", "SERVICE", "SERVICE");
    }
  }

  /** Five Mondays from {@link ReportFixtures#NEXT_MONDAY} at 09:00, the runners' timers firing together each time: what they made. */
  private static List<Reports.Snapshot> fiveMondaysTogether(List<Reports> runners) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(runners.size());
    List<Reports.Snapshot> madeByEither = new ArrayList<>();
    try {
      for (int round = 0; round < 5; round++) {
        Instant now = at(NEXT_MONDAY.plusWeeks(round), 9, 0);
        CyclicBarrier together = new CyclicBarrier(runners.size());
        List<Future<List<Reports.Snapshot>>> made = new ArrayList<>();
        for (Reports runner : runners) {
          made.add(threads.submit((Callable<List<Reports.Snapshot>>) () -> {
            together.await();
            return runner.runDue(now);
          }));
        }
        for (Future<List<Reports.Snapshot>> f : made) {
          madeByEither.addAll(f.get());
        }
      }
    } finally {
      threads.shutdownNow();
    }
    return madeByEither;
  }

  /**
   * The moment the key is for: another node inserts the week's report after this one found none and before it
   * inserts its own. This node's insert waits for the other's transaction, then fails on the key; it is not an
   * error, and the week has one report.
   */
  @Test
  void aReportAnotherNodeMakesMeanwhileIsNotMadeTwice() throws Exception {
    try (TestStore.Open db = TestStore.POSTGRES.open(dir);
        Database other = Database.open(db.settings(), db.vertx(), new SimpleMeterRegistry())) {
      Reports reports = ReportFixtures.reports(db.db(), NINE);
      Period week = new Period(Period.Kind.WEEKLY, MONDAY, NEXT_MONDAY);
      ExecutorService thread = Executors.newSingleThreadExecutor();
      try (java.sql.Connection otherNode = other.dataSource().getConnection()) {
        otherNode.setAutoCommit(false);
        kefu.store.Sql.update(otherNode, "INSERT INTO reports (kind, period_start, period_end, version, created_at, content)"
            + " VALUES (?, ?, ?, 1, ?, '{}')", week.kind(), week.start(), week.end(), at(NEXT_MONDAY, 9, 0));
        Future<List<Reports.Snapshot>> made = thread.submit(() -> reports.runDue(at(NEXT_MONDAY, 9, 0)));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> waitingForALock(db.db()));
        otherNode.commit();
        assertThat(made.get()).extracting(Reports.Snapshot::period).as("the month only")
            .containsExactly(new Period(Period.Kind.MONTHLY, LocalDate.of(2026, 10, 1), LocalDate.of(2026, 11, 1)));
      } finally {
        thread.shutdownNow();
      }
      assertThat(db.db().inTransaction(reports::list)).extracting(Reports.Snapshot::period).filteredOn(p -> p.equals(week)).hasSize(1);
    }
  }

  /** Whether a session of the test's database waits for a lock: the runner's insert, behind the other node's. */
  private static boolean waitingForALock(Database db) throws Exception {
    return db.inTransaction(c -> kefu.store.Sql.count(c, "SELECT COUNT(*) FROM pg_locks l"
        + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.query LIKE 'INSERT INTO reports%'") > 0);
  }

  @Test
  void theRatingsExportIsCsvWithAByteOrderMarkOneRowPerRating() throws Exception {
    try (TestStore.Open db = TestStore.H2.open(dir)) {
      ReportFixtures.Made fixture = db.db().inTransaction(new ReportFixtures()::load);
      Reports reports = ReportFixtures.reports(db.db(), NINE);
      Reports.Stored weekly = db.db().inTransaction(c -> reports.byId(c, reports.runDue(at(NEXT_MONDAY, 9, 0)).get(0).id())).orElseThrow();

      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
      db.db().inTransaction(c -> {
        try (java.io.Writer out = new java.io.OutputStreamWriter(bytes, java.nio.charset.StandardCharsets.UTF_8)) {
          new RatingsCsv(Templates.load(Path.of("templates"))).write(c, weekly.report(), out);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return null;
      });
      // As Excel opens it: the first three bytes are UTF-8's byte-order mark, the rest UTF-8 (no GBK anywhere).
      byte[] raw = bytes.toByteArray();
      assertThat(java.util.Arrays.copyOf(raw, 3)).containsExactly(0xEF, 0xBB, 0xBF);
      String csv = java.nio.charset.StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(raw)).toString();
      assertThat(csv).startsWith("\uFEFF日期,时间,工单,客服,评价,分数\r\n");
      assertThat(ReportWorkbook.fileName(weekly.report(), weekly.snapshot().version(), "csv")).isEqualTo("weekly-2026-11-16-v1.csv");
      List<CSVRecord> rows = CSVFormat.EXCEL.builder().setHeader().setSkipHeaderRecord(true).get()
          .parse(new StringReader(csv.substring(1))).getRecords();
      assertThat(rows).hasSize(15);
      assertThat(rows.get(0).toList()).containsExactly("2026-11-16", "00:00", rows.get(0).get("工单"), "王芳", "非常满意", "1.1");
      assertThat(rows).filteredOn(r -> r.get("工单").equals(Long.toString(fixture.transferredTicket()))).singleElement()
          .satisfies(r -> assertThat(r.get("客服")).isEqualTo("王芳、李明"));
      assertThat(rows).extracting(r -> r.get("日期")).allMatch(d -> d.matches("2026-11-(1[6-9]|2[0-2])"));
    }
  }
}
