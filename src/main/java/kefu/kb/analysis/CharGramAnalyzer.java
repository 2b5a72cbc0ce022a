package kefu.kb.analysis;

import java.io.Reader;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;

/**
 * Analyzes the character field: each Chinese character alone and with the next one, Latin words and numbers
 * whole — 密码是wifi123 gives 密, 密码, 码, 码是, 是, wifi123.
 *
 * <p>It catches what word segmentation misses: typos, words HanLP splits differently in different
 * sentences, names it does not know. Text is normalized by {@link TextNormalizer} first, so Traditional and
 * Simplified give the same grams; bigrams do not cross the spaces left by punctuation or emoji. Offsets point
 * into the input, as for {@link HanLPTokenizer}. Nothing is dropped as a stop word: rare characters weigh more
 * by themselves.
 *
 * <p>A bigram spans the positions of its two unigrams, so the tokens form a graph. Query this field with a
 * bag of {@code TermQuery}s over {@link Analysis#terms}, not with {@code QueryBuilder}: that expands the graph
 * into every path through it, and their number grows exponentially with the text — eleven Chinese characters
 * in a row already exceed Lucene's default limit of 1024 clauses.
 */
public final class CharGramAnalyzer extends Analyzer {

  @Override
  protected Reader initReader(String fieldName, Reader reader) {
    return new NormalizingCharFilter(reader);
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer tokenizer = new StandardTokenizer();
    return new TokenStreamComponents(tokenizer, new CJKBigramFilter(tokenizer, CJKBigramFilter.HAN, true));
  }
}
