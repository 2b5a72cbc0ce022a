package kefu.kb.analysis;

import java.io.IOException;
import java.util.Random;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.tests.analysis.BaseTokenStreamTestCase;

/**
 * Random texts made of what customers type and what normalization changes: Traditional phrases (some of another
 * length in Simplified), full-width and compatibility forms, emoji with joiners and selectors, combining marks,
 * Hangul jamo that compose, surrogate pairs, punctuation and spaces. Lucene's own random texts seldom hold them.
 */
final class CustomerTexts {
  private static final String[] PIECES = {
      "請問", "婚紗照", "怎麼", "預約", "拍攝", "ＷｉＦｉ", "密碼", "WiFi", "ABC123", "１２３", "多少钱", "改時間", "退錢", "不拍了",
      "套系", "复印机", "反覆", "覆蓋", "士多啤梨", "筆記簿型電腦", "㑮", "𠮷野家", "𝐖𝐢𝐅𝐢", "ﾃｽﾄ", "ｶﾞ", "ᄀ", "ᅡ", "ㅏ", "e\u0301",
      "\u0301", "①②", "㍿", "㎏", "ﬁ", "⽅便", "😊", "👍🏻", "❤️", "👨\u200D👩\u200D👧", "\u200B", "\uFEFF", "\uFE0F", "\uD800",
      "，", "？", "!!", "【", "】", "~", " ", "\u3000", "\t", "\n"};

  private CustomerTexts() {}

  static String random(Random random) {
    StringBuilder text = new StringBuilder();
    for (int n = random.nextInt(12); n > 0; n--) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return text.toString();
  }

  /** Lucene's consistency checks (offsets, reuse, reset, a char filter before it) on {@code iterations} texts. */
  static void check(Random random, Analyzer analyzer, int iterations) throws IOException {
    for (int i = 0; i < iterations; i++) {
      String text = random(random);
      try {
        BaseTokenStreamTestCase.checkAnalysisConsistency(random, analyzer, random.nextBoolean(), text);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("text '" + BaseTokenStreamTestCase.escape(text) + "'", e);
      }
    }
  }
}
