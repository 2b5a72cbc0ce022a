package kefu.journey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/** How a survey step that may go as a customer-service message is asked in the chat: the surveys' side, wired in App. */
public interface SurveyStart {

  /**
   * Starts asking {@code survey} of the customer after the step's message, which the caller queued, in the caller's
   * transaction: what it says is queued to the channel and sent once committed ({@link Sender#wake}).
   */
  void start(Connection c, long recordId, long stepId, long customerId, String survey, Instant now) throws SQLException;
}
