package kefu.kb.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CharGramAnalyzerTest {

  private final CharGramAnalyzer analyzer = new CharGramAnalyzer();

  @AfterEach
  void close() {
    analyzer.close();
  }

  @Test
  void chineseGivesUnigramsAndBigramsLatinWordsStayWhole() {
    assertThat(Analysis.terms(analyzer, "f", "WiFi密码")).containsExactly("wifi", "密", "密码", "码");
    assertThat(Analysis.terms(analyzer, "f", "预约拍摄")).containsExactly("预", "预约", "约", "约拍", "拍", "拍摄", "摄");
    assertThat(Analysis.terms(analyzer, "f", "型号ABC123的墨粉")).containsExactly("型", "型号", "号", "abc123", "的", "的墨", "墨", "墨粉", "粉");
  }

  @Test
  void bigramsStayOnTheirPositionsAndOffsetsPointIntoTheNormalizedText() throws IOException {
    List<String> tokens = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream("f", "ＷｉＦｉ，密碼")) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
      PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        tokens.add(term + " " + offset.startOffset() + "-" + offset.endOffset() + " +" + increment.getPositionIncrement());
      }
      stream.end();
      assertThat(offset.endOffset()).isEqualTo("wifi 密码".length());
    }
    assertThat(tokens).containsExactly("wifi 0-4 +1", "密 5-6 +1", "密码 5-7 +0", "码 6-7 +1");
  }

  @Test
  void normalizesFirst() {
    assertThat(Analysis.terms(analyzer, "f", "請問婚紗照")).isEqualTo(Analysis.terms(analyzer, "f", "请问婚纱照"));
    assertThat(Analysis.terms(analyzer, "f", "１２３ＡＢＣ")).containsExactly("123abc");
    assertThat(Analysis.terms(analyzer, "f", "谢谢😊!!")).containsExactly("谢", "谢谢", "谢");
  }

  @Test
  void bigramsDoNotCrossPunctuationOrEmoji() {
    assertThat(Analysis.terms(analyzer, "f", "好，谢😊谢")).containsExactly("好", "谢", "谢");
  }

  @Test
  void reusedAnalyzerStartsAfreshForEachText() {
    assertThat(Analysis.terms(analyzer, "f", "婚纱照")).containsExactly("婚", "婚纱", "纱", "纱照", "照");
    assertThat(Analysis.terms(analyzer, "f", "发票")).containsExactly("发", "发票", "票");
    assertThat(Analysis.terms(analyzer, "f", "")).isEmpty();
  }
}
