package kefu.desk;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import kefu.store.Sql;

/**
 * Agents' console sessions in the database, so every node knows them: opened at login, ended at logout or after
 * the idle timeout. The cookie carries a random token; only its hash is stored.
 */
public final class AgentSessions {
  /** Last-seen times are written at most this often, not on every request. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Duration idleTimeout;

  /** A live session: whose it is, and the token its forms must carry. */
  public record Session(Agent agent, String csrfToken) {}

  /** A session just opened: the cookie's token and the session. */
  public record Opened(String token, Session session) {}

  public AgentSessions(Duration idleTimeout) {
    this.idleTimeout = idleTimeout;
  }

  public Opened open(Connection c, Agent agent, Instant now) throws SQLException {
    String token = randomToken();
    String csrf = randomToken();
    Sql.update(c, "INSERT INTO agent_sessions (token_hash, agent_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
        hash(token), agent.id(), csrf, now, now);
    return new Opened(token, new Session(agent, csrf));
  }

  /** A stored session and when it was last used. */
  private record Stored(Session session, Instant lastSeen) {}

  /** The live session of {@code token}; an idle one is ended, and a session of an agent no longer active too. */
  public Optional<Session> find(Connection c, String token, Instant now) throws SQLException {
    String key = hash(token);
    Optional<Stored> stored = Sql.one(c, "SELECT s.csrf_token, s.last_seen_at, a.id, a.login, a.name, a.role, a.active, a.presence"
        + " FROM agent_sessions s JOIN agents a ON a.id = s.agent_id WHERE s.token_hash = ?",
        row -> new Stored(new Session(AgentRepository.read(row), row.string("csrf_token")), row.instant("last_seen_at")), key);
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    Instant lastSeen = stored.get().lastSeen();
    if (!stored.get().session().agent().active() || lastSeen.plus(idleTimeout).isBefore(now)) {
      end(c, key);
      return Optional.empty();
    }
    if (lastSeen.plus(TOUCH_EVERY).isBefore(now)) {
      Sql.update(c, "UPDATE agent_sessions SET last_seen_at = ? WHERE token_hash = ?", now, key);
    }
    return Optional.of(stored.get().session());
  }

  /** Deletes the sessions idle longer than the timeout; how many. */
  public int purge(Connection c, Instant now) throws SQLException {
    return Sql.update(c, "DELETE FROM agent_sessions WHERE last_seen_at < ?", now.minus(idleTimeout));
  }

  /** Ends the session of {@code token}, if there is one. */
  public void close(Connection c, String token) throws SQLException {
    end(c, hash(token));
  }

  private static void end(Connection c, String key) throws SQLException {
    Sql.update(c, "DELETE FROM agent_sessions WHERE token_hash = ?", key);
  }

  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String hash(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java", e);
    }
  }
}
