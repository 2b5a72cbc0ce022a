package kefu.desk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.store.Row;
import kefu.store.Sql;

/** Adds and reads agents; every method runs inside the caller's transaction. */
public final class AgentRepository {
  private static final String COLUMNS = "id, login, name, role, active, presence";

  /** An agent and their password hash, as a login needs them. */
  public record Credentials(Agent agent, String passwordHash) {}

  /** Adds an agent; empty if the login is taken. */
  public Optional<Agent> add(Connection c, String login, String name, Agent.Role role, String passwordHash, Instant now)
      throws SQLException {
    if (byLogin(c, login).isPresent()) {
      return Optional.empty();
    }
    long id = Sql.insert(c, "INSERT INTO agents (login, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
        login, name, role, passwordHash, now);
    return Optional.of(new Agent(id, login, name, role, true, Agent.Presence.OFFLINE));
  }

  /**
   * Adds {@code login} as an admin if the desk has no user yet; empty if it has one. Holds the setup lock until the
   * caller's transaction ends, so that of two callers racing (two posts, two nodes) the second finds the first's
   * admin.
   */
  public Optional<Agent> addFirstAdmin(Connection c, String login, String name, String passwordHash, Instant now)
      throws SQLException {
    Sql.one(c, "SELECT id FROM desk_setup_lock WHERE id = 1 FOR UPDATE", row -> row.longValue("id"));
    return none(c) ? add(c, login, name, Agent.Role.ADMIN, passwordHash, now) : Optional.empty();
  }

  /** Whether the desk has no user at all, stopped ones included: a first run, before the first admin is made. */
  public boolean none(Connection c) throws SQLException {
    return Sql.count(c, "SELECT COUNT(*) FROM agents") == 0;
  }

  public Optional<Credentials> byLogin(Connection c, String login) throws SQLException {
    return Sql.one(c, "SELECT " + COLUMNS + ", password_hash FROM agents WHERE login = ?",
        row -> new Credentials(read(row), row.string("password_hash")), login);
  }

  /** Everyone, admins first, then by name. */
  public List<Agent> all(Connection c) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM agents ORDER BY role, name", AgentRepository::read);
  }

  /** Active agents who are online and have used the console since {@code seenSince}, by id; marketing takes no chats. */
  public List<Agent> available(Connection c, Instant seenSince) throws SQLException {
    return Sql.list(c, "SELECT " + COLUMNS + " FROM agents a WHERE active AND presence = ? AND role <> 'marketing'"
        + " AND EXISTS (SELECT 1 FROM agent_sessions s WHERE s.agent_id = a.id AND s.last_seen_at > ?) ORDER BY id",
        AgentRepository::read, Agent.Presence.ONLINE, seenSince);
  }

  static Agent read(Row row) throws SQLException {
    return new Agent(row.longValue("id"), row.string("login"), row.string("name"), row.enumOf(Agent.Role.class, "role"),
        row.bool("active"), row.enumOf(Agent.Presence.class, "presence"));
  }

  /** Lets the agent log in again, or stops them: a stopped agent's sessions end and they take no chats. */
  public void setActive(Connection c, long agentId, boolean active) throws SQLException {
    Sql.update(c, "UPDATE agents SET active = ?, presence = ? WHERE id = ?", active, Agent.Presence.OFFLINE, agentId);
  }

  /** Sets whether the agent takes chats now. */
  public void setPresence(Connection c, long agentId, Agent.Presence presence) throws SQLException {
    Sql.update(c, "UPDATE agents SET presence = ? WHERE id = ?", presence, agentId);
  }
}
