package kefu.gaps;

import java.time.Instant;
import java.util.Optional;

/**
 * One question the knowledge base did not answer well, as recorded.
 *
 * @param question the customer's words: customer data, never logged
 * @param entryId the nearest entry, if the knowledge base had one
 * @param confidence the engine's confidence in that entry, when it was searched
 */
public record Gap(long id, long conversationId, String question, GapKind kind, Optional<String> entryId,
    Optional<Double> confidence, Instant seenAt) {

  /** The id only: the question is the customer's. */
  @Override
  public String toString() {
    return "Gap#" + id;
  }
}
