package kefu.dialog;

import java.util.List;
import java.util.Optional;
import kefu.kb.Match;
import kefu.rating.Rating;
import kefu.ticket.Ticket;

/**
 * What the bot does in a turn: the replies, what it remembers afterwards, and any ticket, rating or ticket action
 * the turn records.
 *
 * @param action what the customer did to their ticket, if anything
 * @param searched what the knowledge base found, when the decision searched it
 * @param picked the entry the customer picked from the choices offered, when they picked one
 */
public record Decision(List<Reply> replies, DialogState state, Optional<TicketRequest> ticket, Optional<Rating> rating,
    Optional<TicketAction> action, Optional<Match> searched, Optional<String> picked) {

  public Decision {
    replies = List.copyOf(replies);
  }

  /** A decision that did not search the knowledge base and picked no choice. */
  public Decision(List<Reply> replies, DialogState state, Optional<TicketRequest> ticket, Optional<Rating> rating,
      Optional<TicketAction> action) {
    this(replies, state, ticket, rating, action, Optional.empty(), Optional.empty());
  }

  /** This decision, taken on what the knowledge base found for the customer's text: recorded for the bot's figures. */
  Decision searched(Match match) {
    return new Decision(replies, state, ticket, rating, action, Optional.of(match), picked);
  }

  /** This decision, the answer of {@code entryId}, which the customer picked from the choices offered. */
  Decision picked(String entryId) {
    return new Decision(replies, state, ticket, rating, action, searched, Optional.of(entryId));
  }

  /** Replies only, remembering {@code state}. */
  public static Decision say(DialogState state, Reply... replies) {
    return new Decision(List.of(replies), state, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** After {@code replies}, the customer is handed to a person and told so with the {@code line} template. */
  static Decision handOver(List<Reply> replies, String line, Ticket.Kind kind, Ticket.Reason reason) {
    return new Decision(replies, DialogState.FRESH, Optional.of(new TicketRequest(kind, reason, line)), Optional.empty(),
        Optional.empty());
  }
}
