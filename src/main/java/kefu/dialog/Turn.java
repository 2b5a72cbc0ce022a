package kefu.dialog;

import kefu.conversation.Conversation;
import kefu.conversation.Message;
import kefu.customer.Customer;

/**
 * A turn once {@link Bot#open} stored it: who, in which conversation, what they sent, and what the bot remembered.
 *
 * @param queued the customer waits in the queue for a person; looked up only for a message that would leave it (取消),
 *     so false says nothing about other messages
 */
public record Turn(Customer customer, Conversation conversation, Message inbound, DialogState state, boolean queued) {}
