package kefu.ticket;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a waiting customer stands: how many wait before them, and how long they may wait, estimated from how long
 * agents took over their recent chats and how many agents are taking chats now. Runs in the caller's transaction.
 */
public final class Queue {
  /** Enough recent chats to smooth out one long one; few enough to follow the day's pace. */
  private static final int RECENT_CHATS = 20;

  /**
   * @param ahead customers waiting longer than this one
   * @param expectedWait the estimated wait, empty until agents have closed chats to estimate from
   */
  public record Position(int ahead, Optional<Duration> expectedWait) {}

  public Position position(Connection c, Ticket ticket) throws SQLException {
    int ahead;
    // Compared with the stored time, which the database may have rounded.
    try (PreparedStatement count = c.prepareStatement("SELECT COUNT(*) FROM tickets w JOIN tickets me ON me.id = ?"
        + " WHERE w.status = 'waiting' AND (w.created_at < me.created_at OR (w.created_at = me.created_at AND w.id < me.id))")) {
      count.setLong(1, ticket.id());
      ahead = one(count);
    }
    Optional<Duration> handling = recentHandling(c);
    if (handling.isEmpty()) {
      return new Position(ahead, Optional.empty());
    }
    int agents;
    try (PreparedStatement serving = c.prepareStatement("SELECT COUNT(DISTINCT agent_id) FROM tickets WHERE status = 'assigned'")) {
      agents = Math.max(1, one(serving));
    }
    // Each agent frees a place every average chat; this customer needs the places of everyone ahead, and one more.
    return new Position(ahead, Optional.of(handling.get().multipliedBy(ahead + 1).dividedBy(agents)));
  }

  /** The average time from an agent taking a chat to its close, over the latest closed chats. */
  private static Optional<Duration> recentHandling(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(
        "SELECT e.created_at AS taken, t.closed_at FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id AND e.action = 'assigned'"
            + " WHERE t.status = 'closed' AND t.closed_at IS NOT NULL ORDER BY t.closed_at DESC FETCH FIRST ? ROWS ONLY")) {
      select.setInt(1, RECENT_CHATS);
      List<Duration> durations = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          durations.add(Duration.between(rs.getObject("taken", OffsetDateTime.class), rs.getObject("closed_at", OffsetDateTime.class)));
        }
      }
      return durations.isEmpty() ? Optional.empty()
          : Optional.of(durations.stream().reduce(Duration.ZERO, Duration::plus).dividedBy(durations.size()));
    }
  }

  private static int one(PreparedStatement count) throws SQLException {
    try (ResultSet rs = count.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
