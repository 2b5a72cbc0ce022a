package kefu.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import kefu.config.ConfigLoader;
import kefu.config.KefuConfig;
import kefu.report.Period;
import kefu.report.Report;
import kefu.report.ReportComputer;
import kefu.report.ReportWorkbook;
import kefu.report.SurveyDimensions;
import kefu.report.Wordings;
import kefu.store.Database;
import kefu.template.Templates;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the monthly report of a busy desk: fills a fresh database (embedded H2 in a temporary directory, or the
 * PostgreSQL given) with a month of messages, tickets (some complaints, some transferred), ratings, bot questions and
 * agents, then times computing the month's report as it is kept and writing its workbook, and reports the heap's peak.
 */
@Command(name = "report-bench", mixinStandardHelpOptions = true,
    description = "Fills a fresh database with a month of a busy desk and measures the monthly report: time and heap.")
public final class ReportBenchCommand implements Callable<Integer> {
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final LocalDate MONTH = LocalDate.of(2026, 11, 1);
  private static final int BATCH = 1000;

  @Option(names = "--messages", defaultValue = "200000", description = "messages in the month (default ${DEFAULT-VALUE})")
  int messages;

  @Option(names = "--tickets", defaultValue = "20000", description = "tickets, one conversation each (default ${DEFAULT-VALUE})")
  int tickets;

  @Option(names = "--ratings", defaultValue = "15000", description = "ratings, of as many tickets (default ${DEFAULT-VALUE})")
  int ratings;

  @Option(names = "--agents", defaultValue = "50", description = "agents who served them (default ${DEFAULT-VALUE})")
  int agents;

  @Option(names = "--db-url", description = "an empty PostgreSQL database to fill (jdbc:postgresql://…); default: embedded H2 in a temporary directory")
  Optional<String> dbUrl;

  @Option(names = "--templates", defaultValue = "templates", description = "templates/ for the workbook's headings (default ${DEFAULT-VALUE})")
  Path templates;

  @Override
  public Integer call() throws Exception {
    if (ratings > tickets) {
      System.err.println("--ratings must not exceed --tickets: a ticket is rated once");
      return 2;
    }
    Path data = Files.createTempDirectory("kefu-report-bench").resolve("data");
    Map<String, String> env = new java.util.HashMap<>(Map.of("KEFU_CONFIG", "none", "KEFU_DATA_DIR", data.toString()));
    dbUrl.ifPresent(url -> env.put("KEFU_DB_URL", url));
    KefuConfig config = ConfigLoader.load(Optional.empty(), env);
    Vertx vertx = Vertx.vertx();
    try (Database db = Database.open(config.db(), vertx, new SimpleMeterRegistry())) {
      long filling = System.nanoTime();
      db.inTransaction(this::fill);
      System.out.printf("filled: messages=%d tickets=%d ratings=%d agents=%d in %.1f s%n", messages, tickets, ratings, agents,
          (System.nanoTime() - filling) / 1e9);

      ReportComputer computer = new ReportComputer(ZONE, 3, Wordings.EXACT, SurveyDimensions.NONE);
      Period month = new Period(Period.Kind.MONTHLY, MONTH, MONTH.plusMonths(1));
      Instant due = MONTH.plusMonths(1).withDayOfMonth(3).atTime(9, 0).atZone(ZONE).toInstant();
      // A first run warms the JIT and the database's caches; the second is measured.
      db.inTransaction(c -> computer.compute(c, month, due));
      long baseline = settledHeap();
      resetPeaks();
      long start = System.nanoTime();
      Report report = db.inTransaction(c -> computer.compute(c, month, due));
      double computeSeconds = (System.nanoTime() - start) / 1e9;
      long computePeak = peakHeap();

      ReportWorkbook workbook = new ReportWorkbook(Templates.load(templates));
      resetPeaks();
      long[] bytes = {0};
      start = System.nanoTime();
      db.inTransaction(c -> {
        try (OutputStream counting = new OutputStream() {
          @Override
          public void write(int b) {
            bytes[0]++;
          }

          @Override
          public void write(byte[] b, int off, int len) {
            bytes[0] += len;
          }
        }) {
          workbook.write(c, report, 1, counting);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        return null;
      });
      double xlsxSeconds = (System.nanoTime() - start) / 1e9;
      long xlsxPeak = peakHeap();
      System.out.printf("monthly report: ratings=%d ranked=%d compute_s=%.2f heap_before_mb=%.1f heap_peak_compute_mb=%.1f"
          + " xlsx_s=%.2f xlsx_kb=%d heap_peak_xlsx_mb=%.1f max_heap_mb=%.0f%n", report.headline().ratings(), report.ranked().size(),
          computeSeconds, mb(baseline), mb(computePeak), xlsxSeconds, bytes[0] / 1024, mb(xlsxPeak), mb(Runtime.getRuntime().maxMemory()));
      return report.headline().ratings() == ratings ? 0 : 1;
    } finally {
      vertx.close().await();
    }
  }

  /** The month's rows, in batches; times spread over the month, busier by day than by night. */
  private Void fill(Connection c) throws SQLException {
    Random random = new Random(42);
    Instant from = MONTH.atStartOfDay(ZONE).toInstant();
    // Two hours short of the month's end, so that every chat's rating half an hour later is still the month's.
    long seconds = MONTH.plusMonths(1).atStartOfDay(ZONE).toInstant().getEpochSecond() - from.getEpochSecond() - 7200;
    Instant made = from.minusSeconds(86_400 * 60);
    try (PreparedStatement agent = c.prepareStatement("INSERT INTO agents (id, login, name, role, password_hash, created_at)"
        + " VALUES (?, ?, ?, 'agent', 'unused', ?)")) {
      for (int a = 1; a <= agents; a++) {
        agent.setLong(1, a);
        agent.setString(2, "agent" + a);
        agent.setString(3, "客服" + a);
        agent.setObject(4, Database.timestamp(made));
        agent.addBatch();
      }
      agent.executeBatch();
    }
    Instant[] opened = new Instant[tickets];
    try (PreparedStatement customer = c.prepareStatement("INSERT INTO customers (id, openid, created_at, updated_at) VALUES (?, ?, ?, ?)");
        PreparedStatement conversation = c.prepareStatement("INSERT INTO conversations (id, customer_id, inbox, status, started_at,"
            + " last_message_at) VALUES (?, ?, 'wechat', 'closed', ?, ?)");
        PreparedStatement ticket = c.prepareStatement("INSERT INTO tickets (id, customer_id, conversation_id, kind, reason, status,"
            + " created_at, updated_at, agent_id, closed_at) VALUES (?, ?, ?, ?, ?, 'closed', ?, ?, ?, ?)");
        PreparedStatement served = c.prepareStatement("INSERT INTO ticket_agents (ticket_id, agent_id, joined_at) VALUES (?, ?, ?)");
        PreparedStatement complaint = c.prepareStatement("INSERT INTO complaints (ticket_id, severity, told, updated_at) VALUES (?, 'normal', ?, ?)")) {
      for (int t = 1; t <= tickets; t++) {
        opened[t - 1] = daytime(from, seconds, random);
        Object at = Database.timestamp(opened[t - 1]);
        Object closed = Database.timestamp(opened[t - 1].plusSeconds(1800));
        set(customer, t, "o-bench-" + t, at, at);
        set(conversation, t, t, at, closed);
        boolean complains = t % 10 == 0;
        int first = 1 + random.nextInt(agents);
        set(ticket, t, t, t, complains ? "complaint" : "handoff", complains ? "complaint" : "asked", at, closed, first, closed);
        set(served, t, first, at);
        if (t % 8 == 0) {
          set(served, t, 1 + (first % agents), Database.timestamp(opened[t - 1].plusSeconds(600)));
        }
        if (complains) {
          set(complaint, t, "投诉主题" + random.nextInt(20), at);
        }
        if (t % BATCH == 0 || t == tickets) {
          for (PreparedStatement s : List.of(customer, conversation, ticket, served, complaint)) {
            s.executeBatch();
          }
        }
      }
    }
    try (PreparedStatement message = c.prepareStatement("INSERT INTO messages (conversation_id, direction, type, text, created_at)"
        + " VALUES (?, ?, 'text', ?, ?)");
        PreparedStatement question = c.prepareStatement("INSERT INTO bot_questions (conversation_id, question, outcome, handed_over,"
            + " asked_at) VALUES (?, ?, ?, FALSE, ?)")) {
      String[] outcomes = {"answer", "answer", "answer", "suggest", "fallback"};
      for (int m = 0; m < messages; m++) {
        int t = 1 + m % tickets;
        Instant at = opened[t - 1].plusSeconds(20L * (m / tickets));
        set(message, t, m % 2 == 0 ? "in" : "out", "您好，请问保修期多久？", Database.timestamp(at));
        if (m % 4 == 0) {
          set(question, t, "问题" + random.nextInt(500), outcomes[random.nextInt(outcomes.length)], Database.timestamp(at));
        }
        if ((m + 1) % BATCH == 0 || m == messages - 1) {
          message.executeBatch();
          question.executeBatch();
        }
      }
    }
    try (PreparedStatement rating = c.prepareStatement("INSERT INTO ratings (customer_id, ticket_id, level, score, created_at)"
        + " VALUES (?, ?, ?, ?, ?)")) {
      String[] scores = {"1.1", "1.0", "0.9", "0.8", "0.7"};
      for (int r = 1; r <= ratings; r++) {
        int level = 1 + Math.min(4, (int) Math.abs(random.nextGaussian() * 1.2));
        set(rating, r, r, level, new java.math.BigDecimal(scores[level - 1]), Database.timestamp(opened[r - 1].plusSeconds(1900)));
        if (r % BATCH == 0 || r == ratings) {
          rating.executeBatch();
        }
      }
    }
    return null;
  }

  /** Binds {@code values} and adds the row to the statement's batch. */
  private static void set(PreparedStatement statement, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      statement.setObject(i + 1, values[i]);
    }
    statement.addBatch();
  }

  /** A time in the month, at 08:00–22:00 local on most days' hours, as a desk's traffic falls. */
  private static Instant daytime(Instant from, long seconds, Random random) {
    Instant at = from.plusSeconds((long) (random.nextDouble() * seconds));
    LocalTime local = at.atZone(ZONE).toLocalTime();
    return local.isBefore(LocalTime.of(8, 0)) ? at.plusSeconds(8 * 3600) : at;
  }

  private static long settledHeap() {
    System.gc();
    return heapPools().stream().mapToLong(p -> p.getUsage().getUsed()).sum();
  }

  private static void resetPeaks() {
    heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  /** The heap's peak since the last reset: the sum of each heap pool's peak, an upper bound of the whole's. */
  private static long peakHeap() {
    return heapPools().stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }

  private static List<MemoryPoolMXBean> heapPools() {
    return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
  }

  private static double mb(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }
}
