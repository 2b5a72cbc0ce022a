package kefu.kb;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The knowledge base a node serves: loads {@code knowledge-base/}, builds the index in the background, and
 * rebuilds it when a file changes, swapping the new one in only once it is complete. A broken file leaves the
 * index that is serving in place; the problem is logged and shown on {@code /health}.
 */
public final class FaqEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FaqEngine.class);
  /** Editors write a file in several steps; wait for quiet before rebuilding. */
  private static final long QUIET_MILLIS = 500;
  private static final long RETIRE_AFTER_SECONDS = 60;

  /** An index in service, with the knowledge base it was built from. */
  public record Snapshot(KnowledgeBase knowledgeBase, Map<String, Entry> entries, FaqIndex index, FaqMatcher matcher,
      LocalDate builtFor, Instant builtAt, Path indexDir) {}

  private final Path dir;
  private final Path indexRoot;
  private final SentenceEncoder encoder;
  private final VectorCache cache;
  private final Function<Boolean, Reranker> reranker;
  private final Clock clock;
  private final ExecutorService encoders;
  private final ScheduledExecutorService builder;
  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private final AtomicReference<String> problem = new AtomicReference<>();
  private final AtomicInteger encoded = new AtomicInteger();
  private final AtomicInteger toEncode = new AtomicInteger();
  private final AtomicInteger builds = new AtomicInteger();
  private volatile boolean building;
  private volatile boolean closing;
  private ScheduledFuture<?> pendingBuild;
  private Thread watcher;
  private WatchService watchService;

  /**
   * @param dir the knowledge base
   * @param indexRoot where the indexes are built, one directory each, memory-mapped; emptied at start
   * @param encoder null for a words-only engine ({@code kb.vectors: off})
   * @param cache where sentence vectors are kept between builds; null with no encoder
   * @param reranker the model for an engine with vectors (true) or without (false)
   */
  public FaqEngine(Path dir, Path indexRoot, SentenceEncoder encoder, VectorCache cache,
      Function<Boolean, Reranker> reranker, Clock clock) {
    this.dir = dir;
    this.indexRoot = indexRoot;
    this.encoder = encoder;
    this.cache = cache;
    this.reranker = reranker;
    this.clock = clock;
    this.encoders = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
        daemon("kefu-kb-encoder"));
    this.builder = Executors.newSingleThreadScheduledExecutor(daemon("kefu-kb-builder"));
  }

  /** Builds the first index in the background and starts watching the directory for changes. */
  public void start() {
    scheduleBuild(0);
    watch();
  }

  /** Removes the index directories earlier runs left behind. */
  private void clearIndexRoot() {
    if (!Files.isDirectory(indexRoot)) {
      return;
    }
    try (Stream<Path> old = Files.list(indexRoot)) {
      old.forEach(FaqEngine::deleteTree);
    } catch (IOException e) {
      log.warn("Cannot clear {}: {}", indexRoot, e.getMessage());
    }
  }

  private static void deleteTree(Path path) {
    try {
      FaqIndex.deleteTree(path);
    } catch (IOException e) {
      log.warn("Cannot delete the old index {}: {}", path, e.getMessage());
    }
  }

  /** Builds once, on the calling thread; for commands and tests. Throws if the knowledge base is broken. */
  public Snapshot buildNow() throws KnowledgeBaseException {
    build(true);
    return current.get();
  }

  /** The index in service, if one has been built. */
  public Optional<Snapshot> snapshot() {
    return Optional.ofNullable(current.get());
  }

  /**
   * Matches what a customer typed. Blocks: call it on a worker thread.
   *
   * @throws IllegalStateException if no index has been built yet
   */
  public Match search(String text) {
    return serving().matcher().match(text);
  }

  /**
   * The candidates for what a customer typed that are sure enough to offer a person, best first: see
   * {@link FaqMatcher#worthSuggesting}. Blocks, as {@link #search} does.
   *
   * @throws IllegalStateException if no index has been built yet
   */
  public List<Candidate> suggestions(String text) {
    FaqMatcher matcher = serving().matcher();
    return matcher.worthSuggesting(matcher.match(text));
  }

  private Snapshot serving() {
    Snapshot snapshot = current.get();
    if (snapshot == null) {
      throw new IllegalStateException("the knowledge base is not ready yet");
    }
    if (!snapshot.builtFor().equals(LocalDate.now(clock))) {
      // A new day: entries may have passed their valid_until.
      requestBuild();
    }
    return snapshot;
  }

  /** The entry with this id in the index in service, if there is one. */
  public Optional<Entry> entry(String id) {
    Snapshot snapshot = current.get();
    return snapshot == null ? Optional.empty() : Optional.ofNullable(snapshot.entries().get(id));
  }

  /** What /health shows of the knowledge base. */
  public JsonObject health() {
    JsonObject health = new JsonObject().put("vectors", encoder != null);
    Snapshot snapshot = current.get();
    if (snapshot != null) {
      health.put("entries", snapshot.index().entryCount())
          .put("questions", snapshot.index().questionCount())
          .put("builtAt", snapshot.builtAt().toString());
    }
    if (building) {
      health.put("building", new JsonObject().put("encoded", encoded.get()).put("of", toEncode.get()));
    }
    String error = problem.get();
    if (error != null) {
      health.put("error", error);
    }
    return health;
  }

  /** Schedules a build unless one is already waiting or running: every query of a new day asks for one. */
  private synchronized void requestBuild() {
    if (pendingBuild == null || pendingBuild.isDone()) {
      scheduleBuild(0);
    }
  }

  private synchronized void scheduleBuild(long delayMillis) {
    if (pendingBuild != null && !pendingBuild.isDone()) {
      pendingBuild.cancel(false);
    }
    pendingBuild = builder.schedule(() -> {
      try {
        build(false);
      } catch (KnowledgeBaseException e) {
        // build has recorded and logged it; the index in service stays.
      } catch (RuntimeException e) {
        if (closing) {
          log.info("Knowledge-base index build stopped: the node is stopping");
          return;
        }
        problem.set("cannot build the index: " + e.getMessage());
        log.error("Cannot build the knowledge-base index", e);
      }
    }, delayMillis, TimeUnit.MILLISECONDS);
  }

  private void build(boolean force) throws KnowledgeBaseException {
    KnowledgeBase kb;
    try {
      kb = KnowledgeBaseLoader.load(dir);
    } catch (KnowledgeBaseException e) {
      problem.set(e.getMessage());
      log.error("Knowledge base {} not loaded, the index in service stays: {}", dir, e.getMessage());
      throw e;
    }
    LocalDate today = LocalDate.now(clock);
    Snapshot old = current.get();
    if (!force && old != null && old.knowledgeBase().fingerprint().equals(kb.fingerprint()) && old.builtFor().equals(today)) {
      problem.set(null);
      return;
    }
    List<Entry> valid = kb.entries().stream().filter(e -> e.validOn(today)).toList();
    List<QuestionSet> sets = valid.stream().map(e -> new QuestionSet(e.id(), e.questions())).toList();
    long started = System.nanoTime();
    building = true;
    encoded.set(0);
    toEncode.set(sets.stream().mapToInt(s -> s.questions().size()).sum());
    if (old == null) {
      clearIndexRoot();
    }
    Path indexDir = indexRoot.resolve("index-" + builds.incrementAndGet());
    FaqIndex index;
    try {
      index = FaqIndex.build(sets, kb.synonymGroups(), encoder, cache, encoders, this::progress, indexDir);
    } catch (RuntimeException e) {
      deleteTree(indexDir);
      throw e;
    } finally {
      building = false;
    }
    Map<String, Entry> byId = valid.stream().collect(Collectors.toUnmodifiableMap(Entry::id, e -> e));
    FaqMatcher matcher = new FaqMatcher(index, encoder, reranker.apply(index.hasVectors()));
    current.set(new Snapshot(kb, byId, index, matcher, today, clock.instant(), indexDir));
    problem.set(null);
    if (old != null) {
      // Queries that took the old snapshot finish on it well within the grace period; then it goes.
      builder.schedule(() -> retire(old), RETIRE_AFTER_SECONDS, TimeUnit.SECONDS);
    }
    log.info("Knowledge base ready: {} entries, {} questions, vectors {}, built in {} ms", index.entryCount(),
        index.questionCount(), index.hasVectors() ? "on" : "off", (System.nanoTime() - started) / 1_000_000);
  }

  private static void retire(Snapshot snapshot) {
    // Closing the index deletes its directory.
    snapshot.index().close();
  }

  private void progress(int done) {
    encoded.set(done);
    int of = toEncode.get();
    int step = Math.max(1, of / 10);
    if (done % step == 0 && of > 200) {
      // Counts the questions found in the vector cache too: a restart passes through here in a blink.
      log.info("Sentence vectors of the knowledge base: {}/{} questions (cached or encoded)", done, of);
    }
  }

  private void watch() {
    try {
      watchService = FileSystems.getDefault().newWatchService();
      dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException e) {
      log.warn("Cannot watch {} for changes ({}); restart to load edits", dir, e.getMessage());
      return;
    }
    watcher = new Thread(() -> {
      try {
        while (true) {
          WatchKey key = watchService.take();
          key.pollEvents();
          key.reset();
          scheduleBuild(QUIET_MILLIS);
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        // closing
      }
    }, "kefu-kb-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }

  @Override
  public void close() {
    closing = true;
    try {
      if (watchService != null) {
        watchService.close();
      }
    } catch (IOException e) {
      log.debug("closing the watch service", e);
    }
    builder.shutdownNow();
    encoders.shutdownNow();
    try {
      // A build in progress stops at its next encoding; let it and its encoders end before the cache and model close.
      builder.awaitTermination(10, TimeUnit.SECONDS);
      encoders.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Snapshot last = current.getAndSet(null);
    if (last != null) {
      last.index().close();
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
