package kefu.dialog;

import java.util.Optional;
import kefu.conversation.Conversation;
import kefu.conversation.Message;
import kefu.customer.Customer;
import kefu.ticket.Ticket;

/**
 * A turn once {@link Bot#open} stored it: who, in which conversation, what they sent, and what the bot remembered.
 *
 * @param queued the kind of ticket with which the customer waits in the queue for a person; looked up only for a
 *     message that would leave it (取消), so empty says nothing about other messages
 */
public record Turn(Customer customer, Conversation conversation, Message inbound, DialogState state,
    Optional<Ticket.Kind> queued) {}
