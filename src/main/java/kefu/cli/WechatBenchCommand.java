package kefu.cli;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import kefu.App;
import kefu.channel.simulator.SimulatedWechat;
import kefu.channel.wechat.WechatCrypto;
import kefu.config.ConfigLoader;
import kefu.config.KefuConfig;
import kefu.kb.Entry;
import kefu.kb.KnowledgeBase;
import kefu.kb.KnowledgeBaseLoader;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the WeChat webhook under load on loopback, against a bare Vert.x server in the same run: the channel
 * path (a greeting answered from templates) and the FAQ path (edited similar questions, vectors on).
 */
@Command(name = "wechat-bench", mixinStandardHelpOptions = true,
    description = "Load-test /wechat (simulator mode, embedded H2) and a bare Vert.x server; prints one line per run.")
public final class WechatBenchCommand implements Callable<Integer> {
  private static final String HELLO = "hello";

  @Option(names = "--seconds", defaultValue = "10", description = "length of each run (default ${DEFAULT-VALUE})")
  int seconds;

  @Option(names = "--concurrency", defaultValue = "64", description = "requests in flight in the throughput runs (default ${DEFAULT-VALUE})")
  int concurrency;

  @Option(names = "--rate", defaultValue = "1000", description = "messages/s of the channel path's fixed-rate run (default ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--faq-rates", split = ",", defaultValue = "100,150,200,250,300",
      description = "messages/s tried on the FAQ path (default ${DEFAULT-VALUE})")
  List<Integer> faqRates;

  @Option(names = "--kb", defaultValue = "knowledge-base", description = "knowledge base for the FAQ path (default ${DEFAULT-VALUE})")
  Path kb;

  @Override
  public Integer call() throws Exception {
    Path data = Files.createTempDirectory("kefu-bench");
    KefuConfig config = benchConfig(data, kb, freePort());
    App app = App.start(config);
    Vertx vertx = Vertx.vertx();
    try {
      // The ceiling: one bare server per core on one port, as kefu deploys its own.
      int helloPort = freePort();
      for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
        vertx.createHttpServer().requestHandler(r -> r.response().end(HELLO)).listen(helloPort, "127.0.0.1").await();
      }
      awaitKnowledgeBase(vertx, app.port());
      SimulatedWechat wechat = new SimulatedWechat(config.wechat().token(), new WechatCrypto(config.wechat()), Clock.systemUTC());
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(concurrency));
      Load load = new Load(vertx, client, Duration.ofSeconds(seconds));
      IntFunction<SimulatedWechat.Request> greeting = i -> wechat.text("o-bench-" + (i % 1000), "你好");
      List<String> questions = similarQuestions(kb);
      Random random = new Random(42);
      IntFunction<SimulatedWechat.Request> question = i -> wechat.text("o-bench-" + (i % 1000), edit(questions.get(random.nextInt(questions.size())), random));

      load.warm(app.port(), greeting, concurrency);
      Result bare = load.closed(helloPort, i -> null, concurrency);
      print("hello-vertx", "throughput", bare, OptionalDouble.empty());
      Result channel = load.closed(app.port(), greeting, concurrency);
      print("channel", "throughput", channel, OptionalDouble.of(channel.perSecond() / bare.perSecond()));
      print("channel", "rate=" + rate, load.open(app.port(), greeting, rate), OptionalDouble.empty());
      load.warm(app.port(), question, 4);
      for (int r : faqRates) {
        print("faq", "rate=" + r, load.open(app.port(), question, r), OptionalDouble.empty());
      }
      return 0;
    } finally {
      vertx.close().await();
      app.stop();
    }
  }

  /** A port free now; a fixed port lets kefu run one server per core (port 0 gets one). */
  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void print(String path, String run, Result r, OptionalDouble ofBare) {
    System.out.printf("path=%s run=%s messages=%d errors=%d messages_per_s=%.0f p50_ms=%.2f p99_ms=%.2f%s%n", path, run,
        r.count(), r.errors(), r.perSecond(), r.p50(), r.p99(),
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

  private static List<String> similarQuestions(Path kb) throws Exception {
    KnowledgeBase base = KnowledgeBaseLoader.load(kb);
    List<String> questions = new ArrayList<>();
    for (Entry e : base.entries()) {
      questions.addAll(e.similar());
    }
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

  /** What a run measured. */
  record Result(long count, long errors, double perSecond, double p50, double p99) {}

  /** Drives requests at a server: closed loop for throughput, open loop at a fixed rate for latency. */
  private static final class Load {
    private final Vertx vertx;
    private final HttpClient client;
    private final Duration length;

    Load(Vertx vertx, HttpClient client, Duration length) {
      this.vertx = vertx;
      this.client = client;
      this.length = length;
    }

    void warm(int port, IntFunction<SimulatedWechat.Request> requests, int inFlight) throws Exception {
      new Load(vertx, client, Duration.ofSeconds(3)).closed(port, requests, inFlight);
    }

    /** {@code inFlight} requests at all times, each sent when one completes. */
    Result closed(int port, IntFunction<SimulatedWechat.Request> requests, int inFlight) throws Exception {
      Histogram latency = new Histogram(60_000_000_000L, 3);
      AtomicInteger next = new AtomicInteger();
      AtomicInteger errors = new AtomicInteger();
      long end = System.nanoTime() + length.toNanos();
      long start = System.nanoTime();
      Promise<Void> done = Promise.promise();
      AtomicInteger running = new AtomicInteger(inFlight);
      vertx.runOnContext(v -> {
        for (int i = 0; i < inFlight; i++) {
          loop(port, requests, next, latency, errors, end, () -> {
            if (running.decrementAndGet() == 0) {
              done.complete();
            }
          });
        }
      });
      done.future().await();
      return result(latency, errors.get(), System.nanoTime() - start);
    }

    private void loop(int port, IntFunction<SimulatedWechat.Request> requests, AtomicInteger next, Histogram latency,
        AtomicInteger errors, long end, Runnable finished) {
      if (System.nanoTime() >= end) {
        finished.run();
        return;
      }
      long sent = System.nanoTime();
      send(port, requests.apply(next.getAndIncrement())).onComplete(ok -> {
        record(latency, errors, ok.succeeded() && ok.result(), System.nanoTime() - sent);
        loop(port, requests, next, latency, errors, end, finished);
      });
    }

    /** {@code perSecond} requests spread evenly; latency counts from when each was due, not when it went. */
    Result open(int port, IntFunction<SimulatedWechat.Request> requests, int perSecond) throws Exception {
      Histogram latency = new Histogram(60_000_000_000L, 3);
      AtomicInteger errors = new AtomicInteger();
      int total = (int) (perSecond * length.toSeconds());
      List<SimulatedWechat.Request> prepared = new ArrayList<>(total);
      for (int i = 0; i < total; i++) {
        prepared.add(requests.apply(i));
      }
      AtomicInteger completed = new AtomicInteger();
      Promise<Void> done = Promise.promise();
      long start = System.nanoTime();
      long interval = 1_000_000_000L / perSecond;
      AtomicInteger issued = new AtomicInteger();
      long timer = vertx.setPeriodic(1, id -> {
        long due = (System.nanoTime() - start) / interval;
        while (issued.get() < total && issued.get() <= due) {
          int i = issued.getAndIncrement();
          long dueAt = start + i * interval;
          send(port, prepared.get(i)).onComplete(ok -> {
            record(latency, errors, ok.succeeded() && ok.result(), System.nanoTime() - dueAt);
            if (completed.incrementAndGet() == total) {
              done.complete();
            }
          });
        }
      });
      done.future().await();
      vertx.cancelTimer(timer);
      return result(latency, errors.get(), System.nanoTime() - start);
    }

    private Future<Boolean> send(int port, SimulatedWechat.Request request) {
      if (request == null) {
        return client.request(HttpMethod.GET, port, "127.0.0.1", "/")
            .compose(req -> req.send().compose(res -> res.body().map(b -> res.statusCode() == 200)));
      }
      return client.request(HttpMethod.POST, port, "127.0.0.1", "/wechat?" + request.query())
          .compose(req -> req.send(Buffer.buffer(request.body())).compose(res -> res.body().map(b -> res.statusCode() == 200)));
    }

    private static synchronized void record(Histogram latency, AtomicInteger errors, boolean ok, long nanos) {
      if (!ok) {
        errors.incrementAndGet();
      }
      latency.recordValue(Math.max(1, nanos));
    }

    private static Result result(Histogram latency, int errors, long nanos) {
      return new Result(latency.getTotalCount(), errors, latency.getTotalCount() * 1e9 / nanos,
          latency.getValueAtPercentile(50) / 1e6, latency.getValueAtPercentile(99) / 1e6);
    }
  }

  /** The node the benchmark starts: simulator mode, embedded H2 in a fresh directory, vectors on. */
  private static KefuConfig benchConfig(Path data, Path kb, int port) {
    return ConfigLoader.load(Optional.empty(), Map.of(
        "KEFU_CONFIG", "none",
        "KEFU_HTTP_HOST", "127.0.0.1",
        "KEFU_HTTP_PORT", Integer.toString(port),
        "KEFU_DATA_DIR", data.toString(),
        "KEFU_KB_DIR", kb.toAbsolutePath().toString()));
  }
}
