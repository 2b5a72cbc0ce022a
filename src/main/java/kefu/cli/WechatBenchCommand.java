package kefu.cli;

import com.sun.management.OperatingSystemMXBean;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.App;
import kefu.channel.simulator.SimulatedWechat;
import kefu.channel.wechat.WechatCrypto;
import kefu.config.ConfigLoader;
import kefu.config.KefuConfig;
import kefu.kb.Entry;
import kefu.kb.KnowledgeBaseLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the WeChat webhook under load on loopback, against a bare Vert.x server in the same run: the channel
 * path (a greeting answered from templates) and the FAQ path (edited similar questions, vectors on).
 *
 * <p>The load comes from wrk, a separate process written in C, so that the generator's own cost does not cap the
 * ceiling: a generator in this JVM reached 3,000 requests/s against the bare server, plain wrk over 55,000.
 */
@Command(name = "wechat-bench", mixinStandardHelpOptions = true,
    description = "Load-test /wechat (simulator mode, embedded H2 or --db) and a bare Vert.x server with wrk; prints one line per run.")
public final class WechatBenchCommand implements Callable<Integer> {
  private static final String HELLO = "hello";
  private static final Pattern RESULT = Pattern.compile(
      "RESULT requests=(\\d+) duration_us=(\\d+) errors=(\\d+) p50_us=(\\d+) p99_us=(\\d+)");

  @Option(names = "--seconds", defaultValue = "10", description = "length of each run (default ${DEFAULT-VALUE})")
  int seconds;

  // On two cores the JIT is still compiling (C2 on 0.6 of a core, H2's and the node's methods) after 30 s of load;
  // it settles after about 40.
  @Option(names = "--warmup", defaultValue = "60", description = "seconds of load before the channel is measured, for the JIT (default ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--connections", defaultValue = "64", description = "wrk connections (default ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--rate", defaultValue = "1000", description = "messages/s of the channel path's fixed-rate run (default ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--faq-rates", split = ",", defaultValue = "100,150,200,250,300",
      description = "messages/s tried on the FAQ path (default ${DEFAULT-VALUE})")
  List<Integer> faqRates;

  @Option(names = "--kb", defaultValue = "knowledge-base", description = "knowledge base for the FAQ path (default ${DEFAULT-VALUE})")
  Path kb;

  @Option(names = "--db", defaultValue = "",
      description = "a PostgreSQL JDBC URL (user and password in it) to measure on, in a schema of its own made and dropped by the run,"
          + " or an H2 URL used as it is (jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1: the ceiling without a disk); default: embedded H2 in a temporary directory")
  String db;

  @Option(names = "--wrk", defaultValue = "wrk", description = "the wrk program (Debian: apt install wrk) (default ${DEFAULT-VALUE})")
  String wrkProgram;

  @Override
  public Integer call() throws Exception {
    Path work = Files.createTempDirectory("kefu-bench");
    Wrk wrk = new Wrk(wrkProgram, work, connections, Duration.ofSeconds(seconds));
    if (!wrk.available()) {
      System.err.println("wechat-bench needs wrk on the PATH (Debian: apt install wrk), or --wrk PROGRAM");
      return 2;
    }
    if (db.startsWith("jdbc:h2:")) {
      return measure(work, wrk, Optional.of(db));
    }
    Optional<String> schema = db.isEmpty() ? Optional.empty()
        : Optional.of("kefu_bench_" + Long.toHexString(new Random().nextLong() & Long.MAX_VALUE));
    if (schema.isPresent()) {
      sql(db, "CREATE SCHEMA " + schema.get());
    }
    try {
      return measure(work, wrk, schema.map(s -> db + (db.contains("?") ? "&" : "?") + "currentSchema=" + s));
    } finally {
      if (schema.isPresent()) {
        sql(db, "DROP SCHEMA " + schema.get() + " CASCADE");
      }
    }
  }

  private int measure(Path work, Wrk wrk, Optional<String> dbUrl) throws Exception {
    KefuConfig config = benchConfig(work.resolve("data"), kb, freePort(), dbUrl);
    App app;
    try {
      app = App.start(config);
    } catch (RuntimeException e) {
      // As serve says it: run the bench from the project's directory, where templates/ and the knowledge base are.
      System.err.println("kefu: cannot start the node to measure: " + e.getMessage());
      return ServeCommand.START_FAILED;
    }
    Vertx vertx = Vertx.vertx();
    try {
      // The ceiling: one bare server per core on one port, as kefu deploys its own.
      int helloPort = freePort();
      for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
        vertx.createHttpServer().requestHandler(r -> r.response().end(HELLO)).listen(helloPort, "127.0.0.1").await();
      }
      awaitKnowledgeBase(vertx, app.port());
      SimulatedWechat wechat = new SimulatedWechat(config.wechat().token(), new WechatCrypto(config.wechat()), App.clock(config));
      List<String> greeting = List.of("你好");
      List<String> questions = editedQuestions(kb, new Random(42));

      wrk.run(app.port(), wechat, greeting, Duration.ofSeconds(warmup), 0);
      Result bare = wrk.run(helloPort, wechat, greeting, 0);
      print("hello-vertx", "throughput", bare, OptionalDouble.empty());
      Result channel = wrk.run(app.port(), wechat, greeting, 0);
      print("channel", "throughput", channel, OptionalDouble.of(channel.perSecond() / bare.perSecond()));
      // On a machine shared with other work the rates swing; what this JVM spends per message swings less.
      System.out.printf("path=channel run=throughput cpu_of_bare_vertx=%.1f%%%n", 100 * bare.cpuPerMessage() / channel.cpuPerMessage());
      print("channel", "rate=" + rate, wrk.run(app.port(), wechat, greeting, rate), OptionalDouble.empty());
      wrk.run(app.port(), wechat, questions, Duration.ofSeconds(Math.max(5, warmup / 3)), faqRates.get(0));
      for (int r : faqRates) {
        print("faq", "rate=" + r, wrk.run(app.port(), wechat, questions, r), OptionalDouble.empty());
      }
      return 0;
    } finally {
      vertx.close().await();
      app.stop();
    }
  }

  /** A port free now; a fixed port lets kefu run one server per core (port 0 gets one). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Runs one statement on the database {@code url}. */
  private static void sql(String url, String statement) throws SQLException {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }

  private static void print(String path, String run, Result r, OptionalDouble ofBare) {
    System.out.printf("path=%s run=%s messages=%d errors=%d messages_per_s=%.0f p50_ms=%.2f p99_ms=%.2f cpu_us_per_message=%.0f"
        + " store_cpu_us_per_message=%.0f%s%n",
        path, run, r.count(), r.errors(), r.perSecond(), r.p50(), r.p99(), r.cpuPerMessage(), r.storeCpuPerMessage(),
        ofBare.isPresent() ? String.format(" of_bare_vertx=%.1f%%", 100 * ofBare.getAsDouble()) : "");
  }

  private static void awaitKnowledgeBase(Vertx vertx, int port) throws InterruptedException {
    HttpClient client = vertx.createHttpClient();
    for (int i = 0; i < 600; i++) {
      String health = client.request(HttpMethod.GET, port, "127.0.0.1", "/health")
          .compose(req -> req.send().compose(res -> res.body())).await().toString();
      if (health.contains("\"builtAt\"")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the knowledge base was not ready within 5 minutes");
  }

  /** Every similar question of the knowledge base, each with one small random edit, shuffled. */
  private static List<String> editedQuestions(Path kb, Random random) throws Exception {
    List<String> questions = new ArrayList<>();
    for (Entry e : KnowledgeBaseLoader.load(kb).entries()) {
      for (String q : e.similar()) {
        questions.add(edit(q, random));
      }
    }
    Collections.shuffle(questions, random);
    return questions;
  }

  /** The question with one small edit — a character dropped, doubled or a polite word added — so no cache hides the cost. */
  private static String edit(String q, Random random) {
    int at = random.nextInt(q.length());
    return switch (random.nextInt(3)) {
      case 0 -> q.length() > 4 ? q.substring(0, at) + q.substring(at + 1) : q + "呢";
      case 1 -> q.substring(0, at) + q.charAt(at) + q.substring(at);
      default -> (random.nextBoolean() ? "请问" : "你好,") + q;
    };
  }

  /**
   * What a run measured. {@code cpuPerMessage}: microseconds of this JVM's CPU time per message; {@code storeCpuPerMessage}:
   * of that, the threads that run the turns and write the database (kefu's turn and SQL workers, H2's page writer).
   */
  record Result(long count, long errors, double perSecond, double p50, double p99, double cpuPerMessage,
      double storeCpuPerMessage) {}

  /**
   * Runs wrk with kefu's script ({@code kefu/bench/wechat.lua}): closed loop for throughput, or requests on a
   * fixed schedule of {@code rate} per second. Latency counts from when a request went; should every connection
   * be waiting, the schedule slips and the run shows a rate below the one asked for.
   */
  private static final class Wrk {
    private static final OperatingSystemMXBean CPU = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Pattern STORE_THREADS = Pattern.compile("kefu-turns|kefu-sql|MVStore");
    private final String program;
    private final Path work;
    private final int connections;
    private final Duration length;

    Wrk(String program, Path work, int connections, Duration length) throws IOException {
      this.program = program;
      this.work = work;
      this.connections = connections;
      this.length = length;
      try (InputStream in = WechatBenchCommand.class.getResourceAsStream("/kefu/bench/wechat.lua")) {
        Files.copy(in, work.resolve("wechat.lua"), StandardCopyOption.REPLACE_EXISTING);
      }
    }

    boolean available() {
      try {
        return new ProcessBuilder(program, "--version").redirectErrorStream(true).start().waitFor() >= 0;
      } catch (IOException | InterruptedException e) {
        return false;
      }
    }

    Result run(int port, SimulatedWechat wechat, List<String> contents, int rate) throws Exception {
      return run(port, wechat, contents, length, rate);
    }

    Result run(int port, SimulatedWechat wechat, List<String> contents, Duration runFor, int rate) throws Exception {
      Path script = work.resolve("wechat.lua");
      // Signed now: the webhook refuses a timestamp more than five minutes away. One for each request, as WeChat
      // signs: a signature seen before with another message is refused as a replay. Closed loop, the channel
      // answers about 3,300 messages/s on 2 cores.
      List<String> queries = new ArrayList<>();
      long needed = runFor.toSeconds() * (rate > 0 ? 2L * rate : 10_000L);
      for (long i = 0; i < needed; i++) {
        queries.add(wechat.signedQuery());
      }
      Path queryFile = Files.write(work.resolve("queries.txt"), queries);
      Path contentFile = Files.write(work.resolve("contents.txt"), contents);
      long cpuBefore = CPU.getProcessCpuTime();
      Map<Long, Long> storeBefore = storeThreadsCpu();
      Process wrk = new ProcessBuilder(program, "-t1", "-c" + connections, "-d" + runFor.toSeconds() + "s",
          "-s", script.toString(), "http://127.0.0.1:" + port + "/", "--",
          queryFile.toString(), contentFile.toString(), Integer.toString(rate))
          .redirectErrorStream(true).start();
      String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = wrk.waitFor();
      long cpu = CPU.getProcessCpuTime() - cpuBefore;
      long storeCpu = 0;
      for (Map.Entry<Long, Long> thread : storeThreadsCpu().entrySet()) {
        storeCpu += thread.getValue() - storeBefore.getOrDefault(thread.getKey(), 0L);
      }
      if (exit != 0) {
        throw new IllegalStateException("wrk failed: " + output);
      }
      Matcher m = RESULT.matcher(output);
      if (!m.find()) {
        throw new IllegalStateException("no result from wrk: " + output);
      }
      long count = Long.parseLong(m.group(1));
      return new Result(count, Long.parseLong(m.group(3)), count * 1e6 / Long.parseLong(m.group(2)),
          Long.parseLong(m.group(4)) / 1e3, Long.parseLong(m.group(5)) / 1e3, cpu / 1e3 / Math.max(1, count),
          storeCpu / 1e3 / Math.max(1, count));
    }

    /** CPU time so far of each thread that runs turns or writes the database, by thread id. */
    private static Map<Long, Long> storeThreadsCpu() {
      Map<Long, Long> cpu = new HashMap<>();
      for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
        if (info != null && STORE_THREADS.matcher(info.getThreadName()).lookingAt()) {
          cpu.put(info.getThreadId(), THREADS.getThreadCpuTime(info.getThreadId()));
        }
      }
      return cpu;
    }
  }

  /** The node the benchmark starts: simulator mode, embedded H2 in a fresh directory (or {@code dbUrl}), vectors on. */
  private static KefuConfig benchConfig(Path data, Path kb, int port, Optional<String> dbUrl) {
    Map<String, String> env = new HashMap<>(Map.of(
        "KEFU_CONFIG", "none",
        "KEFU_HTTP_HOST", "127.0.0.1",
        "KEFU_HTTP_PORT", Integer.toString(port),
        "KEFU_DATA_DIR", data.toString(),
        "KEFU_KB_DIR", kb.toAbsolutePath().toString()));
    dbUrl.ifPresent(url -> env.put("KEFU_DB_URL", url));
    return ConfigLoader.load(Optional.empty(), env);
  }
}
