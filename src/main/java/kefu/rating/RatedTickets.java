package kefu.rating;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.store.Sql;

/**
 * Ratings where people look for them: a ticket's own, an agent's scores and latest ratings (a transferred chat's
 * rating counts for every agent who served it), and the closed tickets with their ratings, filtered. Every method
 * runs inside the caller's transaction.
 */
public final class RatedTickets {

  /** A ticket's rating and when it was given; a ticket rated twice shows the latest. */
  public record Given(Rating rating, Instant at) {}

  /** The rating of {@code ticketId}, if the customer gave one. */
  public Optional<Given> ofTicket(Connection c, long ticketId) throws SQLException {
    return Sql.one(c, "SELECT level, created_at FROM ratings WHERE ticket_id = ? ORDER BY created_at DESC, id DESC"
        + " FETCH FIRST 1 ROWS ONLY", row -> new Given(Rating.ofLevel(row.integer("level")), row.instant("created_at")), ticketId);
  }

  /** How many ratings and their mean to three places ("" with none). */
  public record Scores(int count, String mean) {}

  /** The ratings of the tickets {@code agentId} served given in [{@code from}, {@code to}). */
  public Scores scores(Connection c, long agentId, Instant from, Instant to) throws SQLException {
    int[] count = {0};
    BigDecimal[] sum = {BigDecimal.ZERO};
    Sql.each(c, "SELECT r.level, COUNT(*) AS n FROM ratings r JOIN ticket_agents s ON s.ticket_id = r.ticket_id"
        + " WHERE s.agent_id = ? AND r.created_at >= ? AND r.created_at < ? GROUP BY r.level", row -> {
          count[0] += row.integer("n");
          sum[0] = sum[0].add(Rating.ofLevel(row.integer("level")).score().multiply(BigDecimal.valueOf(row.integer("n"))));
        }, agentId, from, to);
    return new Scores(count[0], count[0] == 0 ? "" : sum[0].divide(BigDecimal.valueOf(count[0]), 3, RoundingMode.HALF_UP).toPlainString());
  }

  /** A rated or closed ticket as the lists show it: its rating if any, every agent who served it, in order. */
  public record Row(long ticketId, String kind, Optional<Instant> closedAt, Optional<Given> given, List<String> agents) {}

  /** The {@code limit} latest ratings of the tickets {@code agentId} served, newest first. */
  public List<Row> latestOf(Connection c, long agentId, int limit) throws SQLException {
    return withAgents(c, Sql.list(c, "SELECT t.id, t.kind, t.closed_at, r.level, r.created_at AS rated_at FROM ratings r"
        + " JOIN tickets t ON t.id = r.ticket_id JOIN ticket_agents s ON s.ticket_id = t.id WHERE s.agent_id = ?"
        + " ORDER BY r.created_at DESC, r.id DESC FETCH FIRST " + limit + " ROWS ONLY", RatedTickets::row, agentId));
  }

  /**
   * What a supervisor filters the closed tickets by: an agent who served them, the rating's level (then unrated
   * tickets are left out), the days they were closed in [{@code from}, {@code to}); empty: any.
   */
  public record Filter(Optional<Long> agentId, Optional<Integer> level, Optional<Instant> from, Optional<Instant> to) {}

  /** The closed tickets {@code filter} lets through, latest closed first: {@code limit} of them from {@code offset}. */
  public List<Row> closed(Connection c, Filter filter, int offset, int limit) throws SQLException {
    StringBuilder sql = new StringBuilder("SELECT t.id, t.kind, t.closed_at, r.level, r.created_at AS rated_at FROM tickets t"
        + " LEFT JOIN ratings r ON r.id = (SELECT MAX(q.id) FROM ratings q WHERE q.ticket_id = t.id) WHERE t.status = 'closed'");
    List<Object> params = new ArrayList<>();
    filter.agentId().ifPresent(id -> {
      sql.append(" AND EXISTS (SELECT 1 FROM ticket_agents s WHERE s.ticket_id = t.id AND s.agent_id = ?)");
      params.add(id);
    });
    filter.level().ifPresent(level -> {
      sql.append(" AND r.level = ?");
      params.add(level);
    });
    filter.from().ifPresent(from -> {
      sql.append(" AND t.closed_at >= ?");
      params.add(from);
    });
    filter.to().ifPresent(to -> {
      sql.append(" AND t.closed_at < ?");
      params.add(to);
    });
    sql.append(" ORDER BY t.closed_at DESC, t.id DESC OFFSET ").append(offset).append(" ROWS FETCH FIRST ").append(limit).append(" ROWS ONLY");
    return withAgents(c, Sql.list(c, sql.toString(), RatedTickets::row, params.toArray()));
  }

  private static Row row(kefu.store.Row row) throws SQLException {
    Optional<Long> level = row.optionalLong("level");
    Optional<Given> given = level.isEmpty() ? Optional.empty()
        : Optional.of(new Given(Rating.ofLevel(level.get().intValue()), row.instant("rated_at")));
    return new Row(row.longValue("id"), row.string("kind"), row.optionalInstant("closed_at"), given, List.of());
  }

  /** The rows with the agents who served each, read for the page's tickets in one query. */
  private static List<Row> withAgents(Connection c, List<Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return rows;
    }
    Map<Long, List<String>> agents = new HashMap<>();
    Sql.each(c, "SELECT s.ticket_id, a.name FROM ticket_agents s JOIN agents a ON a.id = s.agent_id WHERE s.ticket_id IN ("
        + Sql.placeholders(rows.size()) + ") ORDER BY s.joined_at, s.agent_id",
        row -> agents.computeIfAbsent(row.longValue("ticket_id"), id -> new ArrayList<>()).add(row.string("name")),
        rows.stream().map(Row::ticketId).toArray());
    Map<Long, Row> byId = new LinkedHashMap<>();
    rows.forEach(r -> byId.put(r.ticketId(), new Row(r.ticketId(), r.kind(), r.closedAt(), r.given(),
        List.copyOf(agents.getOrDefault(r.ticketId(), List.of())))));
    return List.copyOf(byId.values());
  }
}
