package kefu.kb.analysis;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import org.apache.lucene.analysis.CharFilter;

/**
 * Gives a tokenizer the {@linkplain TextNormalizer normalized} form of its input. Offsets are not corrected:
 * tokens point into the normalized text.
 */
final class NormalizingCharFilter extends CharFilter {

  // The normalizer needs the whole text (Traditional phrases, spaces to collapse), so it is read at once.
  private Reader normalized;

  NormalizingCharFilter(Reader in) {
    super(in);
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    if (normalized == null) {
      normalized = new StringReader(TextNormalizer.normalize(input));
    }
    return normalized.read(buffer, offset, length);
  }

  @Override
  protected int correct(int currentOff) {
    return currentOff;
  }
}
