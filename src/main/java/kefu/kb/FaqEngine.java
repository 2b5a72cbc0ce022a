package kefu.kb;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The knowledge base a node serves: loads {@code knowledge-base/}, builds the index in the background, and
 * rebuilds it when a file changes, swapping the new one in only once it is complete.
 *
 * <p>A broken file takes out only itself: its last good version is served in its place (see {@link LastGoodFiles}),
 * and the problem is logged and shown on {@code /health} and in the console. The last index built is kept on disk
 * and opened at start, so the bot answers from it while the new one builds.
 */
public final class FaqEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FaqEngine.class);
  /** Editors write a file in several steps; wait for quiet before rebuilding. */
  private static final long QUIET_MILLIS = 500;
  private static final long RETIRE_AFTER_SECONDS = 60;
  /** The file in the index root naming the index directory of the last build, the one opened at start. */
  private static final String SERVING = "serving";
  private static final String LUCENE = "lucene";
  private static final String KB = "kb";
  private static final String BUILT = "built.properties";
  /** Beside an index: the console's edits it was built with. */
  private static final String EDITS = "console-edits.json";

  /** An index in service, with the knowledge base it was built from. */
  public record Snapshot(KnowledgeBase knowledgeBase, Map<String, Entry> entries, FaqIndex index, FaqMatcher matcher,
      LocalDate builtFor, Instant builtAt, Path indexDir) {}

  private final Path dir;
  private final Path indexRoot;
  private final LastGoodFiles lastGood;
  private final SentenceEncoder encoder;
  private final VectorCache cache;
  private final Function<Boolean, MatchModel> model;
  private final Supplier<List<KbEdit>> edits;
  private final Clock clock;
  private final ExecutorService encoders;
  private final ScheduledExecutorService builder;
  private final AtomicReference<Snapshot> current = new AtomicReference<>();
  private final AtomicReference<String> problem = new AtomicReference<>();
  private final AtomicReference<List<Problem>> brokenFiles = new AtomicReference<>(List.of());
  private final AtomicInteger encoded = new AtomicInteger();
  private final AtomicInteger toEncode = new AtomicInteger();
  private volatile boolean building;
  /** Whether this engine has built an index: until then, one opened from disk serves. */
  private volatile boolean built;
  private volatile boolean closing;
  private ScheduledFuture<?> pendingBuild;
  /** The last day a query asked for a build; guarded by this. */
  private LocalDate requestedFor;
  private Thread watcher;
  private WatchService watchService;

  /**
   * @param dir the knowledge base
   * @param indexRoot where the indexes are built, one directory each, memory-mapped, and the last good version of
   *     each file is kept; the last index built is kept for the next start
   * @param encoder null for a words-only engine ({@code kb.vectors: off})
   * @param cache where sentence vectors are kept between builds; null with no encoder
   * @param model how candidates are judged by an engine with vectors (true) or without (false)
   */
  public FaqEngine(Path dir, Path indexRoot, SentenceEncoder encoder, VectorCache cache,
      Function<Boolean, MatchModel> model, Clock clock) {
    this(dir, indexRoot, encoder, cache, model, List::of, clock);
  }

  /**
   * An engine that applies the console's edits on top of the files at each build.
   *
   * @param edits the edits in order, read afresh at each build; may block, and throw if they cannot be read (the build
   *     is then not made, and the index in service stays)
   */
  public FaqEngine(Path dir, Path indexRoot, SentenceEncoder encoder, VectorCache cache,
      Function<Boolean, MatchModel> model, Supplier<List<KbEdit>> edits, Clock clock) {
    this.dir = dir;
    this.indexRoot = indexRoot;
    this.lastGood = new LastGoodFiles(dir, indexRoot.resolve("last-good"));
    this.encoder = encoder;
    this.cache = cache;
    this.model = model;
    this.edits = edits;
    this.clock = clock;
    this.encoders = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()),
        daemon("kefu-kb-encoder"));
    this.builder = Executors.newSingleThreadScheduledExecutor(daemon("kefu-kb-builder"));
  }

  /**
   * Opens the index the last run built, so that the node answers from its first request, then builds the new one
   * in the background and starts watching the directory for changes. Blocks for the opening (a second or so; no
   * vector is encoded): call it on a main or test thread.
   */
  public void start() {
    reopen();
    scheduleBuild(0);
    watch();
  }

  /**
   * Serves the index the last build left, if it can still be opened, and removes every other index directory
   * (those of builds a stop or crash cut short).
   */
  private void reopen() {
    Optional<Path> last = lastBuilt();
    try (Stream<Path> dirs = Files.isDirectory(indexRoot) ? Files.list(indexRoot) : Stream.empty()) {
      dirs.filter(d -> d.getFileName().toString().startsWith("index-") && !last.equals(Optional.of(d)))
          .forEach(FaqEngine::deleteTree);
    } catch (IOException e) {
      log.warn("Cannot clear {}: {}", indexRoot, e.getMessage());
    }
    if (last.isEmpty()) {
      return;
    }
    Path indexDir = last.get();
    try {
      Properties about = new Properties();
      try (Reader in = Files.newBufferedReader(indexDir.resolve(BUILT))) {
        about.load(in);
      }
      KnowledgeBase kb = KbEdit.apply(KnowledgeBaseLoader.load(indexDir.resolve(KB)), keptEdits(indexDir));
      if (!kb.fingerprint().equals(about.getProperty("fingerprint"))) {
        throw new IOException("its knowledge base is not the one it was built from");
      }
      LocalDate builtFor = LocalDate.parse(about.getProperty("builtFor"));
      List<Entry> valid = kb.entries().stream().filter(e -> e.validOn(builtFor)).toList();
      FaqIndex index = FaqIndex.open(questionSets(valid), kb.synonymGroups(), encoder != null, cache, encoders, indexDir.resolve(LUCENE));
      Snapshot snapshot = snapshot(kb, valid, index, builtFor, Instant.parse(about.getProperty("builtAt")), indexDir);
      if (!current.compareAndSet(null, snapshot)) {
        index.close();
        return;
      }
      log.info("Knowledge base: answering from the index built at {} ({} entries) until the new one is ready",
          snapshot.builtAt(), index.entryCount());
    } catch (IOException | KnowledgeBaseException | RuntimeException e) {
      log.warn("The last knowledge-base index, {}, cannot be opened ({}); the bot answers once the new one is built",
          indexDir, e.getMessage());
      deleteTree(indexDir);
    }
  }

  /** The console's edits an index was built with, as kept beside it. */
  private static List<KbEdit> keptEdits(Path indexDir) throws IOException {
    Path file = indexDir.resolve(EDITS);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    return new JsonArray(Files.readString(file)).stream().map(o -> KbEdit.fromJson((JsonObject) o)).toList();
  }

  /** The index directory the serving file names, if there is one. */
  private Optional<Path> lastBuilt() {
    Path serving = indexRoot.resolve(SERVING);
    try {
      return Files.isRegularFile(serving) ? Optional.of(indexRoot.resolve(Files.readString(serving).strip())) : Optional.empty();
    } catch (IOException e) {
      log.warn("Cannot read {}: {}", serving, e.getMessage());
      return Optional.empty();
    }
  }

  private static void deleteTree(Path path) {
    try {
      FaqIndex.deleteTree(path);
    } catch (IOException e) {
      log.warn("Cannot delete the old index {}: {}", path, e.getMessage());
    }
  }

  /**
   * Builds once, on the calling thread; for commands and tests. Throws if any file is broken, after building from
   * the others as a running node does.
   */
  public Snapshot buildNow() throws KnowledgeBaseException {
    build(true);
    List<Problem> broken = brokenFiles.get();
    if (!broken.isEmpty()) {
      throw new KnowledgeBaseException(broken);
    }
    return current.get();
  }

  /**
   * Builds anew in the background soon, if the knowledge base changed: for changes that are not in its files (the
   * console's edits). Does not block.
   */
  public void rebuild() {
    scheduleBuild(0);
  }

  /** The problems of the knowledge base's files, by file and line; empty when every file loaded cleanly. */
  public List<Problem> problems() {
    return brokenFiles.get();
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
    LocalDate today = LocalDate.now(clock);
    if (!snapshot.builtFor().equals(today)) {
      // A new day: entries may have passed their valid_until.
      requestBuild(today);
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
    List<Problem> broken = brokenFiles.get();
    if (!broken.isEmpty()) {
      health.put("problems", new JsonArray(broken.stream().map(Problem::toString).toList()));
    }
    return health;
  }

  /**
   * Schedules a build for {@code day} unless one is already waiting or running, or one was scheduled for it: every
   * query of a new day asks, and a knowledge base that cannot be built must not be tried (and logged) for each.
   */
  private synchronized void requestBuild(LocalDate day) {
    if (!day.equals(requestedFor) && (pendingBuild == null || pendingBuild.isDone())) {
      requestedFor = day;
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
    LastGoodFiles.Loaded loaded;
    try {
      loaded = lastGood.load();
    } catch (KnowledgeBaseException e) {
      problem.set(e.getMessage());
      brokenFiles.set(e.problems());
      log.error("Knowledge base {} not loaded, the index in service stays: {}", dir, e.getMessage());
      throw e;
    }
    brokenFiles.set(loaded.problems());
    String broken = loaded.problems().isEmpty() ? null : new KnowledgeBaseException(loaded.problems()).getMessage();
    if (broken != null) {
      log.error("Knowledge base {}: serving every good file, and the last good version of a broken one where there is"
          + " one; {}", dir, broken);
    }
    List<KbEdit> applied = edits.get();
    KnowledgeBase kb = KbEdit.apply(loaded.knowledgeBase(), applied);
    LocalDate today = LocalDate.now(clock);
    Snapshot old = current.get();
    if (!force && built && old != null && old.knowledgeBase().fingerprint().equals(kb.fingerprint()) && old.builtFor().equals(today)) {
      problem.set(broken);
      return;
    }
    List<Entry> valid = kb.entries().stream().filter(e -> e.validOn(today)).toList();
    List<QuestionSet> sets = questionSets(valid);
    long started = System.nanoTime();
    building = true;
    encoded.set(0);
    toEncode.set(sets.stream().mapToInt(s -> s.questions().size()).sum());
    Path indexDir = indexRoot.resolve("index-" + UUID.randomUUID());
    FaqIndex index;
    try {
      index = FaqIndex.build(sets, kb.synonymGroups(), encoder, cache, encoders, this::progress, indexDir.resolve(LUCENE));
    } catch (RuntimeException e) {
      deleteTree(indexDir);
      throw e;
    } finally {
      building = false;
    }
    Snapshot snapshot = snapshot(kb, valid, index, today, clock.instant(), indexDir);
    keepForNextStart(snapshot, loaded.texts(), applied);
    current.set(snapshot);
    built = true;
    problem.set(broken);
    if (old != null) {
      // Queries that took the old snapshot finish on it well within the grace period; then it goes.
      builder.schedule(() -> retire(old), RETIRE_AFTER_SECONDS, TimeUnit.SECONDS);
    }
    log.info("Knowledge base ready: {} entries, {} questions, vectors {}, built in {} ms", index.entryCount(),
        index.questionCount(), index.hasVectors() ? "on" : "off", (System.nanoTime() - started) / 1_000_000);
  }

  private static List<QuestionSet> questionSets(List<Entry> entries) {
    return entries.stream().map(e -> new QuestionSet(e.id(), e.questions(), e.answer())).toList();
  }

  private Snapshot snapshot(KnowledgeBase kb, List<Entry> valid, FaqIndex index, LocalDate builtFor, Instant builtAt,
      Path indexDir) {
    Map<String, Entry> byId = valid.stream().collect(Collectors.toUnmodifiableMap(Entry::id, e -> e));
    MatchModel judged = model.apply(index.hasVectors());
    FaqMatcher matcher = new FaqMatcher(index, encoder, judged);
    return new Snapshot(kb, byId, index, matcher, builtFor, builtAt, indexDir);
  }

  /**
   * Writes beside the new index the files it was built from and what the next start checks, then names it in the
   * serving file; the file is replaced in one step, so a crash leaves the old name or the new, never half of one.
   * A failure only costs the next start its early answers, so it is logged, not thrown.
   */
  private void keepForNextStart(Snapshot snapshot, Map<String, String> texts, List<KbEdit> applied) {
    Path indexDir = snapshot.indexDir();
    try {
      Files.createDirectories(indexDir.resolve(KB));
      for (Map.Entry<String, String> text : texts.entrySet()) {
        Files.writeString(indexDir.resolve(KB).resolve(text.getKey()), text.getValue());
      }
      Files.writeString(indexDir.resolve(EDITS), new JsonArray(applied.stream().map(KbEdit::toJson).toList()).encode());
      Properties about = new Properties();
      about.setProperty("fingerprint", snapshot.knowledgeBase().fingerprint());
      about.setProperty("builtFor", snapshot.builtFor().toString());
      about.setProperty("builtAt", snapshot.builtAt().toString());
      try (Writer out = Files.newBufferedWriter(indexDir.resolve(BUILT))) {
        about.store(out, "the knowledge-base index of this directory, opened at the next start");
      }
      Path partial = indexRoot.resolve("." + SERVING + ".partial");
      Files.writeString(partial, indexDir.getFileName().toString());
      Files.move(partial, indexRoot.resolve(SERVING), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      log.warn("Cannot keep the knowledge-base index {} for the next start: {}", indexDir, e.getMessage());
    }
  }

  private static void retire(Snapshot snapshot) {
    snapshot.index().close();
    deleteTree(snapshot.indexDir());
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
