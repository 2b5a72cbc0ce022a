package kefu.channel.wechat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.config.KefuConfig;
import kefu.dialog.Inbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeChat's webhook, {@code /wechat}: the URL check (GET) and every message and event (POST), in plaintext,
 * compatible and safe mode. A request that is not signed with the account's token, or signed long ago, is
 * refused before anything is read or stored; so is a plaintext message in safe mode, a body that is not WeChat's
 * UTF-8 XML or has a field longer than WeChat makes it, and a signature seen before with another message. Each
 * refusal is one log line naming why, never what the request carried.
 */
final class WechatWebhook {
  private static final Logger log = LoggerFactory.getLogger(WechatWebhook.class);
  /** How far a request's timestamp may be from now; an older one is a replay. */
  static final Duration MAX_SKEW = Duration.ofMinutes(5);
  /** WeChat's messages are a few kilobytes even encrypted. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  /** What WeChat takes as "received, no reply". */
  private static final String NO_REPLY = "success";

  private final Vertx vertx;
  private final WechatCrypto crypto;
  private final KefuConfig.MessageMode mode;
  private final ReplayGuard replays;
  private final WechatTurns turns;
  private final JobReports jobs;
  private final WorkerExecutor workers;
  private final Duration replyBudget;
  private final Clock clock;

  /** Takes WeChat's reports of mass messages' results. */
  interface JobReports {
    /** Records the fields of a {@code MASSSENDJOBFINISH} received at {@code at}. Blocks. */
    void finished(Map<String, String> fields, Instant at) throws SQLException;
  }

  WechatWebhook(Vertx vertx, KefuConfig.Wechat config, ReplayGuard replays, WechatTurns turns, WorkerExecutor workers,
      JobReports jobs, Clock clock) {
    this.jobs = jobs;
    this.vertx = vertx;
    this.crypto = new WechatCrypto(config);
    this.mode = config.messageMode();
    this.replays = replays;
    this.turns = turns;
    this.workers = workers;
    this.replyBudget = config.replyBudget();
    this.clock = clock;
  }

  /** GET: WeChat checks the URL when the account's server settings are saved; echo its echostr if signed. */
  void verify(RoutingContext ctx) {
    if (refused(ctx)) {
      return;
    }
    String echo = ctx.queryParams().get("echostr");
    if (echo == null) {
      reject(ctx, 400, "no echostr");
      return;
    }
    ctx.response().putHeader("Content-Type", "text/plain; charset=utf-8").end(echo);
  }

  /** POST: a message or event. */
  void receive(RoutingContext ctx) {
    if (refused(ctx)) {
      return;
    }
    Optional<Received> read = read(ctx);
    if (read.isEmpty()) {
      return;
    }
    Received received = read.get();
    String signature = ctx.queryParams().get("signature");
    workers.executeBlocking(() -> replays.allows(signature, received.fields()), false)
        .onSuccess(allowed -> {
          if (allowed) {
            answer(ctx, received);
          } else {
            reject(ctx, 403, "signature already used for another message (a replay?)");
          }
        })
        .onFailure(ctx::fail);
  }

  /** A message as read from a request: its fields (decrypted), what the dialogue makes of them, and whether it was sealed. */
  private record Received(Map<String, String> fields, Inbound inbound, boolean sealed) {}


  /** The message in the request, or empty if it was refused. */
  private Optional<Received> read(RoutingContext ctx) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      reject(ctx, 400, "empty body");
      return Optional.empty();
    }
    if (body.length() > MAX_BODY_BYTES) {
      reject(ctx, 413, "body of " + body.length() + " bytes");
      return Optional.empty();
    }
    boolean sealed = "aes".equals(ctx.queryParams().get("encrypt_type"));
    if (!sealed && mode == KefuConfig.MessageMode.SAFE) {
      // Anyone who learns the token could otherwise skip the encryption: only the compatible mode takes both.
      reject(ctx, 403, "a plaintext message in safe mode");
      return Optional.empty();
    }
    try {
      byte[] bytes = body.getBytes();
      Map<String, String> fields = WechatXml.parse(WechatXml.utf8(bytes, 0, bytes.length));
      if (sealed) {
        String encrypt = fields.get("Encrypt");
        if (!crypto.messageSigned(ctx.queryParams().get("msg_signature"), ctx.queryParams().get("timestamp"),
            ctx.queryParams().get("nonce"), encrypt)) {
          reject(ctx, 403, "wrong msg_signature");
          return Optional.empty();
        }
        fields = WechatXml.parse(crypto.decrypt(encrypt));
      }
      return Optional.of(new Received(fields, WechatInbound.from(fields, clock.instant()), sealed));
    } catch (WechatCrypto.ForeignMessageException e) {
      reject(ctx, 403, e.getMessage());
    } catch (WechatXmlException e) {
      reject(ctx, 400, e.getMessage());
    }
    return Optional.empty();
  }

  private void answer(RoutingContext ctx, Received received) {
    Inbound inbound = received.inbound();
    if (inbound.type().equals(MassSender.JOB_FINISHED)) {
      // WeChat's own report, from no customer: recorded, never a turn of the dialogue.
      workers.executeBlocking(() -> {
        jobs.finished(received.fields(), clock.instant());
        return null;
      }, false).onSuccess(done -> respond(ctx, Optional.empty(), received.sealed())).onFailure(e -> {
        log.error("A mass message's result could not be recorded; WeChat sends it again", e);
        ctx.response().setStatusCode(500).end();
      });
      return;
    }
    String account = received.fields().getOrDefault("ToUserName", "");
    handle(inbound, WechatInbound.decisions(received.fields()), WechatInbound.retryKey(received.fields()))
        .onSuccess(reply -> respond(ctx, reply.map(text -> passive(inbound, account, text)), received.sealed()))
        .onFailure(e -> {
          if (e instanceof WechatTurns.StoppingException) {
            log.info("A WeChat {} arrived as kefu stops; WeChat retries it", inbound);
          } else {
            log.error("A WeChat {} could not be handled", inbound, e);
          }
          if (!ctx.response().ended()) {
            ctx.response().setStatusCode(e instanceof WechatTurns.StoppingException ? 503 : 500).end();
          }
        });
  }

  /**
   * Runs the turn within the reply budget. In time, the first reply goes back as the passive reply; otherwise
   * WeChat is answered without one, as soon as the message is stored, and the turn's replies go through the API
   * when ready. A zero budget answers WeChat once the message is stored: every reply goes through the API.
   */
  private Future<Optional<String>> handle(Inbound inbound, List<SubscribeDecisions.Decision> decided, String key) {
    PassiveSlot slot = new PassiveSlot();
    Promise<Optional<String>> answer = Promise.promise();
    Promise<Void> stored = Promise.promise();
    Context context = vertx.getOrCreateContext();
    Runnable withoutReply = () -> {
      if (slot.close()) {
        // An acknowledgement is a promise: WeChat hears "success" only once the message is stored, and a message
        // that could not be stored gets an error, so that WeChat sends it again.
        stored.future().onComplete(done -> context.runOnContext(go -> {
          if (done.succeeded()) {
            answer.tryComplete(Optional.empty());
          } else {
            answer.tryFail(done.cause());
          }
        }));
      }
    };
    long timer = replyBudget.isZero() ? -1 : vertx.setTimer(replyBudget.toMillis(), t -> withoutReply.run());
    if (timer < 0) {
      withoutReply.run();
    }
    turns.take(key, inbound, decided, slot, stored).onComplete(done -> {
      vertx.cancelTimer(timer);
      if (done.failed()) {
        answer.tryFail(done.cause());
        return;
      }
      Optional<String> reply = done.result();
      if (reply.isPresent() || slot.close()) {
        answer.tryComplete(reply);
      }
    });
    return answer.future();
  }

  private String passive(Inbound inbound, String account, String text) {
    return WechatXml.textReply(inbound.openid(), account, clock.instant().getEpochSecond(), text);
  }

  private void respond(RoutingContext ctx, Optional<String> xml, boolean sealed) {
    if (ctx.response().ended()) {
      return;
    }
    HttpServerResponse response = ctx.response();
    if (xml.isEmpty()) {
      response.putHeader("Content-Type", "text/plain; charset=utf-8").end(NO_REPLY);
      return;
    }
    response.putHeader("Content-Type", "application/xml; charset=utf-8").end(sealed ? crypto.seal(xml.get()) : xml.get());
  }

  /** Refuses a request not signed by WeChat, or signed too long ago; true if it did. */
  private boolean refused(RoutingContext ctx) {
    // Whatever the webhook answers is WeChat's to read, never a page: no browser may sniff an echostr into HTML.
    ctx.response().putHeader("X-Content-Type-Options", "nosniff");
    String timestamp = ctx.queryParams().get("timestamp");
    if (!crypto.signed(ctx.queryParams().get("signature"), timestamp, ctx.queryParams().get("nonce"))) {
      reject(ctx, 403, "wrong or missing signature");
      return true;
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      reject(ctx, 403, "timestamp is not a number");
      return true;
    }
    // Compared as numbers: a timestamp beyond what an Instant holds is as far from now as any.
    long now = clock.instant().getEpochSecond();
    if (seconds < now - MAX_SKEW.toSeconds() || seconds > now + MAX_SKEW.toSeconds()) {
      reject(ctx, 403, "timestamp too far from now (a replay?)");
      return true;
    }
    return false;
  }

  /** Refuses the request with {@code status}; the log names the reason, never the content. */
  private static void reject(RoutingContext ctx, int status, String why) {
    log.warn("Refused {} {} from {}: {}", ctx.request().method(), ctx.request().path(), ctx.request().remoteAddress().hostAddress(), why);
    ctx.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").end(why);
  }
}
