package kefu.kb;

import com.hankcs.hanlp.HanLP;
import com.hankcs.hanlp.dictionary.py.Pinyin;
import java.util.Locale;

/**
 * Turns a topic name into an ASCII slug for file names and ids: Chinese characters become toneless pinyin
 * syllables (价格与优惠 → {@code jia-ge-yu-you-hui}), Latin letters and digits stay, everything else separates.
 */
final class TopicSlug {
  /** Long enough to tell topics apart, short enough for ids. */
  static final int MAX_LENGTH = 30;

  private TopicSlug() {}

  static String of(String topic) {
    StringBuilder slug = new StringBuilder();
    int i = 0;
    while (i < topic.length()) {
      int end = i;
      while (end < topic.length() && isHan(topic.codePointAt(end))) {
        end += Character.charCount(topic.codePointAt(end));
      }
      if (end > i) {
        // Whole runs, so HanLP can pick the reading of a character by its neighbours (银行 is yin-hang).
        for (Pinyin pinyin : HanLP.convertToPinyinList(topic.substring(i, end))) {
          if (pinyin != Pinyin.none5) {
            slug.append('-').append(pinyin.getPinyinWithoutTone());
          }
        }
        i = end;
      } else {
        int c = topic.codePointAt(i);
        slug.append(c < 128 && Character.isLetterOrDigit(c) ? Character.toString(c).toLowerCase(Locale.ROOT) : "-");
        i += Character.charCount(c);
      }
    }
    String text = slug.toString().replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    if (text.length() > MAX_LENGTH) {
      int cut = text.lastIndexOf('-', MAX_LENGTH);
      text = text.substring(0, cut > 0 ? cut : MAX_LENGTH);
    }
    return text.isEmpty() ? "topic" : text;
  }

  private static boolean isHan(int codePoint) {
    return Character.UnicodeScript.of(codePoint) == Character.UnicodeScript.HAN;
  }
}
