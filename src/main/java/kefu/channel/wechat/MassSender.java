package kefu.channel.wechat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import kefu.config.KefuConfig;
import kefu.conversation.Article;
import kefu.conversation.Broadcasts;
import kefu.store.Coordination;
import kefu.store.Database;
import kefu.store.RateLimit;
import kefu.store.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the queued mass messages through WeChat's API, each claimed by one node (committed before the call), within
 * the API's calls a minute over all nodes: a list by mass/send, a single follower by a temporary tag (a list needs two
 * openids) and sendall to it, the tag deleted once WeChat reports the job; an article uploaded first (its cover as the
 * thumb, then the article), its media_id kept for the send's retries. Records the job's result
 * ({@code MASSSENDJOBFINISH}), also of sends made outside kefu.
 *
 * <p>Each send carries its own {@code clientmsgid}, with which WeChat refuses a second send for 24 hours: a send whose
 * call got no answer, or whose node stopped mid-call, is sent again with it, and goes once.
 */
final class MassSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MassSender.class);
  /** The event WeChat reports a mass message's result with. */
  static final String JOB_FINISHED = "event:masssendjobfinish";
  static final Duration TICK = Duration.ofSeconds(30);
  /** Far longer than a send's few calls take: a claim older than this was left by a node that stopped. */
  static final Duration CLAIM_LEASE = Duration.ofMinutes(5);
  /** How long WeChat keeps a clientmsgid: after it, a send of unknown outcome is not sent again. */
  static final Duration CLIENT_MSG_ID_KEPT = Duration.ofHours(24);
  /** When no call token is left, the next try. */
  private static final Duration NO_TOKEN_WAIT = Duration.ofSeconds(2);
  private static final int MOST_ATTEMPTS = 5;
  /** 45065: a send with this clientmsgid exists already, so this one was carried out before. */
  private static final int ALREADY_SENT = 45065;

  private final Vertx vertx;
  private final Database database;
  private final Coordination coordination;
  private final RateLimit limit;
  private final String nodeId;
  private final Path templatesDir;
  private final boolean postgres;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private volatile MassApi api;
  private long timer = -1;

  MassSender(Vertx vertx, Database database, Coordination coordination, KefuConfig config, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.coordination = coordination;
    this.limit = new RateLimit(config.wechat().quotas().massCallsPerMinute(), Duration.ofMinutes(1));
    this.nodeId = config.nodeId();
    this.templatesDir = config.paths().templatesDir();
    this.postgres = !config.db().embedded();
    this.clock = clock;
  }

  /** Takes back this node's claims of before its last stop, then sends every {@link #TICK} and when woken. */
  void start(MassApi started) {
    this.api = started;
    try {
      database.inTransaction(c -> Sql.update(c, "UPDATE mass_sends SET status = 'pending', claimed_by = NULL, claim_token = NULL"
          + " WHERE status = 'sending' AND claimed_by = ?", nodeId));
    } catch (SQLException e) {
      log.warn("Mass messages: this node's unfinished sends could not be taken back now ({}); they return after the lease", e.getMessage());
    }
    timer = vertx.setPeriodic(TICK.toMillis(), id -> wake());
  }

  /** Sends what is due, on a worker thread; a wake during a run makes another run. */
  void wake() {
    if (api == null) {
      return;
    }
    again.set(true);
    if (!running.compareAndSet(false, true)) {
      return;
    }
    again.set(false);
    vertx.executeBlocking(() -> run(clock.instant()), false)
        .onFailure(e -> log.warn("Mass messages: this run failed ({}); tried again in {} s", e.toString(), TICK.toSeconds()))
        .onComplete(done -> {
          running.set(false);
          if (done.succeeded() && !done.result()) {
            vertx.setTimer(NO_TOKEN_WAIT.toMillis(), t -> wake());
          } else if (again.get()) {
            wake();
          }
        });
  }

  /** A send claimed by this node. */
  private record Claimed(long id, String token, String target, String text, Optional<String> article, Optional<String> mediaId,
      String clientMsgId, Optional<Long> tagId, Instant createdAt, int attempts) {}

  /** Sends every due mass message and deletes finished sends' tags; false if it stopped for want of call tokens. */
  boolean run(Instant now) throws SQLException {
    database.inTransaction(c -> Sql.update(c, "UPDATE mass_sends SET status = 'pending', claimed_by = NULL, claim_token = NULL"
        + " WHERE status = 'sending' AND claimed_at < ?", now.minus(CLAIM_LEASE)));
    Optional<Claimed> next;
    while ((next = claim(now)).isPresent()) {
      if (!send(next.get(), now)) {
        return false;
      }
    }
    return deleteTags(now);
  }

  private Optional<Claimed> claim(Instant now) throws SQLException {
    String token = UUID.randomUUID().toString();
    return database.inTransaction(c -> {
      Optional<Long> id = Sql.one(c, "SELECT id FROM mass_sends WHERE status = 'pending' ORDER BY id FETCH FIRST 1 ROWS ONLY"
          + (postgres ? " FOR UPDATE SKIP LOCKED" : ""), row -> row.longValue("id"));
      if (id.isEmpty() || Sql.update(c, "UPDATE mass_sends SET status = 'sending', claimed_by = ?, claim_token = ?, claimed_at = ?,"
          + " attempts = attempts + 1 WHERE id = ? AND status = 'pending'", nodeId, token, now, id.get()) == 0) {
        return Optional.empty();
      }
      return Sql.one(c, "SELECT id, target, text, article, media_id, clientmsgid, tag_id, created_at, attempts FROM mass_sends WHERE id = ?",
          row -> new Claimed(row.longValue("id"), token, row.string("target"), row.string("text"), row.optionalString("article"),
              row.optionalString("media_id"), row.string("clientmsgid"), row.optionalLong("tag_id"), row.instant("created_at"),
              row.integer("attempts")), id.get());
    });
  }

  /** One send: its calls, then its outcome recorded; false (the send back to pending) if no call token was left. */
  private boolean send(Claimed send, Instant now) throws SQLException {
    List<String> openids = database.inTransaction(c -> Sql.list(c, "SELECT u.openid FROM mass_recipients r JOIN customers u ON u.id = r.customer_id"
        + " WHERE r.mass_send_id = ? ORDER BY u.id", row -> row.string("openid"), send.id()));
    try {
      MassApi.Content content = send.article().isEmpty() ? MassApi.Content.text(send.text()) : MassApi.Content.article(upload(send));
      String msgId;
      if (send.target().equals("tag")) {
        long tag = send.tagId().isPresent() ? send.tagId().get() : createTag(send);
        for (int from = 0; from < openids.size(); from += MassApi.MOST_TAGGED) {
          List<String> part = openids.subList(from, Math.min(openids.size(), from + MassApi.MOST_TAGGED));
          run(() -> api.tag(tag, part));
        }
        msgId = call(() -> api.massToTag(tag, content, send.clientMsgId()));
      } else {
        msgId = call(() -> api.massToList(openids, content, send.clientMsgId()));
      }
      finish(send, "sent", Optional.ofNullable(msgId), Optional.empty(), Optional.empty(), now);
      log.info("Mass message #{} sent to {} followers", send.id(), openids.size());
    } catch (NoToken e) {
      back(send);
      return false;
    } catch (WechatApiException e) {
      failed(send, e, now);
    }
    return true;
  }

  /** The send's article uploaded (its cover as the thumb, then the article), or its media_id of an earlier try. */
  private String upload(Claimed send) throws WechatApiException, NoToken, SQLException {
    if (send.mediaId().isPresent()) {
      return send.mediaId().get();
    }
    Article article = MassArticles.read(send.article().get());
    String thumb = call(() -> api.uploadThumb(templatesDir.resolve(article.cover())));
    String mediaId = call(() -> api.uploadArticle(article, thumb));
    database.inTransaction(c -> Sql.update(c, "UPDATE mass_sends SET media_id = ? WHERE id = ?", mediaId, send.id()));
    return mediaId;
  }

  private long createTag(Claimed send) throws WechatApiException, NoToken, SQLException {
    long tag = call(() -> api.createTag("kefu-" + send.id()));
    // Kept at once: a send tried again uses this tag rather than making another (an account has at most 100).
    database.inTransaction(c -> Sql.update(c, "UPDATE mass_sends SET tag_id = ? WHERE id = ?", tag, send.id()));
    return tag;
  }

  private void failed(Claimed send, WechatApiException e, Instant now) throws SQLException {
    if (e.code() == ALREADY_SENT) {
      finish(send, "sent", Optional.empty(), Optional.of(e.code()), Optional.of("WeChat had this send already (clientmsgid)"), now);
    } else if ((e.isTransient() || e.neverLeft() || e.outcomeUnknown()) && send.attempts() < MOST_ATTEMPTS
        && now.isBefore(send.createdAt().plus(CLIENT_MSG_ID_KEPT))) {
      log.warn("Mass message #{}: {} ({}); sent again later with the same clientmsgid", send.id(), e.getMessage(), e.code());
      back(send);
    } else {
      log.warn("Mass message #{} failed: WeChat error {} {}", send.id(), e.code(), e.getMessage());
      finish(send, "failed", Optional.empty(), Optional.of(e.code()), Optional.of(e.getMessage()), now);
    }
  }

  private void back(Claimed send) throws SQLException {
    database.inTransaction(c -> Sql.update(c, "UPDATE mass_sends SET status = 'pending', claimed_by = NULL, claim_token = NULL"
        + " WHERE id = ? AND claim_token = ?", send.id(), send.token()));
  }

  private void finish(Claimed send, String status, Optional<String> msgId, Optional<Integer> code, Optional<String> error, Instant now)
      throws SQLException {
    database.inTransaction(c -> {
      if (Sql.one(c, "SELECT id FROM mass_sends WHERE id = ? AND claim_token = ? FOR UPDATE", row -> row.longValue("id"),
          send.id(), send.token()).isEmpty()) {
        return null; // another node took it over
      }
      // WeChat's report can come before the answer to the send is recorded: it was kept as a send made outside kefu,
      // and is this send's own.
      Optional<Report> early = msgId.isEmpty() ? Optional.empty() : Sql.one(c, "SELECT id, result_status, total_count,"
          + " filter_count, sent_count, error_count, finished_at FROM mass_sends WHERE msg_id = ? AND purpose = 'external'",
          row -> new Report(row.longValue("id"), row.optionalString("result_status").orElse(""), row.integer("total_count"),
              row.integer("filter_count"), row.integer("sent_count"), row.integer("error_count"), row.instant("finished_at")),
          msgId.get());
      if (early.isPresent()) {
        Sql.update(c, "DELETE FROM mass_recipients WHERE mass_send_id = ?", early.get().id());
        Sql.update(c, "DELETE FROM mass_sends WHERE id = ?", early.get().id());
      }
      Sql.update(c, "UPDATE mass_sends SET status = ?, msg_id = ?, error_code = ?, error = ?, sent_at = ?,"
          + " claimed_by = NULL, claim_token = NULL WHERE id = ?", status, msgId, code,
          error.map(m -> m.length() > 500 ? m.substring(0, 500) : m), now, send.id());
      if (early.isPresent()) {
        Report r = early.get();
        Sql.update(c, "UPDATE mass_sends SET status = 'finished', result_status = ?, total_count = ?, filter_count = ?,"
            + " sent_count = ?, error_count = ?, finished_at = ? WHERE id = ?", r.status(), r.total(), r.filtered(), r.sent(),
            r.errors(), r.at(), send.id());
      }
      return null;
    });
  }

  /** WeChat's report of a send, as recorded. */
  private record Report(long id, String status, int total, int filtered, int sent, int errors, Instant at) {}

  /** Deletes the temporary tags of sends WeChat reported (or sent a day ago); false if it stopped for want of call tokens. */
  private boolean deleteTags(Instant now) throws SQLException {
    List<long[]> tags = database.inTransaction(c -> Sql.list(c, "SELECT id, tag_id FROM mass_sends WHERE tag_id IS NOT NULL"
        + " AND tag_deleted = FALSE AND (status IN ('finished', 'failed') OR sent_at < ?)",
        row -> new long[] {row.longValue("id"), row.longValue("tag_id")}, now.minus(Duration.ofDays(1))));
    for (long[] tag : tags) {
      try {
        run(() -> api.deleteTag(tag[1]));
      } catch (NoToken e) {
        return false;
      } catch (WechatApiException e) {
        if (e.isTransient() || e.neverLeft()) {
          continue; // the next run tries again
        }
        log.warn("Mass message #{}: its temporary tag could not be deleted (WeChat error {})", tag[0], e.code());
      }
      database.inTransaction(c -> Sql.update(c, "UPDATE mass_sends SET tag_deleted = TRUE WHERE id = ?", tag[0]));
    }
    return true;
  }

  /** WeChat's preview of a mass message to one follower, within the calls a minute: empty if it went, else why not. */
  Optional<Integer> preview(String openid, String text) {
    if (api == null) {
      return Optional.of(Broadcasts.BUSY);
    }
    try {
      run(() -> api.preview(openid, text));
      return Optional.empty();
    } catch (NoToken e) {
      return Optional.of(Broadcasts.BUSY);
    } catch (WechatApiException e) {
      log.warn("A mass message's preview was refused: WeChat error {} {}", e.code(), e.getMessage());
      return Optional.of(e.code());
    }
  }

  /**
   * Records WeChat's report of a mass message's result; a report of a send kefu did not make (from the MP website) is
   * kept as an external send, counted against every follower of the month when it reached as many as kefu knows.
   * WeChat's retries of the report change nothing.
   */
  void finished(Map<String, String> fields, Instant now, int monthKey) throws SQLException {
    String msgId = fields.getOrDefault("MsgID", fields.getOrDefault("MsgId", "")).strip();
    if (msgId.isEmpty() || msgId.length() > 64) {
      log.warn("A MASSSENDJOBFINISH without a usable MsgID was ignored");
      return;
    }
    int total = number(fields, "TotalCount");
    int filtered = number(fields, "FilterCount");
    int sent = number(fields, "SentCount");
    int errors = number(fields, "ErrorCount");
    String status = fields.getOrDefault("Status", "");
    String report = "UPDATE mass_sends SET status = 'finished', result_status = ?, total_count = ?, filter_count = ?, sent_count = ?,"
        + " error_count = ?, finished_at = ? WHERE msg_id = ?";
    database.inTransaction(c -> {
      if (Sql.update(c, report, cut(status), total, filtered, sent, errors, now, msgId) > 0) {
        return null;
      }
      int followers = Sql.count(c, "SELECT COUNT(*) FROM customers WHERE subscribed = TRUE");
      Savepoint before = c.setSavepoint();
      try {
        Sql.insert(c, "INSERT INTO mass_sends (purpose, label, target, recipients, budget_month, msg_id, status, result_status, total_count,"
            + " filter_count, sent_count, error_count, created_at, sent_at, finished_at)"
            + " VALUES ('external', 'outside kefu', ?, ?, ?, ?, 'finished', ?, ?, ?, ?, ?, ?, ?, ?)",
            followers > 0 && total >= followers ? "all" : "unknown", total, monthKey, msgId, cut(status), total, filtered, sent, errors,
            now, now, now);
      } catch (SQLException e) {
        if (!Sql.isUniqueViolation(e)) {
          throw e;
        }
        // WeChat's retry of a report already recorded — or kefu's own send committed its msg_id meanwhile, after the
        // look above: the report is that send's, and a fresh statement sees it.
        c.rollback(before);
        Sql.update(c, report, cut(status), total, filtered, sent, errors, now, msgId);
      }
      return null;
    });
    wake(); // its temporary tag may go now
  }

  private static String cut(String text) {
    return text.length() > 64 ? text.substring(0, 64) : text;
  }

  private static int number(Map<String, String> fields, String name) {
    try {
      return Integer.parseInt(fields.getOrDefault(name, "0").strip());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A call of the API, made only with a token of the calls a minute shared by every node. */
  private interface ApiCall<T> {
    T call() throws WechatApiException;
  }

  private <T> T call(ApiCall<T> call) throws WechatApiException, NoToken {
    if (!coordination.tryAcquire("wechat:mass-api", limit)) {
      throw new NoToken();
    }
    return call.call();
  }

  private void run(VoidCall call) throws WechatApiException, NoToken {
    call(() -> {
      call.call();
      return null;
    });
  }

  private interface VoidCall {
    void call() throws WechatApiException;
  }

  /** The calls a minute are used up: the send waits. */
  private static final class NoToken extends Exception {
    NoToken() {
      super(null, null, false, false);
    }
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
