package kefu.kb.eval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/**
 * What a system returned for one query: entry ids best first, its score for the first, and whether it would
 * answer outright (only kefu decides that; baselines are judged at kefu's precision instead).
 */
public record Ranking(List<String> entryIds, double topScore, boolean answered) {

  /** A baseline's ranking from Lucene hits whose documents store their entry in the field "id". */
  static Ranking fromHits(IndexSearcher searcher, TopDocs hits) throws IOException {
    List<String> ids = new ArrayList<>();
    for (ScoreDoc hit : hits.scoreDocs) {
      String id = searcher.storedFields().document(hit.doc).get("id");
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return new Ranking(ids, hits.scoreDocs.length == 0 ? 0 : hits.scoreDocs[0].score, false);
  }
}
