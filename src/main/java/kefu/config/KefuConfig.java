package kefu.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The whole configuration of a kefu node, typed and validated; built by {@link ConfigLoader}.
 *
 * @param mode development or production
 * @param nodeId this node's name in logs and in Redis
 * @param http the HTTP server
 * @param paths where data, the knowledge base and the templates live
 * @param db the SQL store
 * @param redis the shared coordination store; empty on a single node
 * @param kb how the knowledge base is matched
 */
public record KefuConfig(Mode mode, String nodeId, Http http, Paths paths, Db db, Optional<Redis> redis, Kb kb) {

  /** How strict start-up is about secrets. */
  public enum Mode { DEVELOPMENT, PRODUCTION }

  /** The HTTP server. */
  public record Http(String host, int port, long bodyLimitBytes, Duration shutdownTimeout) {}

  /** Directories, absolute. */
  public record Paths(Path dataDir, Path kbDir, Path templatesDir) {}

  /**
   * How the knowledge base is matched.
   *
   * @param vectors whether sentence vectors are used (off: words only)
   * @param answerThreshold the confidence to answer outright; empty: the one fitted with the model
   * @param suggestThreshold the confidence to suggest the closest questions; empty: the fitted one
   */
  public record Kb(boolean vectors, OptionalDouble answerThreshold, OptionalDouble suggestThreshold) {}

  /** The SQL store; {@link #toString()} hides the password. */
  public record Db(String url, String user, String password, int poolSize) {
    /** Whether this is the embedded H2 database rather than a server. */
    public boolean embedded() {
      return url.startsWith("jdbc:h2:");
    }

    @Override
    public String toString() {
      return "Db[" + (embedded() ? url : url.replaceAll("\\?.*", "?…")) + ", user=" + user + ", pool=" + poolSize + "]";
    }
  }

  /** The Redis server; the URL carries the password, and {@link #toString()} hides it. */
  public record Redis(URI url, String prefix) {
    @Override
    public String toString() {
      return "Redis[" + url.getHost() + ":" + url.getPort() + ", prefix=" + prefix + "]";
    }
  }
}
