package kefu.kb.analysis;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import org.apache.lucene.analysis.CharFilter;

/**
 * Gives a tokenizer the {@linkplain TextNormalizer normalized} form of its input, and corrects the tokenizer's offsets
 * back into the input.
 */
final class NormalizingCharFilter extends CharFilter {

  // The normalizer needs the whole text (Traditional phrases, spaces to collapse), so it is read at once.
  private TextNormalizer.Normalized normalized;
  private Reader text;

  NormalizingCharFilter(Reader in) {
    super(in);
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    if (normalized == null) {
      normalized = TextNormalizer.normalize(input);
      text = new StringReader(normalized.text());
    }
    return text.read(buffer, offset, length);
  }

  @Override
  protected int correct(int currentOff) {
    return normalized == null ? currentOff : normalized.offset(currentOff);
  }
}
