package kefu.survey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Where a return visit's feedback goes when it needs a person (a low score, a flagged comment): the desk's complaint
 * tickets, answered within one working day and reported to the manager after two (001). Wired in App.
 */
public interface SurveyComplaints {

  /** Opens a complaint ticket for the customer, recording {@code told} as the complaint, in the caller's transaction; its id. */
  long open(Connection c, long customerId, String told, Instant now) throws SQLException;

  /** Once the transaction that opened one has committed: the consoles hear of it. */
  void opened();
}
