package kefu.gaps;

/** What showed that the knowledge base did not answer a question well. */
public enum GapKind {
  /** The bot found nothing to answer or suggest. */
  FALLBACK,
  /** The customer's next message did not pick one of the questions suggested. */
  IGNORED,
  /** The customer asked for a person (or complained) right after the answer. */
  HANDOFF,
  /** The customer asked the same question again right after the answer. */
  AGAIN,
  /** An agent sent a knowledge-base answer from answer assist as it was: the bot could have. */
  ASSIST_USED,
  /** An agent sent a knowledge-base answer from answer assist after changing it. */
  ASSIST_CHANGED
}
