package kefu.kb.analysis;

import com.hankcs.hanlp.HanLP;
import java.io.IOException;
import java.io.Reader;
import java.text.Normalizer;

/**
 * Brings what customers type and what the knowledge base says to one form before anything is matched.
 *
 * <p>{@link #normalize} applies, in this order:
 *
 * <ol>
 *   <li>Unicode NFKC: full-width digits, letters and punctuation and the ideographic space become their ASCII
 *       forms, half-width katakana full-width, CJK compatibility ideographs and Kangxi radicals the unified
 *       ideographs, circled and superscript digits plain digits;
 *   <li>lower case;
 *   <li>letters and numbers (Unicode categories L and N, in any script and in surrogate pairs) are kept;
 *       combining marks and format characters (variation selectors, zero-width joiners, soft hyphens, emoji
 *       tags) are removed without trace, so they never split a word; everything else — punctuation, symbols,
 *       emoji, whitespace — separates words and becomes one space, none at either end;
 *   <li>Traditional Chinese becomes Simplified with HanLP's phrase-aware table ({@code data/dictionary/tc/
 *       t2s.txt}, from OpenCC), so 反覆 becomes 反复 while 覆盖 is left alone.
 * </ol>
 *
 * <p>The output is stable: it depends only on the input, on the Unicode data of the Java feature release
 * (NFKC and character categories) and on the HanLP jar; it does not depend on the locale, the thread, earlier
 * calls or the time. It can therefore key caches of derived values such as sentence vectors — a cache that
 * outlives an upgrade of Java, of HanLP or of this class must be rebuilt, because the key of a text may change.
 * The methods are thread-safe.
 */
public final class TextNormalizer {

  /** {@link #map} of each UTF-16 unit; surrogates are mapped as whole code points instead. */
  private static final char[] TABLE = new char[Character.MAX_VALUE + 1];

  static {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      TABLE[c] = (char) map(c);
    }
  }

  private TextNormalizer() {}

  /** The normalized form of {@code text}: see the class description. Never null; empty if nothing is left. */
  public static String normalize(String text) {
    String nfkc = Normalizer.isNormalized(text, Normalizer.Form.NFKC)
        ? text : Normalizer.normalize(text, Normalizer.Form.NFKC);
    StringBuilder out = new StringBuilder(nfkc.length());
    boolean space = false;
    for (int i = 0; i < nfkc.length(); ) {
      char c = nfkc.charAt(i);
      int cp;
      if (Character.isSurrogate(c)) {
        cp = nfkc.codePointAt(i);
        i += Character.charCount(cp);
        cp = map(cp);
      } else {
        i++;
        cp = TABLE[c];
      }
      if (cp == ' ') {
        space = out.length() > 0;
      } else if (cp != 0) {
        if (space) {
          out.append(' ');
          space = false;
        }
        out.appendCodePoint(cp);
      }
    }
    return out.length() == 0 ? "" : HanLP.convertToSimplifiedChinese(out.toString());
  }

  /** Reads {@code in} to its end and returns the normalized form of what it read; does not close it. */
  static String normalize(Reader in) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[1024];
    for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
      text.append(buffer, 0, n);
    }
    return normalize(text.toString());
  }

  /** The lower case of a letter or number, {@code ' '} for a separator, 0 for a character to remove. */
  private static int map(int cp) {
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER:
      case Character.LOWERCASE_LETTER:
      case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
        return Character.toLowerCase(cp);
      case Character.NON_SPACING_MARK:
      case Character.ENCLOSING_MARK:
      case Character.COMBINING_SPACING_MARK:
      case Character.FORMAT:
        return 0;
      default:
        return ' ';
    }
  }
}
