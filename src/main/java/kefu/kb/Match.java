package kefu.kb;

import java.util.List;

/** The engine's answer to one query: what to do, and the candidates best first. */
public record Match(Outcome outcome, List<Candidate> candidates) {
  /** The best candidate, if any. */
  public java.util.Optional<Candidate> best() {
    return candidates.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(candidates.get(0));
  }
}
