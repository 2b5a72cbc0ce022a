package kefu.kb.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.analysis.BaseTokenStreamTestCase;
import org.apache.lucene.util.QueryBuilder;
import org.assertj.core.api.Assertions;
import org.junit.After;
import org.junit.Test;

/**
 * Tests of {@link WordAnalyzer} on Lucene's token stream test case, whose checks also test reuse, reset and
 * offsets.
 */
public class WordAnalyzerTest extends BaseTokenStreamTestCase {

  private static final List<List<String>> GROUPS = List.of(
      List.of("退款", "退钱", "返款", "退费"),
      List.of("改期", "改时间", "换日期", "调档期", "改日子"),
      List.of("取消", "退订", "不拍了"),
      List.of("套系", "套餐", "配套", "价位"));

  private final WordAnalyzer plain = new WordAnalyzer();
  private final WordAnalyzer synonyms = new WordAnalyzer(GROUPS);

  @After
  public void closeAnalyzers() {
    plain.close();
    synonyms.close();
  }

  @Test
  public void politeFillersAndParticlesGoWhileQuestionWordsStay() throws IOException {
    // Removed words leave their positions empty, so a phrase does not match across them.
    assertAnalyzesTo(plain, "请问婚纱照怎么预约吗", new String[] {"婚纱照", "怎么", "预约"}, new int[] {2, 5, 7},
        new int[] {5, 7, 9}, new int[] {2, 1, 1});
    assertAnalyzesTo(plain, "你好，我想问一下你们几点上班呀", new String[] {"几", "点", "上班"});
    assertAnalyzesTo(plain, "相册为什么还没有收到", new String[] {"相册", "为什么", "还", "没有", "收到"});
    assertAnalyzesTo(plain, "婚纱照多少钱", new String[] {"婚纱照", "多少", "钱"});
  }

  @Test
  public void traditionalGivesTheSameTermsAsSimplified() throws IOException {
    Assertions.assertThat(Analysis.terms(synonyms, "f", "請問婚紗照怎麼預約"))
        .isEqualTo(Analysis.terms(synonyms, "f", "请问婚纱照怎么预约"));
    assertAnalyzesTo(synonyms, "我要退錢", new String[] {"退款"}, new int[] {2}, new int[] {4});
  }

  @Test
  public void synonymBecomesTheCanonicalWord() throws IOException {
    assertAnalyzesTo(synonyms, "我要退钱", new String[] {"退款"}, new String[] {"SYNONYM"});
    Assertions.assertThat(Analysis.terms(synonyms, "f", "退费多久到账")).startsWith("退款");
    Assertions.assertThat(Analysis.terms(synonyms, "f", "退款多久到账")).isEqualTo(Analysis.terms(synonyms, "f", "退费多久到账"));
  }

  @Test
  public void synonymOfSeveralWordsBecomesOneCanonicalToken() throws IOException {
    assertAnalyzesTo(plain, "改时间", new String[] {"改", "时间"});
    // One token over the words it replaced.
    assertAnalyzesTo(synonyms, "我想改时间", new String[] {"改期"}, new int[] {2}, new int[] {5});
    // The canonical word stays whole although HanLP splits it, and a stop word inside a synonym counts.
    assertAnalyzesTo(plain, "套系", new String[] {"套", "系"});
    assertAnalyzesTo(synonyms, "有哪些套系", new String[] {"哪些", "套系"});
    assertAnalyzesTo(synonyms, "有哪些套餐", new String[] {"哪些", "套系"});
    assertAnalyzesTo(synonyms, "不拍了能退钱吗", new String[] {"取消", "退款"});
  }

  @Test
  public void wordsOutsideTheGroupsAreLeftAlone() throws IOException {
    assertAnalyzesTo(synonyms, "WiFi密码怎么改", new String[] {"wifi", "密码", "怎么", "改"});
    assertAnalyzesTo(synonyms, "谢谢😊!!", new String[] {"谢谢"});
  }

  @Test
  public void synonymsMatchAtIndexAndQueryTimeAlike() throws IOException {
    try (Directory directory = new ByteBuffersDirectory()) {
      try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(synonyms))) {
        for (String question : List.of("退钱要多久才到账", "可以改期吗")) {
          Document document = new Document();
          document.add(new TextField("words", question, Field.Store.YES));
          writer.addDocument(document);
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        QueryBuilder queries = new QueryBuilder(synonyms);
        for (String[] queryAndAnswer : new String[][] {
            {"退款", "退钱要多久才到账"}, {"返款", "退钱要多久才到账"}, {"换日期", "可以改期吗"}}) {
          Query query = queries.createBooleanQuery("words", queryAndAnswer[0]);
          var top = searcher.search(query, 1).scoreDocs;
          Assertions.assertThat(top).as(queryAndAnswer[0]).hasSize(1);
          Assertions.assertThat(searcher.storedFields().document(top[0].doc).get("words")).isEqualTo(queryAndAnswer[1]);
        }
      }
    }
  }

  @Test
  public void everyWordOfTheKnowledgeBaseSynonymsBecomesItsCanonicalWord() throws IOException {
    List<List<String>> groups = Files.readAllLines(Path.of("knowledge-base/synonyms.txt"), StandardCharsets.UTF_8)
        .stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .map(line -> Arrays.asList(line.split(" +")))
        .toList();
    try (WordAnalyzer analyzer = new WordAnalyzer(groups)) {
      for (List<String> group : groups) {
        for (String word : group) {
          Assertions.assertThat(Analysis.terms(analyzer, "f", word)).as(word).containsExactly(group.get(0));
        }
      }
    }
  }

  @Test
  public void reusedAnalyzerStartsAfreshForEachText() throws IOException {
    assertAnalyzesTo(synonyms, "我想改时间", new String[] {"改期"});
    assertAnalyzesTo(synonyms, "退钱", new String[] {"退款"});
    assertAnalyzesTo(synonyms, "改时间", new String[] {"改期"});
  }

  @Test
  public void randomTextsKeepTheTokenStreamContract() throws IOException {
    for (WordAnalyzer analyzer : List.of(plain, synonyms)) {
      checkRandomData(random(), analyzer, atLeast(100));
      CustomerTexts.check(random(), analyzer, atLeast(100));
    }
  }
}
