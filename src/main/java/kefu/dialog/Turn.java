package kefu.dialog;

import kefu.conversation.Conversation;
import kefu.conversation.Message;
import kefu.customer.Customer;

/** A turn once {@link Bot#open} stored it: who, in which conversation, what they sent, and what the bot remembered. */
public record Turn(Customer customer, Conversation conversation, Message inbound, DialogState state) {}
