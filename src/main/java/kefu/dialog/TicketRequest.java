package kefu.dialog;

import kefu.ticket.Ticket;

/**
 * A person is needed: {@code kind} of ticket, opened for {@code reason}. The customer is told so with the template
 * {@code line}, followed by their place in the queue, once the ticket is recorded.
 */
public record TicketRequest(Ticket.Kind kind, Ticket.Reason reason, String line) {}
