package kefu.ticket;

import java.time.Instant;

/**
 * A question put to a customer about their ticket, whose answer is their next message: a rating of the chat that
 * ended, or whether to keep waiting after a long wait.
 *
 * @param at when it was asked
 */
public record TicketPrompt(Kind kind, long ticketId, Instant at) {

  public enum Kind {
    /** Rate the chat: the 1.1 … 0.7 scale. */
    RATING,
    /** 1 keep waiting, 2 be called back. */
    WAIT_CHOICE
  }
}
