package kefu.kb.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import kefu.kb.QuestionSet;
import kefu.kb.SentenceEncoder;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

/** The vector baseline: the same BGE vectors of the raw text, cosine nearest neighbours, nothing else. */
final class BgeDenseSystem implements MatchingSystem {
  private final SentenceEncoder encoder;
  private final ByteBuffersDirectory directory = new ByteBuffersDirectory();
  private final DirectoryReader reader;
  private final IndexSearcher searcher;

  BgeDenseSystem(BenchmarkSet set, SentenceEncoder encoder, ExecutorService workers) {
    this.encoder = encoder;
    List<String> ids = new ArrayList<>();
    List<Future<float[]>> vectors = new ArrayList<>();
    for (QuestionSet entry : set.faq()) {
      for (String question : entry.questions()) {
        ids.add(entry.entryId());
        vectors.add(workers.submit(() -> encoder.encode(question)));
      }
    }
    try {
      try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
        for (int i = 0; i < ids.size(); i++) {
          Document doc = new Document();
          doc.add(new StoredField("id", ids.get(i)));
          doc.add(new KnnFloatVectorField("vector", vectors.get(i).get(), VectorSimilarityFunction.COSINE));
          writer.addDocument(doc);
        }
        writer.forceMerge(1);
      }
      reader = DirectoryReader.open(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("cannot encode the FAQ", e);
    }
    searcher = new IndexSearcher(reader);
  }

  @Override
  public String name() {
    return "bge-dense";
  }

  @Override
  public Ranking rank(String query) {
    try {
      TopDocs hits = searcher.search(new KnnFloatVectorQuery("vector", encoder.encode(query), 10), 10);
      return Ranking.fromHits(searcher, hits);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
