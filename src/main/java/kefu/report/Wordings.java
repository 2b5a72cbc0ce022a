package kefu.report;

import java.util.List;

/**
 * Groups texts that say the same in other words — the bot's unanswered questions, the complaints as told — for the
 * report's "most frequent" lists; App wires the knowledge base's grouping by meaning in, so the report does not
 * depend on it.
 */
@FunctionalInterface
public interface Wordings {
  /** Each text on its own: equal texts are still counted together, as the queries group them. */
  Wordings EXACT = texts -> java.util.stream.IntStream.range(0, texts.size()).mapToObj(List::of).toList();

  /** The groups of {@code texts} as lists of their positions, each text in exactly one group. May block (encodes). */
  List<List<Integer>> group(List<String> texts);
}
