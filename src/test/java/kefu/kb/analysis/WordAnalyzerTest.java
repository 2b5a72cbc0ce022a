package kefu.kb.analysis;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.apache.lucene.util.QueryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WordAnalyzerTest {

  private static final List<List<String>> GROUPS = List.of(
      List.of("退款", "退钱", "返款", "退费"),
      List.of("改期", "改时间", "换日期", "调档期", "改日子"),
      List.of("取消", "退订", "不拍了"),
      List.of("套系", "套餐", "配套", "价位"));

  private final WordAnalyzer plain = new WordAnalyzer();
  private final WordAnalyzer synonyms = new WordAnalyzer(GROUPS);

  @AfterEach
  void close() {
    plain.close();
    synonyms.close();
  }

  @Test
  void politeFillersAndParticlesGoWhileQuestionWordsStay() {
    assertThat(Analysis.terms(plain, "f", "请问婚纱照怎么预约吗")).containsExactly("婚纱照", "怎么", "预约");
    assertThat(Analysis.terms(plain, "f", "你好，我想问一下你们几点上班呀")).containsExactly("几", "点", "上班");
    assertThat(Analysis.terms(plain, "f", "相册为什么还没有收到")).containsExactly("相册", "为什么", "还", "没有", "收到");
    assertThat(Analysis.terms(plain, "f", "婚纱照多少钱")).containsExactly("婚纱照", "多少", "钱");
  }

  @Test
  void traditionalGivesTheSameTermsAsSimplified() {
    assertThat(Analysis.terms(synonyms, "f", "請問婚紗照怎麼預約"))
        .isEqualTo(Analysis.terms(synonyms, "f", "请问婚纱照怎么预约"));
    assertThat(Analysis.terms(synonyms, "f", "我要退錢")).containsExactly("退款");
  }

  @Test
  void synonymBecomesTheCanonicalWord() {
    assertThat(Analysis.terms(synonyms, "f", "我要退钱")).containsExactly("退款");
    assertThat(Analysis.terms(synonyms, "f", "退费多久到账")).startsWith("退款");
    assertThat(Analysis.terms(synonyms, "f", "退款多久到账")).isEqualTo(Analysis.terms(synonyms, "f", "退费多久到账"));
  }

  @Test
  void synonymOfSeveralWordsBecomesOneCanonicalToken() {
    assertThat(Analysis.terms(plain, "f", "改时间")).containsExactly("改", "时间");
    assertThat(Analysis.terms(synonyms, "f", "我想改时间")).containsExactly("改期");
    // The canonical word stays whole although HanLP splits it, and a stop word inside a synonym counts.
    assertThat(Analysis.terms(plain, "f", "套系")).containsExactly("套", "系");
    assertThat(Analysis.terms(synonyms, "f", "有哪些套系")).containsExactly("哪些", "套系");
    assertThat(Analysis.terms(synonyms, "f", "有哪些套餐")).containsExactly("哪些", "套系");
    assertThat(Analysis.terms(synonyms, "f", "不拍了能退钱吗")).containsExactly("取消", "退款");
  }

  @Test
  void wordsOutsideTheGroupsAreLeftAlone() {
    assertThat(Analysis.terms(synonyms, "f", "WiFi密码怎么改")).containsExactly("wifi", "密码", "怎么", "改");
    assertThat(Analysis.terms(synonyms, "f", "谢谢😊!!")).containsExactly("谢谢");
  }

  @Test
  void synonymsMatchAtIndexAndQueryTimeAlike() throws IOException {
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
          assertThat(top).as(queryAndAnswer[0]).hasSize(1);
          assertThat(searcher.storedFields().document(top[0].doc).get("words")).isEqualTo(queryAndAnswer[1]);
        }
      }
    }
  }

  @Test
  void everyWordOfTheKnowledgeBaseSynonymsBecomesItsCanonicalWord() throws IOException {
    List<List<String>> groups = Files.readAllLines(Path.of("knowledge-base/synonyms.txt"), StandardCharsets.UTF_8)
        .stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .map(line -> Arrays.asList(line.split(" +")))
        .toList();
    try (WordAnalyzer analyzer = new WordAnalyzer(groups)) {
      for (List<String> group : groups) {
        for (String word : group) {
          assertThat(Analysis.terms(analyzer, "f", word)).as(word).containsExactly(group.get(0));
        }
      }
    }
  }

  @Test
  void reusedAnalyzerStartsAfreshForEachText() {
    assertThat(Analysis.terms(synonyms, "f", "我想改时间")).containsExactly("改期");
    assertThat(Analysis.terms(synonyms, "f", "退钱")).containsExactly("退款");
    assertThat(Analysis.terms(synonyms, "f", "改时间")).containsExactly("改期");
  }
}
