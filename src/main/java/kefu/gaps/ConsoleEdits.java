package kefu.gaps;

import io.vertx.core.Vertx;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Supplier;
import kefu.kb.FaqEngine;
import kefu.kb.KbEdit;
import kefu.store.Coordination;
import kefu.store.CoordinationException;
import kefu.store.Database;
import kefu.store.StoreException;
import kefu.store.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the knowledge-base edits made in the console to every node: the engine reads them from the database at each
 * build, and each node rebuilds when one is made — told through the coordination layer at once, and, should that
 * message be lost (Redis away), finding the new edit itself within a minute.
 */
public final class ConsoleEdits implements Supplier<List<KbEdit>>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConsoleEdits.class);
  static final String CHANNEL = "kb-edits";
  private static final long POLL_MILLIS = 60_000;

  private final Database database;
  private final KbEdits edits = new KbEdits();
  private Vertx vertx;
  private Coordination coordination;
  private FaqEngine engine;
  private long timer = -1;
  private volatile Subscription subscription;
  private volatile long seen;
  private volatile boolean closed;

  public ConsoleEdits(Database database) {
    this.database = database;
  }

  /**
   * The edits in order, for a build. Blocks.
   *
   * @throws StoreException if the database cannot be read: the build is not made and the index in service stays
   */
  @Override
  public List<KbEdit> get() {
    try {
      return database.inTransaction(edits::all);
    } catch (SQLException e) {
      throw new StoreException("cannot read the console's knowledge-base edits", e);
    }
  }

  /** Starts listening for edits made on any node, and looking for them once a minute. Does not block. */
  public void start(Vertx vertx, Coordination coordination, FaqEngine engine) {
    this.vertx = vertx;
    this.coordination = coordination;
    this.engine = engine;
    vertx.executeBlocking(() -> {
      seen = database.inTransaction(edits::latest);
      subscribe();
      return null;
    }, false).onFailure(e -> log.warn("Knowledge base: cannot look for console edits yet: {}", e.getMessage()));
    timer = vertx.setPeriodic(POLL_MILLIS, tick -> vertx.executeBlocking(this::poll, false)
        .onFailure(e -> log.warn("Knowledge base: cannot look for console edits: {}", e.getMessage())));
  }

  private Void poll() throws SQLException {
    if (subscription == null) {
      subscribe();
    }
    long latest = database.inTransaction(edits::latest);
    if (latest != seen) {
      seen = latest;
      engine.rebuild();
    }
    return null;
  }

  private void subscribe() {
    try {
      Subscription made = coordination.subscribe(CHANNEL, message -> engine.rebuild());
      if (closed) {
        made.close();
      } else {
        subscription = made;
      }
    } catch (CoordinationException e) {
      log.warn("Knowledge base: other nodes' console edits arrive within a minute, not at once: {}", e.getMessage());
    }
  }

  /** After an edit committed: every node, this one included, builds anew. Blocks: call it on a worker. */
  public void made(KbEdit edit) {
    seen = Math.max(seen, edit.id());
    engine.rebuild();
    try {
      coordination.publish(CHANNEL, Long.toString(edit.id()));
    } catch (CoordinationException e) {
      log.warn("Knowledge base: other nodes find console edit {} within a minute: {}", edit.id(), e.getMessage());
    }
  }

  @Override
  public void close() {
    closed = true;
    if (vertx != null) {
      vertx.cancelTimer(timer);
    }
    Subscription made = subscription;
    if (made != null) {
      made.close();
    }
  }
}
