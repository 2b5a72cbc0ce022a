package kefu.dialog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.conversation.Message;

/** A bot that hands every step to another: extend it and override the steps to add to. */
public abstract class ForwardingBot implements Bot {
  private final Bot bot;

  protected ForwardingBot(Bot bot) {
    this.bot = bot;
  }

  @Override
  public Turn open(Connection c, Inbound in) throws SQLException {
    return bot.open(c, in);
  }

  @Override
  public Optional<Turn> resume(Connection c, Message inbound) throws SQLException {
    return bot.resume(c, inbound);
  }

  @Override
  public Optional<Decision> decideAtOnce(Turn turn, Inbound in) {
    return bot.decideAtOnce(turn, in);
  }

  @Override
  public Decision decide(Turn turn, Inbound in) {
    return bot.decide(turn, in);
  }

  @Override
  public List<Said> record(Connection c, Turn turn, Decision decision, Instant now) throws SQLException {
    return bot.record(c, turn, decision, now);
  }

  @Override
  public void recorded(Turn turn, Decision decision) {
    bot.recorded(turn, decision);
  }
}
