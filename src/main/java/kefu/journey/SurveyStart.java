package kefu.journey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * How a survey step that may go as a customer-service message is asked in the chat, and ended when WeChat refuses it:
 * the surveys' side, wired in App.
 */
public interface SurveyStart {

  /**
   * Starts asking {@code survey} of the customer after the step's message, which the caller queued, in the caller's
   * transaction: what it says is queued to the channel and sent once committed ({@link Sender#wake}). Returns the first
   * question's message, which goes as a customer-service message only: WeChat's refusal of it comes back to
   * {@link StepRefusals} as the step's own message's does (empty if nothing was queued).
   */
  Optional<Long> start(Connection c, long recordId, long stepId, long customerId, String survey, Instant now) throws SQLException;

  /**
   * WeChat refused the step's message or the first question: the survey asked in the chat for step {@code stepId}
   * ends undelivered (the step goes its next way), in the caller's transaction.
   */
  void undelivered(Connection c, long stepId, Instant now) throws SQLException;
}
