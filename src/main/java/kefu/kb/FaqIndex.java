package kefu.kb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import kefu.kb.analysis.Analysis;
import kefu.kb.analysis.CharGramAnalyzer;
import kefu.kb.analysis.TextNormalizer;
import kefu.kb.analysis.WordAnalyzer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99ScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FilterMergePolicy;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;

/**
 * An immutable Lucene index of FAQ questions — one document per question, pointing to its entry — searched
 * three ways: BM25 over HanLP words, BM25 over character uni/bigrams, and nearest sentence vectors (HNSW).
 *
 * <p>Besides Lucene, it keeps each question's analysed terms and the terms' IDF in memory, which the reranker's
 * overlap features need for every candidate of every query.
 */
public final class FaqIndex implements AutoCloseable {
  static final String WORDS = "words";
  static final String CHARS = "chars";
  static final String VECTOR = "vector";
  /** Hits taken from each retriever before the candidates are merged by entry. */
  static final int HITS_PER_RETRIEVER = 40;
  private static final int GRAPH_CONNECTIONS = 12;
  private static final int GRAPH_BEAM_WIDTH = 64;
  private static final int MERGE_WORKERS = 2;
  private static final int INDEXING_THREADS = 2;
  /**
   * Fewer questions are indexed by one thread, which builds the same vector graph every time: with two, which
   * thread's segment the merge starts from varies, and with it a few queries' candidates. Below this size the
   * second thread saves a second or two.
   */
  private static final int PARALLEL_FROM = 20_000;
  /** Our number of each question, by which the index is sorted. */
  private static final String ORDER = "order";

  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Analyzer words;
  private final Analyzer chars;
  private final boolean vectors;
  private final List<String> entryIds;
  private final int[] entryOfDoc;
  private final int[][] docsOfEntry;
  private final String[] normalizedOfDoc;
  private final TermSet[] wordsOfDoc;
  private final TermSet[] charsOfDoc;
  private final Map<String, Float> wordIdf;
  private final float maxIdf;
  private final float[] densityOfDoc;
  private final AnswerIndex answers;
  /** Per entry: every word of its questions and of its answer. */
  private final TermSet[] heldByEntry;

  private FaqIndex(Directory directory, DirectoryReader reader, Analyzer words, Analyzer chars, boolean vectors,
      Layout layout, TermSet[] wordsOfDoc, TermSet[] charsOfDoc, ExecutorService workers, AnswerIndex answers)
      throws IOException {
    this.answers = answers;
    this.directory = directory;
    this.reader = reader;
    this.searcher = new IndexSearcher(reader);
    this.words = words;
    this.chars = chars;
    this.vectors = vectors;
    this.entryIds = layout.entryIds();
    this.entryOfDoc = layout.entryOf();
    this.normalizedOfDoc = layout.questions().toArray(String[]::new);
    this.wordsOfDoc = wordsOfDoc;
    this.charsOfDoc = charsOfDoc;
    this.docsOfEntry = docsOfEntry(entryOfDoc, entryIds.size());
    this.heldByEntry = heldByEntry(docsOfEntry, wordsOfDoc, answers);
    this.wordIdf = idf(wordsOfDoc);
    this.maxIdf = (float) Math.log(1 + (wordsOfDoc.length + 0.5) / 0.5);
    this.densityOfDoc = vectors && !reader.leaves().isEmpty()
        ? QuestionDensity.of(reader.leaves().get(0).reader(), VECTOR, entryOfDoc, workers) : new float[entryOfDoc.length];
  }

  /**
   * Builds the index of {@code entries}. With an {@code encoder}, every question gets a sentence vector —
   * from {@code cache} when it has one, else encoded on {@code workers} and added to the cache; vectors are
   * read back from the cache one by one as documents are added, so they are never all on the heap. Blocks.
   *
   * @param progress told the number of questions encoded or found in the cache so far
   */
  public static FaqIndex build(List<QuestionSet> entries, List<List<String>> synonymGroups, SentenceEncoder encoder,
      VectorCache cache, ExecutorService workers, IntConsumer progress) {
    return build(entries, synonymGroups, encoder, cache, workers, progress, null);
  }

  /**
   * Builds the index as {@link #build(List, List, SentenceEncoder, VectorCache, ExecutorService, IntConsumer)}
   * does, in {@code directory} on disk (memory-mapped, off the heap) when one is given, else in memory. Closing
   * the index leaves the directory, which {@link #open} can open again.
   */
  public static FaqIndex build(List<QuestionSet> entries, List<List<String>> synonymGroups, SentenceEncoder encoder,
      VectorCache cache, ExecutorService workers, IntConsumer progress, Path directoryPath) {
    return build(entries, synonymGroups, encoder, cache, workers, progress, directoryPath, PARALLEL_FROM);
  }

  /** As above, with documents added from several threads from {@code parallelFrom} questions on; tests lower it. */
  static FaqIndex build(List<QuestionSet> entries, List<List<String>> synonymGroups, SentenceEncoder encoder,
      VectorCache cache, ExecutorService workers, IntConsumer progress, Path directoryPath, int parallelFrom) {
    Analyzer words = new WordAnalyzer(synonymGroups);
    Analyzer chars = new CharGramAnalyzer();
    Layout layout = Layout.of(entries);
    List<String> questions = layout.questions();
    int n = questions.size();
    if (encoder != null) {
      if (cache == null) {
        throw new IllegalArgumentException("sentence vectors need a vector cache");
      }
      encodeMissing(questions, encoder, cache, workers, progress);
    }
    TermSet[] wordsOf = new TermSet[n];
    TermSet[] charsOf = new TermSet[n];
    Map<String, String> shared = new ConcurrentHashMap<>();
    Directory directory = open(directoryPath);
    IndexWriterConfig config = new IndexWriterConfig(new PerFieldAnalyzerWrapper(words, Map.of(CHARS, chars)));
    config.setRAMBufferSizeMB(64);
    boolean parallel = n >= parallelFrom && workers != null;
    GraphAtMerge codec = new GraphAtMerge(workers, parallel);
    config.setCodec(codec);
    // Documents are added from several threads; sorting by our own number keeps Lucene's doc ids equal to it.
    config.setIndexSort(new Sort(new SortField(ORDER, SortField.Type.INT)));
    // No merges while adding: the one forced merge at the end does all, and none waits on busy workers.
    config.setMergePolicy(NoMergePolicy.INSTANCE);
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      IntConsumer add = doc -> {
        String text = questions.get(doc);
        analyze(doc, text, words, chars, wordsOf, charsOf, shared);
        Document document = new Document();
        document.add(new NumericDocValuesField(ORDER, doc));
        document.add(new TextField(WORDS, text, Field.Store.NO));
        document.add(new TextField(CHARS, text, Field.Store.NO));
        if (encoder != null) {
          float[] vector = cache.get(text).orElseThrow(() -> new IllegalStateException("vector missing from the cache"));
          document.add(new KnnFloatVectorField(VECTOR, vector, VectorSimilarityFunction.DOT_PRODUCT));
        }
        try {
          writer.addDocument(document);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      };
      addAll(n, add, parallel ? workers : null);
      codec.buildGraphs();
      writer.getConfig().setMergePolicy(parallel ? new RewriteAll() : new TieredMergePolicy());
      // One segment: with the index sort, Lucene doc ids then equal our own, and per-doc arrays need no mapping.
      writer.forceMerge(1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build the FAQ index", e);
    }
    AnswerIndex answers = AnswerIndex.build(entries, words, WORDS, encoder != null, encoder, cache, workers);
    try {
      return new FaqIndex(directory, DirectoryReader.open(directory), words, chars, encoder != null, layout, wordsOf, charsOf,
          workers, answers);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the FAQ index", e);
    }
  }

  /**
   * Opens the index that {@link #build(List, List, SentenceEncoder, VectorCache, ExecutorService, IntConsumer, Path)}
   * left in {@code directoryPath} from the same entries and synonyms: what is kept in memory is analysed again, no
   * vector is encoded. Blocks.
   *
   * @throws IOException if the directory holds no such index: no index at all, or one of other questions
   */
  public static FaqIndex open(List<QuestionSet> entries, List<List<String>> synonymGroups, boolean vectors,
      VectorCache cache, ExecutorService workers, Path directoryPath) throws IOException {
    Analyzer words = new WordAnalyzer(synonymGroups);
    Analyzer chars = new CharGramAnalyzer();
    Layout layout = Layout.of(entries);
    int n = layout.questions().size();
    TermSet[] wordsOf = new TermSet[n];
    TermSet[] charsOf = new TermSet[n];
    Map<String, String> shared = new HashMap<>();
    for (int doc = 0; doc < n; doc++) {
      analyze(doc, layout.questions().get(doc), words, chars, wordsOf, charsOf, shared);
    }
    Directory directory = new MMapDirectory(directoryPath);
    DirectoryReader reader = null;
    try {
      reader = DirectoryReader.open(directory);
      if (reader.maxDoc() != n || reader.leaves().size() > 1 || n > 0 && hasVectorField(reader) != vectors) {
        throw new IOException(directoryPath + " holds an index of other questions, or of the other kb.vectors setting");
      }
      AnswerIndex answers = AnswerIndex.build(entries, words, WORDS, vectors, null, cache, workers);
      return new FaqIndex(directory, reader, words, chars, vectors, layout, wordsOf, charsOf, workers, answers);
    } catch (IOException | RuntimeException e) {
      if (reader != null) {
        reader.close();
      }
      directory.close();
      throw e;
    }
  }

  /**
   * Which question is which document: the entries' questions normalised, without repeats within an entry, in
   * order. The same entries give the same layout, which is how an index is opened again.
   */
  private record Layout(List<String> entryIds, List<String> questions, int[] entryOf) {
    static Layout of(List<QuestionSet> entries) {
      List<String> entryIds = new ArrayList<>();
      List<String> questions = new ArrayList<>();
      List<Integer> entryOf = new ArrayList<>();
      for (QuestionSet entry : entries) {
        Set<String> seen = new HashSet<>();
        for (String question : entry.questions()) {
          String normalized = TextNormalizer.normalize(question);
          if (!normalized.isEmpty() && seen.add(normalized)) {
            questions.add(normalized);
            entryOf.add(entryIds.size());
          }
        }
        entryIds.add(entry.entryId());
      }
      return new Layout(List.copyOf(entryIds), List.copyOf(questions), entryOf.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  private static boolean hasVectorField(DirectoryReader reader) {
    return reader.leaves().stream().anyMatch(leaf -> leaf.reader().getFieldInfos().fieldInfo(VECTOR) != null);
  }

  private static void analyze(int doc, String text, Analyzer words, Analyzer chars, TermSet[] wordsOf, TermSet[] charsOf,
      Map<String, String> shared) {
    wordsOf[doc] = TermSet.of(Analysis.terms(words, WORDS, text), shared);
    charsOf[doc] = TermSet.of(Analysis.terms(chars, CHARS, text), shared);
  }

  /**
   * Lucene's codec with the vectors' HNSW graph built over 7-bit quantised copies, a narrower search while
   * building, and segment merges on the workers: the default graph took minutes for 100,000 questions. For a
   * parallel build, segments are first written without a graph and the graph is built once, in the forced merge:
   * a graph built while adding uses float vectors and is built again by the merge anyway.
   */
  private static final class GraphAtMerge extends Lucene912Codec {
    private final KnnVectorsFormat graph;
    private final KnnVectorsFormat flat = new Lucene99ScalarQuantizedVectorsFormat();
    private volatile boolean graphs;

    GraphAtMerge(ExecutorService workers, boolean flatFirst) {
      this.graph = workers == null
          ? new Lucene99HnswScalarQuantizedVectorsFormat(GRAPH_CONNECTIONS, GRAPH_BEAM_WIDTH)
          : new Lucene99HnswScalarQuantizedVectorsFormat(GRAPH_CONNECTIONS, GRAPH_BEAM_WIDTH, MERGE_WORKERS, 7, false, null, workers);
      this.graphs = !flatFirst;
    }

    /** Segments written from now on, merges included, have a graph. */
    void buildGraphs() {
      graphs = true;
    }

    @Override
    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
      return graphs ? graph : flat;
    }
  }

  /**
   * Merges all the segments written while adding into one when a merge is forced, even when there is only one:
   * after a parallel build that rewrite is where the graph is built. Segments the merge itself made are left be.
   */
  private static final class RewriteAll extends FilterMergePolicy {
    RewriteAll() {
      super(new TieredMergePolicy());
    }

    @Override
    public MergeSpecification findForcedMerges(SegmentInfos infos, int maxSegmentCount,
        Map<SegmentCommitInfo, Boolean> segmentsToMerge, MergeContext context) {
      List<SegmentCommitInfo> written = new ArrayList<>();
      for (SegmentCommitInfo info : infos) {
        if (Boolean.TRUE.equals(segmentsToMerge.get(info)) && !context.getMergingSegments().contains(info)) {
          written.add(info);
        }
      }
      if (written.isEmpty()) {
        return null;
      }
      MergeSpecification all = new MergeSpecification();
      all.add(new OneMerge(written));
      return all;
    }
  }

  private static Directory open(Path path) {
    if (path == null) {
      return new ByteBuffersDirectory();
    }
    try {
      return new MMapDirectory(Files.createDirectories(path));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the index directory " + path, e);
    }
  }

  /** Encodes, on {@code workers}, the questions {@code cache} has no vector for, and adds them to it. */
  private static void encodeMissing(List<String> questions, SentenceEncoder encoder, VectorCache cache,
      ExecutorService workers, IntConsumer progress) {
    AtomicInteger done = new AtomicInteger();
    List<Future<?>> pending = new ArrayList<>();
    for (String text : questions) {
      if (cache.contains(text)) {
        progress.accept(done.incrementAndGet());
        continue;
      }
      pending.add(workers.submit(() -> {
        cache.put(text, encoder.encode(text));
        progress.accept(done.incrementAndGet());
      }));
    }
    Slices.await(pending, "encode");
  }

  /**
   * Runs {@code add} for documents 0…n-1 on {@code workers}, one slice per indexing thread: each thread's
   * in-memory segment builds its own part of the vector graph, which is most of a rebuild's time. With no
   * workers, on this thread.
   */
  private static void addAll(int n, IntConsumer add, ExecutorService workers) {
    Slices.run(n, INDEXING_THREADS, workers, "index", (slice, from, to) -> IntStream.range(from, to).forEach(add));
  }

  /** Whether the index has sentence vectors. */
  public boolean hasVectors() {
    return vectors;
  }

  public int entryCount() {
    return entryIds.size();
  }

  public int questionCount() {
    return normalizedOfDoc.length;
  }

  public String entryId(int entry) {
    return entryIds.get(entry);
  }

  /** Analyses normalised query text with the index's own analyzers. */
  public AnalyzedQuery analyze(String normalizedText) {
    return new AnalyzedQuery(normalizedText, Set.copyOf(Analysis.terms(words, WORDS, normalizedText)),
        Set.copyOf(Analysis.terms(chars, CHARS, normalizedText)));
  }

  /** A query as the index sees it: normalised text and its word and character terms. */
  public record AnalyzedQuery(String normalized, Set<String> words, Set<String> chars) {}

  /**
   * The candidate entries for {@code query}: every entry one of the three retrievers found, with its best score
   * and rank from each. With a {@code vector}, every candidate's cosine is exact, also where only BM25 found it.
   */
  public Map<Integer, Signals> retrieve(AnalyzedQuery query, float[] vector) {
    Map<Integer, Signals> byEntry = new HashMap<>();
    try {
      TopDocs wordHits = topHits(anyTerm(WORDS, query.words()));
      collect(byEntry, wordHits, (s, rank, score) -> s.words(rank, score));
      TopDocs charHits = topHits(anyTerm(CHARS, retrievalChars(query.chars())));
      collect(byEntry, charHits, (s, rank, score) -> s.chars(rank, score));
      if (vectors && vector != null) {
        TopDocs vectorHits = searcher.search(new KnnFloatVectorQuery(VECTOR, vector, HITS_PER_RETRIEVER), HITS_PER_RETRIEVER);
        collect(byEntry, vectorHits, (s, rank, score) -> s.vectorRank(rank));
        exactCosines(byEntry, vector);
      }
      answerSignals(byEntry, query, vectors ? vector : null);
      if (!answers.isEmpty()) {
        // Without answers (the public sets) this would be only what the questions lack, which the reranker weighs.
        byEntry.forEach((e, s) -> uncovered(s, query.words(), heldByEntry[e]));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("FAQ index search failed", e);
    }
    return byEntry;
  }

  /**
   * The character terms to search with: the pairs, when the query has any. Single characters match most of
   * the index and make the search slow; they still count in the overlap features.
   */
  private static Set<String> retrievalChars(Set<String> chars) {
    Set<String> pairs = new HashSet<>();
    for (String term : chars) {
      if (term.codePointCount(0, term.length()) >= 2) {
        pairs.add(term);
      }
    }
    return pairs.isEmpty() ? chars : pairs;
  }

  /** The best hits, without counting the rest: that lets Lucene skip documents that cannot make the top. */
  private TopDocs topHits(org.apache.lucene.search.Query query) throws IOException {
    return searcher.search(query, new TopScoreDocCollectorManager(HITS_PER_RETRIEVER, null, HITS_PER_RETRIEVER));
  }

  private interface Hit {
    void record(Signals signals, int rank, float score);
  }

  private void collect(Map<Integer, Signals> byEntry, TopDocs hits, Hit hit) {
    Set<Integer> ranked = new HashSet<>();
    for (ScoreDoc scoreDoc : hits.scoreDocs) {
      int entry = entryOfDoc[scoreDoc.doc];
      Signals signals = byEntry.computeIfAbsent(entry, e -> new Signals());
      // An entry's rank is where its first question appears; later questions only raise its score.
      int rank = ranked.add(entry) ? ranked.size() : Integer.MAX_VALUE;
      hit.record(signals, rank, scoreDoc.score);
    }
  }

  /**
   * Adds the entries whose answers are nearest the query, by vectors and by words, and tells every candidate how
   * near its answer is. Cosines of entries added here are exact as any candidate's.
   */
  private void answerSignals(Map<Integer, Signals> byEntry, AnalyzedQuery query, float[] vector) throws IOException {
    if (answers.isEmpty()) {
      return;
    }
    int entries = entryIds.size();
    double[] cosines = answers.cosines(vector, entries);
    double[] covers = answers.covers(query.words(), this::idf);
    Map<Integer, Signals> added = new HashMap<>();
    for (double[] by : List.of(cosines, covers)) {
      IntStream.range(0, entries).filter(e -> !Double.isNaN(by[e]) && by[e] > 0)
          .boxed().sorted(Comparator.comparingDouble((Integer e) -> by[e]).reversed().thenComparing(e -> e))
          .limit(AnswerIndex.EXTRA).filter(e -> !byEntry.containsKey(e))
          .forEach(e -> added.put(e, new Signals()));
    }
    if (vector != null) {
      exactCosines(added, vector);
    }
    byEntry.putAll(added);
    byEntry.forEach((e, s) -> s.answer(cosines[e], covers[e]));
  }

  private void uncovered(Signals signals, Set<String> queryWords, TermSet held) {
    double total = 0;
    double missing = 0;
    double rarest = 0;
    for (String w : queryWords) {
      double idf = idf(w);
      total += idf;
      if (!held.contains(w)) {
        missing += idf;
        rarest = Math.max(rarest, idf);
      }
    }
    signals.uncovered(total == 0 ? 0 : missing / total, rarest);
  }

  private static TermSet[] heldByEntry(int[][] docsOfEntry, TermSet[] wordsOfDoc, AnswerIndex answers) {
    TermSet[] held = new TermSet[docsOfEntry.length];
    Map<String, String> shared = new HashMap<>();
    for (int e = 0; e < docsOfEntry.length; e++) {
      List<String> words = new ArrayList<>(List.of(answers.wordsOf(e).terms()));
      for (int doc : docsOfEntry[e]) {
        words.addAll(List.of(wordsOfDoc[doc].terms()));
      }
      held[e] = TermSet.of(words, shared);
    }
    return held;
  }

  private void exactCosines(Map<Integer, Signals> byEntry, float[] vector) throws IOException {
    if (byEntry.isEmpty()) {
      return; // nothing found, or an index of no questions, which has no segment to read
    }
    int[] docs = byEntry.keySet().stream().flatMapToInt(e -> Arrays.stream(docsOfEntry[e])).sorted().toArray();
    LeafReader leaf = reader.leaves().get(0).reader();
    FloatVectorValues values = leaf.getFloatVectorValues(VECTOR);
    for (int doc : docs) {
      if (values.advance(doc) != doc) {
        continue;
      }
      double cosine = dot(vector, values.vectorValue());
      byEntry.get(entryOfDoc[doc]).cosine(cosine, densityOfDoc[doc]);
    }
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static org.apache.lucene.search.Query anyTerm(String field, Set<String> terms) {
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (String term : terms) {
      query.add(new TermQuery(new Term(field, term)), BooleanClause.Occur.SHOULD);
    }
    return query.build();
  }

  int[] docsOf(int entry) {
    return docsOfEntry[entry];
  }

  String normalizedQuestion(int doc) {
    return normalizedOfDoc[doc];
  }

  TermSet wordsOf(int doc) {
    return wordsOfDoc[doc];
  }

  TermSet charsOf(int doc) {
    return charsOfDoc[doc];
  }

  /** The inverse document frequency of a word; unseen words count as rare. */
  double idf(String word) {
    return wordIdf.getOrDefault(word, maxIdf);
  }

  private static int[][] docsOfEntry(int[] entryOfDoc, int entries) {
    int[] counts = new int[entries];
    for (int entry : entryOfDoc) {
      counts[entry]++;
    }
    int[][] docs = new int[entries][];
    for (int e = 0; e < entries; e++) {
      docs[e] = new int[counts[e]];
      counts[e] = 0;
    }
    for (int doc = 0; doc < entryOfDoc.length; doc++) {
      int entry = entryOfDoc[doc];
      docs[entry][counts[entry]++] = doc;
    }
    return docs;
  }

  private static Map<String, Float> idf(TermSet[] termsOfDoc) {
    Map<String, Integer> df = new HashMap<>();
    for (TermSet terms : termsOfDoc) {
      for (String term : terms.terms()) {
        df.merge(term, 1, Integer::sum);
      }
    }
    Map<String, Float> idf = new HashMap<>();
    int n = termsOfDoc.length;
    df.forEach((term, count) -> idf.put(term, (float) Math.log(1 + (n - count + 0.5) / (count + 0.5))));
    return idf;
  }

  @Override
  public void close() {
    try {
      reader.close();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Deletes a directory and everything in it; nothing if it does not exist. */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(file);
      }
    }
  }
}
