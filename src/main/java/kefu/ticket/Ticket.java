package kefu.ticket;

import java.time.Instant;
import java.util.Optional;

/**
 * A customer's request for a person, from the moment the bot hands over until it is closed.
 *
 * @param kind a plain handoff or a complaint
 * @param reason what started it: the customer asked, the bot could not answer, an entry that always goes to a
 *     person, a complaint, or a message the bot cannot read; a complaint while it is open replaces the reason
 * @param agentId the agent who has it now, once assigned
 */
public record Ticket(long id, long customerId, long conversationId, Kind kind, Reason reason, Status status, Instant createdAt,
    Optional<Long> agentId) {

  public enum Kind { HANDOFF, COMPLAINT }

  public enum Reason { ASKED, FALLBACK, ENTRY, COMPLAINT, MEDIA }

  public enum Status { WAITING, ASSIGNED, RESOLVED, CLOSED }
}
