package kefu.dialog;

import java.util.List;
import java.util.Optional;
import kefu.rating.Rating;
import kefu.ticket.Ticket;

/**
 * What the bot does in a turn: the replies, what it remembers afterwards, and any ticket, rating or ticket action
 * the turn records.
 *
 * @param action what the customer did to their ticket, if anything
 */
public record Decision(List<Reply> replies, DialogState state, Optional<TicketRequest> ticket, Optional<Rating> rating,
    Optional<TicketAction> action) {

  public Decision {
    replies = List.copyOf(replies);
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
