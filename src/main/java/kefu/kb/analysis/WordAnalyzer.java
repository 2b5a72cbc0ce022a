package kefu.kb.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.util.CharsRef;
import org.apache.lucene.util.CharsRefBuilder;

/**
 * Analyzes the word field: HanLP words, each synonym rewritten to its group's canonical word, stop words
 * removed.
 *
 * <p>The same analyzer must serve indexing and queries: a synonym becomes its canonical word on both sides,
 * so a customer's 退钱 finds the question that says 退款, and a question that says 退钱 is found by 退款.
 * A synonym that HanLP splits into several words (改时间 → 改 / 时间) is matched as that sequence of words;
 * the canonical word is always emitted as one token, whole, even if HanLP would split it. Synonyms are
 * matched before stop words are removed, so a synonym may contain one (不拍了). The stop words are in
 * {@code kefu/kb/stopwords.txt}, which explains what is kept and why.
 */
public final class WordAnalyzer extends Analyzer {

  private static final CharArraySet STOP_WORDS = loadStopWords();

  private final SynonymMap synonyms;

  /** An analyzer without synonyms. */
  public WordAnalyzer() {
    this(List.of());
  }

  /**
   * An analyzer that rewrites every word of each group to the group's first word, as in
   * {@code knowledge-base/synonyms.txt}. The words may be written in any form {@link TextNormalizer} accepts.
   */
  public WordAnalyzer(List<List<String>> synonymGroups) {
    this.synonyms = buildSynonyms(synonymGroups);
  }

  @Override
  protected TokenStreamComponents createComponents(String fieldName) {
    Tokenizer tokenizer = new HanLPTokenizer();
    TokenStream stream = tokenizer;
    if (synonyms.fst != null) {
      stream = new SynonymGraphFilter(stream, synonyms, false);
      // The canonical word is one token, so the graph is a plain sequence; flattening keeps it indexable
      // should that ever change.
      stream = new FlattenGraphFilter(stream);
    }
    return new TokenStreamComponents(tokenizer, new StopFilter(stream, STOP_WORDS));
  }

  private static SynonymMap buildSynonyms(List<List<String>> groups) {
    try (Analyzer words = new Analyzer() {
          @Override
          protected TokenStreamComponents createComponents(String fieldName) {
            return new TokenStreamComponents(new HanLPTokenizer());
          }
        }) {
      SynonymMap.Builder builder = new SynonymMap.Builder(true);
      CharsRefBuilder scratch = new CharsRefBuilder();
      for (List<String> group : groups) {
        if (group.isEmpty()) {
          continue;
        }
        CharsRef canonical = new CharsRef(String.join("", Analysis.terms(words, "", group.get(0))));
        if (canonical.length == 0) {
          continue;
        }
        for (String word : group) {
          List<String> input = Analysis.terms(words, "", word);
          if (input.isEmpty() || input.size() == 1 && input.get(0).contentEquals(canonical)) {
            continue;
          }
          builder.add(SynonymMap.Builder.join(input.toArray(new String[0]), scratch), canonical, false);
        }
      }
      return builder.build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CharArraySet loadStopWords() {
    try (InputStream in = WordAnalyzer.class.getResourceAsStream("/kefu/kb/stopwords.txt")) {
      if (in == null) {
        throw new IllegalStateException("kefu/kb/stopwords.txt is not on the class path");
      }
      Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
      return CharArraySet.unmodifiableSet(WordlistLoader.getWordSet(reader, "#", new CharArraySet(128, false)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
