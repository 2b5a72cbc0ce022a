package kefu.kb.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Set;
import kefu.kb.QuestionSet;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * A baseline as a Lucene user builds it in an afternoon: one stock analyzer, BM25 with its defaults, the query's
 * terms OR-ed together (what the classic query parser does), nothing tuned.
 */
final class LuceneBm25System implements MatchingSystem {
  private static final String FIELD = "question";

  private final String name;
  private final Analyzer analyzer;
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  LuceneBm25System(String name, Analyzer analyzer, BenchmarkSet set) {
    this.name = name;
    this.analyzer = analyzer;
    try {
      try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
        for (QuestionSet entry : set.faq()) {
          for (String question : entry.questions()) {
            Document doc = new Document();
            doc.add(new StoredField("id", entry.entryId()));
            doc.add(new TextField(FIELD, question, Field.Store.NO));
            writer.addDocument(doc);
          }
        }
        writer.forceMerge(1);
      }
      reader = DirectoryReader.open(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    searcher = new IndexSearcher(reader);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Ranking rank(String query) {
    try {
      BooleanQuery.Builder q = new BooleanQuery.Builder();
      for (String term : terms(query)) {
        q.add(new TermQuery(new Term(FIELD, term)), BooleanClause.Occur.SHOULD);
      }
      TopDocs hits = searcher.search(q.build(), 10);
      return Ranking.fromHits(searcher, hits);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Set<String> terms(String text) throws IOException {
    Set<String> terms = new LinkedHashSet<>();
    try (TokenStream stream = analyzer.tokenStream(FIELD, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    }
    return terms;
  }

  @Override
  public void close() {
    try {
      reader.close();
      analyzer.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
