package kefu.dialog;

import kefu.conversation.Message;

/** A reply of the bot's as stored in the conversation. */
public record Said(Message message, Reply reply) {}
