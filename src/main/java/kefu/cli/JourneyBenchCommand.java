package kefu.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import kefu.App;
import kefu.config.KefuConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the follow-up journeys at a business's scale: starts a node in simulator mode (embedded H2, the WeChat API
 * stand-in on loopback), files many customers with milestones, times planning all of them, then times running a
 * day's due steps — each through the channel policy to the outbox and the stand-in (customer-service messages,
 * consented subscription notices, template messages) or to a call task — and reports the heap after each phase
 * (it should not grow with the customers) and the database's size.
 */
@Command(name = "journey-bench", mixinStandardHelpOptions = true,
    description = "Files customers with milestones (simulator mode, embedded H2), plans them, runs a day's due follow-ups against the"
        + " stand-in API; prints times, heap and database size.")
public final class JourneyBenchCommand implements Callable<Integer> {
  private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
  private static final String NOTICE = "tplBenchNotice";

  @Option(names = "--customers", defaultValue = "100000", description = "customers, each with a record and a milestone (default ${DEFAULT-VALUE})")
  int customers;

  @Option(names = "--due", defaultValue = "20000", description = "of them, those whose follow-up is due on the day run (default ${DEFAULT-VALUE})")
  int due;

  @Option(names = "--kb", defaultValue = "knowledge-base", description = "knowledge base the node loads (default ${DEFAULT-VALUE})")
  Path kb;

  @Override
  public Integer call() throws Exception {
    if (due > customers || customers < 1) {
      System.err.println("--due must be at most --customers, and there must be customers");
      return 2;
    }
    Path data = Files.createTempDirectory("kefu-journey-bench").resolve("data");
    KefuConfig config = OutboxBenchCommand.simulatorNode(data, kb,
        Map.of("KEFU_WECHAT_SERVICE_TEMPLATE", "tplBenchService", "KEFU_JOURNEY_SUBSCRIBE_TEMPLATE", NOTICE));
    // The node lives the day before the run day at 09:00 while it plans, then the run day from 10:30: its own timer and
    // the outbox read this clock too, so they find nothing due while it plans and send at once when it runs.
    LocalDate day = LocalDate.now(BEIJING).plusDays(2);
    MovingClock clock = new MovingClock(day.minusDays(1).atTime(9, 0).atZone(BEIJING).toInstant());
    App app = App.start(config, clock);
    try {
      Instant start = Instant.now();
      fill(config.db(), day);
      Duration filling = Duration.between(start, Instant.now());
      long heapFilled = heapAfterGc();

      start = Instant.now();
      // The node's own timer plans alongside: the steps planned are counted in the database.
      while (app.journeys().runDue(clock.instant()).planned() > 0) {
        // each run plans up to a thousand milestones
      }
      long planned = OutboxBenchCommand.count(config.db(), "SELECT COUNT(*) FROM journey_steps");
      Duration planning = Duration.between(start, Instant.now());
      long heapPlanned = heapAfterGc();

      clock.moveTo(day.atTime(10, 30).atZone(BEIJING).toInstant());
      start = Instant.now();
      // The node's timer may take some of the steps meanwhile: what was done is counted in the database.
      app.journeys().runDue(clock.instant());
      Duration running = Duration.between(start, Instant.now());
      OutboxBenchCommand.awaitSent(config.db());
      Duration sending = Duration.between(start, Instant.now());
      long heapRan = heapAfterGc();

      long sent = OutboxBenchCommand.count(config.db(), "SELECT COUNT(*) FROM outbox WHERE status = 'sent'");
      // A survey step in the chat queues two messages (the step's and the first question), so messages outnumber steps.
      long queued = OutboxBenchCommand.count(config.db(), "SELECT COUNT(*) FROM outbox");
      long done = OutboxBenchCommand.count(config.db(), "SELECT COUNT(*) FROM journey_steps WHERE status = 'done'");
      long tasks = OutboxBenchCommand.count(config.db(), "SELECT COUNT(*) FROM call_tasks");
      long bytes = databaseBytes(data);
      System.out.printf("customers=%d due=%d fill_s=%.1f planned_steps=%d planning_s=%.1f steps_done=%d call_tasks=%d running_s=%.1f"
              + " sent_incl_outbox_s=%.1f outbox_sent=%d heap_mb_filled=%d heap_mb_planned=%d heap_mb_ran=%d db_mb=%.1f channels=%s%n",
          customers, due, filling.toMillis() / 1e3, planned, planning.toMillis() / 1e3, done, tasks, running.toMillis() / 1e3,
          sending.toMillis() / 1e3, sent, heapFilled >> 20, heapPlanned >> 20, heapRan >> 20, bytes / 1e6, channels(config.db()));
      return done + tasks == due && sent == queued ? 0 : 1;
    } finally {
      app.stop();
    }
  }

  /**
   * The customers, each a follower with an equipment record: the first {@code due} had a repair closed the day before
   * {@code day} (their survey is due that day at 10:00), the rest have consumables due two months on (planned, not due).
   * Of the due, as of 10:30 that day: six in ten wrote a minute before (customer-service message), one allowed a
   * subscription notice, two last wrote three days before (template message), one is not linked to a follower (call task).
   */
  private void fill(KefuConfig.Db db, LocalDate day) throws Exception {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    OffsetDateTime runAt = day.atTime(10, 30).atZone(BEIJING).toOffsetDateTime();
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password());
        PreparedStatement customer = c.prepareStatement("INSERT INTO customers (openid, created_at, updated_at, last_inbound_at)"
            + " VALUES (?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
        PreparedStatement record = c.prepareStatement("INSERT INTO customer_records (reference, line, customer_id, name, member, link_code,"
            + " created_at, updated_at) VALUES (?, 'equipment', ?, '李先生', FALSE, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
        PreparedStatement milestone = c.prepareStatement("INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at)"
            + " VALUES (?, ?, ?, 'import', ?, ?)", Statement.RETURN_GENERATED_KEYS);
        PreparedStatement consent = c.prepareStatement("INSERT INTO subscribe_consents (customer_id, template_id, event, accepted,"
            + " decided_at) VALUES (?, ?, 'popup', TRUE, ?)", Statement.RETURN_GENERATED_KEYS)) {
      c.setAutoCommit(false);
      for (int i = 0; i < customers; i++) {
        int kind = i % 10;
        boolean isDue = i < due;
        Long follower = isDue && kind == 9 ? null
            : OutboxBenchCommand.insert(customer, "o-journey-" + i, now, now, isDue && kind >= 6 ? runAt.minusDays(3) : runAt.minusMinutes(1));
        if (isDue && kind == 6) {
          // Outside the window, with an "Allow": the notice is the way.
          OutboxBenchCommand.insert(consent, follower, NOTICE, now);
        }
        long recordId = OutboxBenchCommand.insert(record, "B-" + i, follower, "bench" + i, now, now);
        OutboxBenchCommand.insert(milestone, recordId, isDue ? "repair_closed" : "consumables", isDue ? day.minusDays(1) : day.plusDays(60), now, now);
        if (i % 5_000 == 4_999) {
          c.commit();
        }
      }
      c.commit();
    }
  }

  /** The wall clock's pace from a time the bench sets. */
  static final class MovingClock extends Clock {
    private volatile Duration offset;

    MovingClock(Instant from) {
      moveTo(from);
    }

    void moveTo(Instant at) {
      offset = Duration.between(Instant.now(), at);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return BEIJING;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException("the bench's clock is in Beijing time");
    }
  }

  static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  static long databaseBytes(Path data) throws Exception {
    try (Stream<Path> files = Files.walk(data)) {
      return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().endsWith(".mv.db")).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  /** How the day's steps went: steps by channel. */
  private static String channels(KefuConfig.Db db) throws Exception {
    StringBuilder out = new StringBuilder();
    for (String channel : new String[] {"service", "subscribe", "template", "call_task"}) {
      out.append(out.isEmpty() ? "" : ",").append(channel).append(':')
          .append(OutboxBenchCommand.count(db, "SELECT COUNT(*) FROM journey_steps WHERE channel = '" + channel + "'"));
    }
    return out.toString();
  }
}
