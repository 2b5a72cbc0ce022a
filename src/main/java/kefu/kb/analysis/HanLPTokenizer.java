package kefu.kb.analysis;

import com.hankcs.hanlp.seg.Segment;
import com.hankcs.hanlp.seg.Viterbi.ViterbiSegment;
import com.hankcs.hanlp.seg.common.Term;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;

/**
 * Splits text into Chinese words with HanLP, for Lucene.
 *
 * <p>The whole input is read, {@linkplain TextNormalizer#normalize normalized} and segmented at once. Each
 * word becomes a token whose type is its HanLP part of speech ({@code n}, {@code v}, {@code nx} for Latin
 * words, {@code m} for numbers…) and whose position increment is 1: the spaces the normalizer leaves between
 * words are not tokens and leave no gap. Offsets point into the input, as {@link TextNormalizer.Normalized} maps
 * them: a word ends where the next character starts, so the punctuation or emoji after the last word belongs to it.
 *
 * <p>HanLP runs its Viterbi segmenter over the core dictionary and the custom dictionary, both shipped in the
 * HanLP jar and loaded once per JVM on first use (about half a second). The custom dictionary stays on: without
 * it the jar's small core dictionary splits 客服, 续保, 支付宝 and 二维码. Person, place and organization
 * recognition are off: on customer questions they merged ordinary words more often than they found names
 * (对银行, 钱还没), and made segmentation three times slower.
 */
public final class HanLPTokenizer extends Tokenizer {

  private final CharTermAttribute termAtt = addAttribute(CharTermAttribute.class);
  private final OffsetAttribute offsetAtt = addAttribute(OffsetAttribute.class);
  private final TypeAttribute typeAtt = addAttribute(TypeAttribute.class);

  // One per tokenizer, so one per thread (analyzers reuse tokenizers per thread): HanLP's own thread safety
  // is not relied on.
  private final Segment segment = new ViterbiSegment()
      .enableAllNamedEntityRecognize(false)
      .enableCustomDictionary(true)
      .enableNormalization(false)
      .enableOffset(true);

  private List<Term> terms = List.of();
  private int next;
  private TextNormalizer.Normalized text = TextNormalizer.Normalized.EMPTY;

  @Override
  public boolean incrementToken() {
    clearAttributes();
    while (next < terms.size()) {
      Term term = terms.get(next++);
      if (term.word.isBlank()) {
        continue;
      }
      termAtt.append(term.word);
      offsetAtt.setOffset(offset(term.offset), offset(term.offset + term.word.length()));
      typeAtt.setType(term.nature.toString());
      return true;
    }
    return false;
  }

  @Override
  public void reset() throws IOException {
    super.reset();
    text = TextNormalizer.normalize(input);
    terms = text.text().isEmpty() ? List.of() : segment.seg(text.text());
    next = 0;
  }

  @Override
  public void end() throws IOException {
    super.end();
    int end = offset(text.text().length());
    offsetAtt.setOffset(end, end);
  }

  /** The offset in the input of {@code index} in the normalized text. */
  private int offset(int index) {
    return correctOffset(text.offset(index));
  }

  @Override
  public void close() throws IOException {
    super.close();
    terms = List.of();
  }
}
