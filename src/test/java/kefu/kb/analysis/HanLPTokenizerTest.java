package kefu.kb.analysis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.tests.analysis.BaseTokenStreamTestCase;
import org.assertj.core.api.Assertions;
import org.junit.After;
import org.junit.Test;

/**
 * Tests of {@link HanLPTokenizer} on Lucene's token stream test case, whose checks also test reuse, reset and
 * offsets.
 */
public class HanLPTokenizerTest extends BaseTokenStreamTestCase {

  private final Analyzer words = new Analyzer() {
    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
      return new TokenStreamComponents(new HanLPTokenizer());
    }
  };

  @After
  public void closeAnalyzer() {
    words.close();
  }

  @Test
  public void emitsWordsWithOffsetsIntoTheInputAndPartsOfSpeech() throws IOException {
    // The normalized text is "wifi 密码 怎么改"; the offsets point into what was typed, where the last word takes
    // the question mark after it.
    assertAnalyzesTo(words, "ＷｉＦｉ 密碼，怎麼改？", new String[] {"wifi", "密码", "怎么", "改"},
        new int[] {0, 5, 8, 10}, new int[] {4, 7, 10, 12}, new String[] {"nx", "n", "ryv", "v"},
        new int[] {1, 1, 1, 1});
  }

  @Test
  public void offsetsPointIntoTheInputWhereNormalizationChangedItsLength() throws IOException {
    // Offsets used to point into the normalized text: here they would have gone past the end of the input or
    // short of it, and Lucene's checks failed on any text with punctuation.
    assertAnalyzesTo(words, "請問，ＷｉＦｉ密碼😊怎麼改？？", new String[] {"请问", "wifi", "密码", "怎么", "改"},
        new int[] {0, 3, 7, 11, 13}, new int[] {2, 7, 9, 13, 16});
    // Traditional phrases shorter in Simplified.
    assertAnalyzesTo(words, "买了士多啤梨和筆記簿型電腦", new String[] {"买了", "草莓", "和", "笔记本", "电脑"},
        new int[] {0, 2, 6, 7, 10}, new int[] {2, 6, 7, 10, 13});
    // Half-width kana that compose, a zero-width space and a variation selector, a byte-order mark and spaces.
    assertAnalyzesTo(words, "ｶﾞ退\u200B款\uFE0F", new String[] {"ガ", "退款"}, new int[] {0, 2}, new int[] {2, 6});
    assertAnalyzesTo(words, "\uFEFF  预约", new String[] {"预约"}, new int[] {3}, new int[] {5});
  }

  @Test
  public void traditionalGivesTheSameWordsAsSimplified() throws IOException {
    for (String text : List.of("請問婚紗照怎麼預約", "请问婚纱照怎么预约")) {
      assertAnalyzesTo(words, text, new String[] {"请问", "婚纱照", "怎么", "预约"}, new int[] {0, 2, 5, 7},
          new int[] {2, 5, 7, 9});
    }
    // Line 3 of bench/afqmc/queries-dev-trad.tsv and queries-dev.tsv.
    Assertions.assertThat(Analysis.terms(words, "f", "爲什麼我的螞蟻借唄還款後都沒有恢復額度，我又沒有逾期過"))
        .isEqualTo(Analysis.terms(words, "f", "为什么我的蚂蚁借呗还款后都没有恢复额度，我又没有逾期过"));
  }

  @Test
  public void mixedChineseAndEnglish() throws IOException {
    assertAnalyzesTo(words, "WiFi密码怎么改", new String[] {"wifi", "密码", "怎么", "改"}, new int[] {0, 4, 6, 8},
        new int[] {4, 6, 8, 9});
  }

  @Test
  public void spacesPunctuationAndEmojiAreNoTokens() throws IOException {
    assertAnalyzesTo(words, "谢谢😊!!", new String[] {"谢谢"}, new int[] {0}, new int[] {6});
    assertAnalyzesTo(words, "  😊 , !! ", new String[0]);
    assertAnalyzesTo(words, "", new String[0]);
  }

  @Test
  public void reusedTokenizerStartsAfreshForEachText() throws IOException {
    assertAnalyzesTo(words, "婚纱照多少钱", new String[] {"婚纱照", "多少", "钱"});
    assertAnalyzesTo(words, "复印机坏了", new String[] {"复印机", "坏", "了"});

    // A stream abandoned after one token must not leak into the next text.
    try (TokenStream stream = words.tokenStream("f", "预约拍摄婚纱照")) {
      stream.reset();
      assertTrue(stream.incrementToken());
    }
    assertAnalyzesTo(words, "发票", new String[] {"发票"}, new int[] {0}, new int[] {2});
  }

  @Test
  public void threadsSegmentIndependently() throws Exception {
    List<String> texts = List.of("怎么预约拍摄婚纱照", "保修快到期了怎么续保", "請問WiFi密碼", "复印机卡纸了怎么处理");
    List<List<String>> expected = texts.stream().map(t -> Analysis.terms(words, "f", t)).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        results.add(pool.submit(() -> {
          for (int round = 0; round < 200; round++) {
            for (int i = 0; i < texts.size(); i++) {
              if (!Analysis.terms(words, "f", texts.get(i)).equals(expected.get(i))) {
                return false;
              }
            }
          }
          return true;
        }));
      }
      for (Future<Boolean> result : results) {
        Assertions.assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  public void randomTextsKeepTheTokenStreamContract() throws IOException {
    checkRandomData(random(), words, atLeast(200));
    CustomerTexts.check(random(), words, atLeast(200));
  }
}
