package kefu.kb.analysis;

import com.hankcs.hanlp.dictionary.ts.TraditionalChineseDictionary;
import java.io.IOException;
import java.io.Reader;
import java.text.Normalizer;
import java.util.Arrays;

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
 *       t2s.txt}, from OpenCC), the longest phrase first, as {@code HanLP.convertToSimplifiedChinese} does, so 反覆
 *       becomes 反复 while 覆盖 is left alone.
 * </ol>
 *
 * <p>The output is stable: it depends only on the input, on the Unicode data of the Java feature release
 * (NFKC and character categories) and on the HanLP jar; it does not depend on the locale, the thread, earlier
 * calls or the time. It can therefore key caches of derived values such as sentence vectors — a cache that
 * outlives an upgrade of Java, of HanLP or of this class must be rebuilt, because the key of a text may change.
 * The methods are thread-safe.
 *
 * <p>For analyzers, {@link #normalize(Reader)} also tells where each position of the normalized text lies in the
 * original, so that tokens carry offsets into what was written, as Lucene requires.
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

  /**
   * A normalized text, with where each position in it lies in the original text.
   *
   * <p>A character of the normalized text starts where the characters it was made of start. What normalization
   * removed after a character (marks, joiners) belongs to it, a run of separators between words to the one space
   * it became, and the end of the normalized text is the end of the original, so that trailing separators belong
   * to the last character; leading ones belong to none. Offsets never decrease. Inside a Traditional phrase that
   * became a Simplified one of another length (士多啤梨, 草莓) characters are matched in order, the last taking the
   * rest.
   */
  static final class Normalized {
    /** The normalized form of an empty text. */
    static final Normalized EMPTY = new Normalized("", new int[] {0});

    private final String text;
    private final int[] origins;

    private Normalized(String text, int[] origins) {
      this.text = text;
      this.origins = origins;
    }

    String text() {
      return text;
    }

    /** Where position {@code index} of the normalized text, from 0 to its length, lies in the original text. */
    int offset(int index) {
      return origins[index];
    }
  }

  /** The normalized form of {@code text}: see the class description. Never null; empty if nothing is left. */
  public static String normalize(String text) {
    return normalize(text, false).text();
  }

  /** Reads {@code in} to its end and normalizes what it read, with offsets into it; does not close it. */
  static Normalized normalize(Reader in) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[1024];
    for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
      text.append(buffer, 0, n);
    }
    return normalize(text.toString(), true);
  }

  private static Normalized normalize(String text, boolean withOffsets) {
    boolean isNfkc = Normalizer.isNormalized(text, Normalizer.Form.NFKC);
    String nfkc = isNfkc ? text : Normalizer.normalize(text, Normalizer.Form.NFKC);
    int[] nfkcOrigins = withOffsets && !isNfkc ? nfkcOrigins(text, nfkc) : null;
    Traced out = new Traced(nfkc.length(), withOffsets);
    // Where the run of separators that will become one space began; -1 while there is none.
    int spaceOrigin = -1;
    for (int i = 0; i < nfkc.length(); ) {
      int origin = nfkcOrigins == null ? i : nfkcOrigins[i];
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
        if (spaceOrigin < 0 && out.length() > 0) {
          spaceOrigin = origin;
        }
      } else if (cp != 0) {
        if (spaceOrigin >= 0) {
          out.append(' ', spaceOrigin);
          spaceOrigin = -1;
        }
        out.appendCodePoint(cp, origin);
      }
    }
    return out.length() == 0 ? out.done(text.length()) : simplified(out, text.length());
  }

  /**
   * For each char of {@code nfkc}, the NFKC form of {@code text}, where in {@code text} the characters it was made
   * of start. A character is normalized with the marks after it; when that is not what the whole text has at this
   * place, because composition joined it to what follows (Hangul jamo, half-width voiced sound marks), the
   * characters after it are taken in until it is.
   */
  private static int[] nfkcOrigins(String text, String nfkc) {
    int[] origins = new int[nfkc.length()];
    int out = 0;
    for (int in = 0; in < text.length() && out < nfkc.length(); ) {
      int end = clusterEnd(text, in);
      String piece = Normalizer.normalize(text.substring(in, end), Normalizer.Form.NFKC);
      while (!nfkc.startsWith(piece, out) && end < text.length()) {
        end = clusterEnd(text, end);
        piece = Normalizer.normalize(text.substring(in, end), Normalizer.Form.NFKC);
      }
      // The last piece takes whatever is left, so every char gets an origin.
      int stop = end < text.length() ? out + piece.length() : nfkc.length();
      Arrays.fill(origins, out, stop, in);
      out = stop;
      in = end;
    }
    return origins;
  }

  /** The end of the code point at {@code start} and of the combining marks after it. */
  private static int clusterEnd(String text, int start) {
    int end = start + Character.charCount(text.codePointAt(start));
    while (end < text.length()) {
      int type = Character.getType(text.codePointAt(end));
      if (type != Character.NON_SPACING_MARK && type != Character.ENCLOSING_MARK
          && type != Character.COMBINING_SPACING_MARK) {
        break;
      }
      end += Character.charCount(text.codePointAt(end));
    }
    return end;
  }

  /** {@code text} from Traditional to Simplified; {@code end} is where the original text ends. */
  private static Normalized simplified(Traced text, int end) {
    char[] chars = text.toString().toCharArray();
    // The longest phrase of the table that starts at each char, as HanLP's own conversion takes them.
    String[] phrase = new String[chars.length];
    int[] length = new int[chars.length];
    TraditionalChineseDictionary.trie.parseText(chars, (begin, stop, simplified) -> {
      if (stop - begin > length[begin]) {
        phrase[begin] = simplified;
        length[begin] = stop - begin;
      }
    });
    Traced out = new Traced(chars.length, text.withOffsets());
    for (int i = 0; i < chars.length; ) {
      if (phrase[i] == null) {
        out.append(chars[i], text.origin(i));
        i++;
      } else {
        for (int j = 0; j < phrase[i].length(); j++) {
          out.append(phrase[i].charAt(j), text.origin(i + Math.min(j, length[i] - 1)));
        }
        i += length[i];
      }
    }
    return out.done(end);
  }

  /** A text being built, with the origin of each of its chars when offsets are wanted. */
  private static final class Traced {
    private final StringBuilder text;
    private int[] origins;

    Traced(int capacity, boolean withOffsets) {
      text = new StringBuilder(capacity);
      origins = withOffsets ? new int[capacity + 1] : null;
    }

    boolean withOffsets() {
      return origins != null;
    }

    int length() {
      return text.length();
    }

    int origin(int index) {
      return origins == null ? index : origins[index];
    }

    void append(char c, int origin) {
      if (origins != null) {
        if (text.length() + 1 >= origins.length) {
          origins = Arrays.copyOf(origins, 2 * origins.length + 2);
        }
        origins[text.length()] = origin;
      }
      text.append(c);
    }

    void appendCodePoint(int cp, int origin) {
      if (Character.isBmpCodePoint(cp)) {
        append((char) cp, origin);
      } else {
        append(Character.highSurrogate(cp), origin);
        append(Character.lowSurrogate(cp), origin);
      }
    }

    /** The text, whose end lies at {@code end} of the original. */
    Normalized done(int end) {
      int[] offsets = null;
      if (origins != null) {
        offsets = Arrays.copyOf(origins, text.length() + 1);
        offsets[text.length()] = end;
      }
      return new Normalized(text.toString(), offsets);
    }

    @Override
    public String toString() {
      return text.toString();
    }
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
