package kefu.kb;

import java.util.List;
import java.util.Optional;

/**
 * The engine's answer to one query: what to do, the candidates best first, and how many of the first are worth
 * putting to the customer (one when one stands out, those close to the best when several are).
 */
public record Match(Outcome outcome, List<Candidate> candidates, int offered) {
  public Match {
    candidates = List.copyOf(candidates);
  }

  /** The best candidate, if any. */
  public Optional<Candidate> best() {
    return candidates.isEmpty() ? Optional.empty() : Optional.of(candidates.get(0));
  }

  /** The candidates worth putting to the customer, best first. */
  public List<Candidate> offers() {
    return candidates.subList(0, offered);
  }
}
