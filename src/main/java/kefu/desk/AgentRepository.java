package kefu.desk;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import kefu.store.Database;

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
    try (PreparedStatement insert = c.prepareStatement(
        "INSERT INTO agents (login, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
        Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, login);
      insert.setString(2, name);
      insert.setString(3, role.key());
      insert.setString(4, passwordHash);
      insert.setObject(5, Database.timestamp(now));
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return Optional.of(new Agent(keys.getLong(1), login, name, role, true, Agent.Presence.OFFLINE));
      }
    }
  }

  /**
   * Adds {@code login} as an admin if the desk has no user yet; empty if it has one. Holds the setup lock until the
   * caller's transaction ends, so that of two callers racing (two posts, two nodes) the second finds the first's
   * admin.
   */
  public Optional<Agent> addFirstAdmin(Connection c, String login, String name, String passwordHash, Instant now)
      throws SQLException {
    try (PreparedStatement lock = c.prepareStatement("SELECT id FROM desk_setup_lock WHERE id = 1 FOR UPDATE");
        ResultSet rs = lock.executeQuery()) {
      rs.next();
    }
    return none(c) ? add(c, login, name, Agent.Role.ADMIN, passwordHash, now) : Optional.empty();
  }

  /** Whether the desk has no user at all, stopped ones included: a first run, before the first admin is made. */
  public boolean none(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT COUNT(*) FROM agents"); ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getLong(1) == 0;
    }
  }

  public Optional<Credentials> byLogin(Connection c, String login) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + ", password_hash FROM agents WHERE login = ?")) {
      select.setString(1, login);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(new Credentials(read(rs), rs.getString("password_hash"))) : Optional.empty();
      }
    }
  }

  /** Everyone, admins first, then by name. */
  public List<Agent> all(Connection c) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM agents ORDER BY role, name");
        ResultSet rs = select.executeQuery()) {
      List<Agent> agents = new ArrayList<>();
      while (rs.next()) {
        agents.add(read(rs));
      }
      return agents;
    }
  }

  /** Active agents who are online and have used the console since {@code seenSince}, by id. */
  public List<Agent> available(Connection c, Instant seenSince) throws SQLException {
    try (PreparedStatement select = c.prepareStatement("SELECT " + COLUMNS + " FROM agents a WHERE active AND presence = 'online'"
        + " AND EXISTS (SELECT 1 FROM agent_sessions s WHERE s.agent_id = a.id AND s.last_seen_at > ?) ORDER BY id")) {
      select.setObject(1, Database.timestamp(seenSince));
      try (ResultSet rs = select.executeQuery()) {
        List<Agent> agents = new ArrayList<>();
        while (rs.next()) {
          agents.add(read(rs));
        }
        return agents;
      }
    }
  }

  static Agent read(ResultSet rs) throws SQLException {
    return new Agent(rs.getLong("id"), rs.getString("login"), rs.getString("name"), Agent.Role.of(rs.getString("role")),
        rs.getBoolean("active"), Agent.Presence.of(rs.getString("presence")));
  }

  /** Lets the agent log in again, or stops them: a stopped agent's sessions end and they take no chats. */
  public void setActive(Connection c, long agentId, boolean active) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE agents SET active = ?, presence = 'offline' WHERE id = ?")) {
      update.setBoolean(1, active);
      update.setLong(2, agentId);
      update.executeUpdate();
    }
  }

  /** Sets whether the agent takes chats now. */
  public void setPresence(Connection c, long agentId, Agent.Presence presence) throws SQLException {
    try (PreparedStatement update = c.prepareStatement("UPDATE agents SET presence = ? WHERE id = ?")) {
      update.setString(1, presence.key());
      update.setLong(2, agentId);
      update.executeUpdate();
    }
  }
}
