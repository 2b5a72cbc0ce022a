package kefu.kb.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/** Runs an analyzer on a string outside of indexing, for features that compare the terms of two texts. */
public final class Analysis {

  private Analysis() {}

  /** The terms {@code analyzer} makes of {@code text} in {@code field}, in order, repeats included. */
  public static List<String> terms(Analyzer analyzer, String field, String text) {
    List<String> terms = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      // Only a failing Reader throws, and a String is read without one.
      throw new UncheckedIOException(e);
    }
    return terms;
  }
}
