package kefu.ticket;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import kefu.store.Sql;

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
    // Compared with the stored time, which the database may have rounded.
    int ahead = Sql.count(c, "SELECT COUNT(*) FROM tickets w JOIN tickets me ON me.id = ?"
        + " WHERE w.status = ? AND (w.created_at < me.created_at OR (w.created_at = me.created_at AND w.id < me.id))",
        ticket.id(), Ticket.Status.WAITING);
    Optional<Duration> handling = recentHandling(c);
    if (handling.isEmpty()) {
      return new Position(ahead, Optional.empty());
    }
    int agents = Math.max(1, Sql.count(c, "SELECT COUNT(DISTINCT agent_id) FROM tickets WHERE status = ?", Ticket.Status.ASSIGNED));
    // Each agent frees a place every average chat; this customer needs the places of everyone ahead, and one more.
    return new Position(ahead, Optional.of(handling.get().multipliedBy(ahead + 1).dividedBy(agents)));
  }

  /** The average time from an agent taking a chat to its close, over the latest closed chats. */
  private static Optional<Duration> recentHandling(Connection c) throws SQLException {
    // The event's action is the status the ticket moved to.
    List<Duration> durations = Sql.list(c,
        "SELECT e.created_at AS taken, t.closed_at FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id AND e.action = ?"
            + " WHERE t.status = ? AND t.closed_at IS NOT NULL ORDER BY t.closed_at DESC FETCH FIRST ? ROWS ONLY",
        row -> Duration.between(row.instant("taken"), row.instant("closed_at")),
        Ticket.Status.ASSIGNED, Ticket.Status.CLOSED, RECENT_CHATS);
    return durations.isEmpty() ? Optional.empty()
        : Optional.of(durations.stream().reduce(Duration.ZERO, Duration::plus).dividedBy(durations.size()));
  }
}
