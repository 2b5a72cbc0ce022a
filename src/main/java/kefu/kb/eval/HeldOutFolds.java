package kefu.kb.eval;

import java.util.ArrayList;
import java.util.List;
import kefu.kb.Entry;
import kefu.kb.KnowledgeBase;
import kefu.kb.QuestionSet;

/**
 * A knowledge base's own questions as benchmark sets, for what no public set can tell: how the engine does on
 * this business's questions. Each fold is one set: an index's entries and the questions asked of it.
 */
public final class HeldOutFolds {
  private HeldOutFolds() {}

  /**
   * In scope: the similar questions dealt into {@code folds} folds, each asked of an index of everything else, as
   * a customer's paraphrase is asked of the real one. Entries keep their standard question, so every entry stays.
   */
  public static List<BenchmarkSet> inScope(KnowledgeBase kb, int folds) {
    List<BenchmarkSet> sets = new ArrayList<>();
    for (int fold = 0; fold < folds; fold++) {
      List<QuestionSet> faq = new ArrayList<>();
      List<BenchmarkSet.Query> asked = new ArrayList<>();
      int dealt = 0;
      for (Entry entry : kb.entries()) {
        List<String> kept = new ArrayList<>(List.of(entry.question()));
        for (String similar : entry.similar()) {
          if (dealt++ % folds == fold) {
            asked.add(new BenchmarkSet.Query(similar, entry.id()));
          } else {
            kept.add(similar);
          }
        }
        faq.add(new QuestionSet(entry.id(), kept, entry.answer()));
      }
      sets.add(new BenchmarkSet("in-scope-" + (fold + 1), faq, asked));
    }
    return sets;
  }

  /**
   * Out of scope: the entries dealt into folds, each fold's questions asked of an index without those entries,
   * as a customer asks about something the business has not written up — next to what it has. Every answer is
   * wrong here; the expected id is the entry left out. Fewer folds when there are fewer entries than folds.
   */
  public static List<BenchmarkSet> outOfScope(KnowledgeBase kb, int folds) {
    int rounds = Math.min(folds, kb.entries().size());
    List<BenchmarkSet> sets = new ArrayList<>();
    for (int fold = 0; fold < rounds; fold++) {
      List<QuestionSet> faq = new ArrayList<>();
      List<BenchmarkSet.Query> asked = new ArrayList<>();
      for (int i = 0; i < kb.entries().size(); i++) {
        Entry entry = kb.entries().get(i);
        if (i % rounds == fold) {
          entry.questions().forEach(q -> asked.add(new BenchmarkSet.Query(q, entry.id())));
        } else {
          faq.add(new QuestionSet(entry.id(), entry.questions(), entry.answer()));
        }
      }
      sets.add(new BenchmarkSet("out-of-scope-" + (fold + 1), faq, asked));
    }
    return sets;
  }
}
