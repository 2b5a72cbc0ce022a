package kefu.kb.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class HanLPTokenizerTest {

  private static final Analyzer WORDS = new Analyzer() {
    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
      return new TokenStreamComponents(new HanLPTokenizer());
    }
  };

  @AfterAll
  static void close() {
    WORDS.close();
  }

  @Test
  void emitsWordsWithOffsetsIntoTheNormalizedTextAndPartsOfSpeech() throws IOException {
    List<String> tokens = new ArrayList<>();
    try (TokenStream stream = WORDS.tokenStream("f", "ＷｉＦｉ 密碼，怎麼改？")) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = stream.addAttribute(OffsetAttribute.class);
      PositionIncrementAttribute increment = stream.addAttribute(PositionIncrementAttribute.class);
      TypeAttribute type = stream.addAttribute(TypeAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        tokens.add(term + " " + offset.startOffset() + "-" + offset.endOffset() + " +"
            + increment.getPositionIncrement() + " " + type.type());
      }
      stream.end();
      // The normalized text is "wifi 密码 怎么改".
      assertThat(offset.startOffset()).isEqualTo(11);
      assertThat(offset.endOffset()).isEqualTo(11);
    }
    assertThat(tokens).containsExactly("wifi 0-4 +1 nx", "密码 5-7 +1 n", "怎么 8-10 +1 ryv", "改 10-11 +1 v");
  }

  @Test
  void traditionalGivesTheSameWordsAsSimplified() {
    assertThat(Analysis.terms(WORDS, "f", "請問婚紗照怎麼預約"))
        .isEqualTo(Analysis.terms(WORDS, "f", "请问婚纱照怎么预约"))
        .containsExactly("请问", "婚纱照", "怎么", "预约");
    // Line 3 of bench/afqmc/queries-dev-trad.tsv and queries-dev.tsv.
    assertThat(Analysis.terms(WORDS, "f", "爲什麼我的螞蟻借唄還款後都沒有恢復額度，我又沒有逾期過"))
        .isEqualTo(Analysis.terms(WORDS, "f", "为什么我的蚂蚁借呗还款后都没有恢复额度，我又没有逾期过"));
  }

  @Test
  void mixedChineseAndEnglish() {
    assertThat(Analysis.terms(WORDS, "f", "WiFi密码怎么改")).containsExactly("wifi", "密码", "怎么", "改");
  }

  @Test
  void spacesPunctuationAndEmojiAreNoTokens() {
    assertThat(Analysis.terms(WORDS, "f", "谢谢😊!!")).containsExactly("谢谢");
    assertThat(Analysis.terms(WORDS, "f", "  😊 , !! ")).isEmpty();
    assertThat(Analysis.terms(WORDS, "f", "")).isEmpty();
  }

  @Test
  void reusedTokenizerStartsAfreshForEachText() throws IOException {
    assertThat(Analysis.terms(WORDS, "f", "婚纱照多少钱")).containsExactly("婚纱照", "多少", "钱");
    assertThat(Analysis.terms(WORDS, "f", "复印机坏了")).containsExactly("复印机", "坏", "了");

    // A stream abandoned after one token must not leak into the next text.
    try (TokenStream stream = WORDS.tokenStream("f", "预约拍摄婚纱照")) {
      stream.reset();
      assertThat(stream.incrementToken()).isTrue();
    }
    assertThat(Analysis.terms(WORDS, "f", "发票")).containsExactly("发票");
  }

  @Test
  void threadsSegmentIndependently() throws Exception {
    List<String> texts = List.of("怎么预约拍摄婚纱照", "保修快到期了怎么续保", "請問WiFi密碼", "复印机卡纸了怎么处理");
    List<List<String>> expected = texts.stream().map(t -> Analysis.terms(WORDS, "f", t)).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        results.add(pool.submit(() -> {
          for (int round = 0; round < 200; round++) {
            for (int i = 0; i < texts.size(); i++) {
              if (!Analysis.terms(WORDS, "f", texts.get(i)).equals(expected.get(i))) {
                return false;
              }
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> result : results) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
