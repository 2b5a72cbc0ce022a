package kefu.kb.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.QueryBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The two analyzers together, as the FAQ engine uses them: BM25 over a word field and a character field. */
class FaqSearchTest {

  private static final List<List<String>> GROUPS = List.of(
      List.of("预约", "预订", "预定", "约拍", "订档"),
      List.of("婚纱照", "婚照", "结婚照", "婚纱相", "婚纱摄影"),
      List.of("定金", "订金", "定钱"),
      List.of("改期", "改时间", "换日期", "调档期", "改日子"));

  private static Directory directory;
  private static DirectoryReader reader;
  private static Analyzer analyzer;

  @BeforeAll
  static void index() throws IOException {
    analyzer = new PerFieldAnalyzerWrapper(new WordAnalyzer(GROUPS), Map.of("chars", new CharGramAnalyzer()));
    directory = new ByteBuffersDirectory();
    IndexWriterConfig config = new IndexWriterConfig(analyzer).setSimilarity(new BM25Similarity());
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      add(writer, "booking-how", "怎么预约拍摄婚纱照?");
      add(writer, "booking-deposit", "预约拍摄需要交多少定金?");
      add(writer, "reschedule", "已经约好的拍摄日期可以改期吗?");
    }
    reader = DirectoryReader.open(directory);
  }

  private static void add(IndexWriter writer, String id, String question) throws IOException {
    Document document = new Document();
    document.add(new StringField("id", id, Field.Store.YES));
    document.add(new TextField("words", question, Field.Store.NO));
    document.add(new TextField("chars", question, Field.Store.NO));
    writer.addDocument(document);
  }

  @AfterAll
  static void close() throws IOException {
    reader.close();
    directory.close();
    analyzer.close();
  }

  @Test
  void traditionalQueryFindsTheSimplifiedQuestion() throws IOException {
    assertThat(best("請問婚紗照怎麼預約")).isEqualTo("booking-how");
    assertThat(ranking("預約時要付多少訂金？")).isEqualTo(ranking("预约时要付多少订金?"));
  }

  @Test
  void paraphraseWithSynonymsFindsItsQuestion() throws IOException {
    assertThat(best("订档要先付订金吗")).isEqualTo("booking-deposit");
    assertThat(best("约好的日子想換日期")).isEqualTo("reschedule");
  }

  @Test
  void typoIsCaughtByTheCharacterField() throws IOException {
    // 婚纱找 for 婚纱照 and 定经 for 定金, as customers type them (knowledge-base/studio-booking.yaml).
    assertThat(best("想拍婚纱找 怎么报名")).isEqualTo("booking-how");
    assertThat(best("定经要交多少")).isEqualTo("booking-deposit");
  }

  private static String best(String text) throws IOException {
    IndexSearcher searcher = searcher();
    ScoreDoc[] top = searcher.search(query(text), 3).scoreDocs;
    assertThat(top).as(text).isNotEmpty();
    return searcher.storedFields().document(top[0].doc).get("id");
  }

  /** Each question's id and score for {@code text}, best first. */
  private static List<String> ranking(String text) throws IOException {
    IndexSearcher searcher = searcher();
    List<String> ranking = new ArrayList<>();
    for (ScoreDoc hit : searcher.search(query(text), 3).scoreDocs) {
      ranking.add(searcher.storedFields().document(hit.doc).get("id") + " " + hit.score);
    }
    return ranking;
  }

  private static IndexSearcher searcher() {
    IndexSearcher searcher = new IndexSearcher(reader);
    searcher.setSimilarity(new BM25Similarity());
    return searcher;
  }

  /**
   * Words through QueryBuilder; characters as a bag of terms, because QueryBuilder would expand the
   * unigram/bigram graph into every path through it, which grows exponentially with the text.
   */
  private static Query query(String text) {
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    Query words = new QueryBuilder(analyzer).createBooleanQuery("words", text);
    if (words != null) {
      query.add(words, BooleanClause.Occur.SHOULD);
    }
    for (String gram : Analysis.terms(analyzer, "chars", text)) {
      query.add(new TermQuery(new Term("chars", gram)), BooleanClause.Occur.SHOULD);
    }
    return query.build();
  }
}
