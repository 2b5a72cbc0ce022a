package kefu.survey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import kefu.dialog.Reply;

/** How a survey's first lines reach the customer outside a turn: the WeChat channel's outbox, wired in App. */
public interface SurveyChannel {

  /**
   * Keeps {@code reply} in the customer's conversation and queues it as a customer-service message only, in the caller's
   * transaction; it goes once committed. Returns the message's id.
   */
  long queue(Connection c, long customerId, Reply reply, Instant now) throws SQLException;
}
