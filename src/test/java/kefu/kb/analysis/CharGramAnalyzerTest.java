package kefu.kb.analysis;

import java.io.IOException;
import org.apache.lucene.tests.analysis.BaseTokenStreamTestCase;
import org.assertj.core.api.Assertions;
import org.junit.After;
import org.junit.Test;

/**
 * Tests of {@link CharGramAnalyzer} on Lucene's token stream test case, whose checks also test reuse, reset and
 * offsets.
 */
public class CharGramAnalyzerTest extends BaseTokenStreamTestCase {

  private final CharGramAnalyzer analyzer = new CharGramAnalyzer();

  @After
  public void closeAnalyzer() {
    analyzer.close();
  }

  @Test
  public void chineseGivesUnigramsAndBigramsLatinWordsStayWhole() throws IOException {
    assertAnalyzesTo(analyzer, "WiFi密码", new String[] {"wifi", "密", "密码", "码"},
        new String[] {"<ALPHANUM>", "<SINGLE>", "<DOUBLE>", "<SINGLE>"});
    assertAnalyzesTo(analyzer, "预约拍摄", new String[] {"预", "预约", "约", "约拍", "拍", "拍摄", "摄"});
    assertAnalyzesTo(analyzer, "型号ABC123的墨粉",
        new String[] {"型", "型号", "号", "abc123", "的", "的墨", "墨", "墨粉", "粉"});
  }

  @Test
  public void bigramsStayOnTheirPositionsAndOffsetsPointIntoTheInput() throws IOException {
    // A bigram starts at its first character's position and spans two.
    assertAnalyzesTo(analyzer, "ＷｉＦｉ，密碼", new String[] {"wifi", "密", "密码", "码"}, new int[] {0, 5, 5, 6},
        new int[] {4, 6, 7, 7}, null, new int[] {1, 1, 0, 1}, new int[] {1, 1, 2, 1});
    // Offsets used to point into the normalized text "wifi 密码", here three characters short of the input; the
    // exclamation marks after the last character belong to it.
    assertAnalyzesTo(analyzer, "ＷｉＦｉ，，密碼！！", new String[] {"wifi", "密", "密码", "码"}, new int[] {0, 6, 6, 7},
        new int[] {4, 7, 10, 10}, null, new int[] {1, 1, 0, 1}, new int[] {1, 1, 2, 1});
  }

  @Test
  public void normalizesFirst() throws IOException {
    Assertions.assertThat(Analysis.terms(analyzer, "f", "請問婚紗照")).isEqualTo(Analysis.terms(analyzer, "f", "请问婚纱照"));
    assertAnalyzesTo(analyzer, "１２３ＡＢＣ", new String[] {"123abc"}, new int[] {0}, new int[] {6});
    assertAnalyzesTo(analyzer, "谢谢😊!!", new String[] {"谢", "谢谢", "谢"});
  }

  @Test
  public void bigramsDoNotCrossPunctuationOrEmoji() throws IOException {
    assertAnalyzesTo(analyzer, "好，谢😊谢", new String[] {"好", "谢", "谢"}, new int[] {0, 2, 5}, new int[] {1, 3, 6});
  }

  @Test
  public void reusedAnalyzerStartsAfreshForEachText() throws IOException {
    assertAnalyzesTo(analyzer, "婚纱照", new String[] {"婚", "婚纱", "纱", "纱照", "照"});
    assertAnalyzesTo(analyzer, "发票", new String[] {"发", "发票", "票"});
    assertAnalyzesTo(analyzer, "", new String[0]);
  }

  @Test
  public void randomTextsKeepTheTokenStreamContract() throws IOException {
    checkRandomData(random(), analyzer, atLeast(200));
    CustomerTexts.check(random(), analyzer, atLeast(200));
  }
}
