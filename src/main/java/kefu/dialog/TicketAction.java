package kefu.dialog;

/** What a customer does to their ticket by a message. */
public enum TicketAction {
  /** Ends the chat with the agent (结束). */
  END_CHAT,
  /** Keeps waiting after the apology for a long wait. */
  KEEP_WAITING,
  /** Would rather be called back than wait. */
  CALL_BACK,
  /** No longer wants a person: leaves the queue (取消). */
  LEAVE_QUEUE
}
