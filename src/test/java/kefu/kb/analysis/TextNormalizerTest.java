package kefu.kb.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.hankcs.hanlp.HanLP;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TextNormalizerTest {

  @Test
  void fullWidthBecomesHalfWidthAndLowerCase() {
    assertThat(TextNormalizer.normalize("１２３ＡＢＣ")).isEqualTo("123abc");
    assertThat(TextNormalizer.normalize("ＷｉＦｉ　密码？")).isEqualTo("wifi 密码");
    assertThat(TextNormalizer.normalize("WiFi密码怎么改")).isEqualTo("wifi密码怎么改");
  }

  @Test
  void traditionalBecomesSimplified() {
    assertThat(TextNormalizer.normalize("請問婚紗照怎麼預約")).isEqualTo("请问婚纱照怎么预约");
    // Phrase-aware: 覆 is Traditional for 复 only in some words.
    assertThat(TextNormalizer.normalize("反覆修改")).isEqualTo("反复修改");
    assertThat(TextNormalizer.normalize("覆盖")).isEqualTo("覆盖");
  }

  @Test
  void benchmarkQueriesInTraditionalNormalizeToTheSimplifiedOnes() {
    // Lines 3, 73 and 102 of bench/afqmc/queries-dev.tsv and queries-dev-trad.tsv (OpenCC s2t).
    assertThat(TextNormalizer.normalize("爲什麼我的螞蟻借唄還款後都沒有恢復額度，我又沒有逾期過"))
        .isEqualTo(TextNormalizer.normalize("为什么我的蚂蚁借呗还款后都没有恢复额度，我又没有逾期过"))
        .isEqualTo("为什么我的蚂蚁借呗还款后都没有恢复额度 我又没有逾期过");
    assertThat(TextNormalizer.normalize("爲什麼餘額不足不能用螞蟻花唄"))
        .isEqualTo(TextNormalizer.normalize("为什么余额不足不能用蚂蚁花呗"));
    assertThat(TextNormalizer.normalize("剛纔使用花唄，抽獎得到一個月的優酷會員"))
        .isEqualTo(TextNormalizer.normalize("刚才使用花呗，抽奖得到一个月的优酷会员"));
  }

  @Test
  void punctuationSymbolsAndEmojiSeparateWords() {
    assertThat(TextNormalizer.normalize("谢谢😊!!")).isEqualTo("谢谢");
    assertThat(TextNormalizer.normalize("好的👍🏻谢谢")).isEqualTo("好的 谢谢");
    assertThat(TextNormalizer.normalize("价格:1,000元/套(含税)")).isEqualTo("价格 1 000元 套 含税");
    assertThat(TextNormalizer.normalize("【婚纱照】~~~ ♥ 预约")).isEqualTo("婚纱照 预约");
  }

  @Test
  void variationSelectorsAndJoinersDisappearWithoutSplittingWords() {
    // ❤️ is U+2764 U+FE0F; the family is three emoji joined by U+200D.
    assertThat(TextNormalizer.normalize("爱❤️你")).isEqualTo("爱 你");
    assertThat(TextNormalizer.normalize("👨\u200D👩\u200D👧家庭套系")).isEqualTo("家庭套系");
    assertThat(TextNormalizer.normalize("退\u200B款\uFE0F")).isEqualTo("退款");
    assertThat(TextNormalizer.normalize("\uFEFF预约")).isEqualTo("预约");
  }

  @Test
  void lettersOutsideTheBasicPlaneAreKept() {
    // 𠮷 (U+20BB7) is a Han character in a surrogate pair; mathematical bold letters fold to ASCII.
    assertThat(TextNormalizer.normalize("𠮷野家")).isEqualTo("𠮷野家");
    assertThat(TextNormalizer.normalize("𝐖𝐢𝐅𝐢密码")).isEqualTo("wifi密码");
    assertThat(TextNormalizer.normalize("a\uD800b")).isEqualTo("a b");
  }

  @Test
  void compatibilityFormsFold() {
    assertThat(TextNormalizer.normalize("⽅便")).isEqualTo("方便");
    assertThat(TextNormalizer.normalize("二〇二四年")).isEqualTo("二〇二四年");
    assertThat(TextNormalizer.normalize("ﾃｽﾄ")).isEqualTo("テスト");
  }

  @Test
  void whitespaceCollapsesAndIsTrimmed() {
    assertThat(TextNormalizer.normalize(" \t婚纱照 \n\u3000 多少钱\r\n")).isEqualTo("婚纱照 多少钱");
    assertThat(TextNormalizer.normalize("   ")).isEmpty();
    assertThat(TextNormalizer.normalize("")).isEmpty();
    assertThat(TextNormalizer.normalize("😊🙏!!")).isEmpty();
  }

  @Test
  void normalizedTextIsAFixedPoint() {
    for (String text : new String[] {"請問ＷｉＦｉ密碼😊怎麼改?", "反覆 覆盖 乾隆 乾淨", "𝐖𝐢𝐅𝐢 ①②"}) {
      String once = TextNormalizer.normalize(text);
      assertThat(TextNormalizer.normalize(once)).isEqualTo(once);
    }
  }

  @Test
  void readerGivesTheSameAsString() throws IOException {
    String text = "請問婚紗照怎麼預約？".repeat(300);
    assertThat(TextNormalizer.normalize(new StringReader(text)).text()).isEqualTo(TextNormalizer.normalize(text));
    Random random = new Random(17);
    for (int i = 0; i < 1000; i++) {
      String mixed = CustomerTexts.random(random);
      assertThat(TextNormalizer.normalize(new StringReader(mixed)).text()).isEqualTo(TextNormalizer.normalize(mixed));
    }
  }

  @Test
  void traditionalPhrasesBecomeWhatHanLPMakesOfThem() throws IOException {
    // The conversion walks HanLP's table itself, to know where each phrase came from; it must give what
    // HanLP.convertToSimplifiedChinese gives, here on the table's own phrases run together so that they overlap.
    List<String> phrases = new ArrayList<>();
    try (BufferedReader table = new BufferedReader(new InputStreamReader(
        TextNormalizerTest.class.getResourceAsStream("/data/dictionary/tc/t2s.txt"), StandardCharsets.UTF_8))) {
      for (String line = table.readLine(); line != null; line = table.readLine()) {
        String phrase = line.substring(0, Math.max(0, line.indexOf('=')));
        // Only phrases the earlier steps leave alone, so that HanLP sees the same text.
        if (!phrase.isEmpty() && phrase.codePoints().allMatch(Character::isLetter)
            && Normalizer.isNormalized(phrase, Normalizer.Form.NFKC) && phrase.equals(phrase.toLowerCase())) {
          phrases.add(phrase);
        }
      }
    }
    assertThat(phrases).hasSizeGreaterThan(4000);
    Collections.shuffle(phrases, new Random(17));
    for (int from = 0; from < phrases.size(); from += 50) {
      String text = String.join("", phrases.subList(from, Math.min(phrases.size(), from + 50)));
      assertThat(TextNormalizer.normalize(text)).isEqualTo(HanLP.convertToSimplifiedChinese(text));
    }
  }

  @Test
  void offsetsLeadBackToWhereEachCharacterWasWritten() throws IOException {
    // Full-width letters and punctuation: the run of commas is the space, the last character takes the "！！".
    assertThat(offsets("ＷｉＦｉ，，密碼！！")).containsExactly(0, 1, 2, 3, 4, 6, 7, 10);
    // What is removed belongs to the character before it; leading separators belong to none.
    assertThat(offsets("爱❤️你")).containsExactly(0, 1, 3, 4);
    assertThat(offsets("\uFEFF 预约 ")).containsExactly(2, 3, 5);
    // NFKC joins (half-width voiced kana, a combining accent) and splits (a ligature, a square word).
    assertThat(offsets("ｶﾞ")).containsExactly(0, 2);
    assertThat(offsets("e\u0301x")).containsExactly(0, 2, 3);
    assertThat(offsets("ﬁ号")).containsExactly(0, 0, 1, 2);
    assertThat(offsets("㍿")).containsExactly(0, 0, 0, 0, 1);
    // A Traditional phrase of another length in Simplified, and a character that becomes a surrogate pair.
    assertThat(offsets("吃士多啤梨")).containsExactly(0, 1, 2, 5);
    assertThat(offsets("㑮")).containsExactly(0, 0, 1);
    assertThat(offsets("")).containsExactly(0);
    assertThat(offsets("!!")).containsExactly(2);
  }

  /** The offset into {@code text} of each position of its normalized form, its end included. */
  private static List<Integer> offsets(String text) throws IOException {
    TextNormalizer.Normalized normalized = TextNormalizer.normalize(new StringReader(text));
    return IntStream.rangeClosed(0, normalized.text().length()).map(normalized::offset).boxed().toList();
  }
}
