package kefu.channel.wechat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import kefu.dialog.Inbound;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WeChat's webhook, {@code /wechat}: the URL check (GET) and every message and event (POST), in plaintext,
 * compatible and safe mode. A request that is not signed with the account's token, or signed long ago, is
 * refused before anything is read or stored.
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
  private final WechatTurns turns;
  private final Duration replyBudget;
  private final Clock clock;

  WechatWebhook(Vertx vertx, WechatCrypto crypto, WechatTurns turns, Duration replyBudget, Clock clock) {
    this.vertx = vertx;
    this.crypto = crypto;
    this.turns = turns;
    this.replyBudget = replyBudget;
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
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      reject(ctx, 400, "empty body");
      return;
    }
    if (body.length() > MAX_BODY_BYTES) {
      reject(ctx, 413, "body of " + body.length() + " bytes");
      return;
    }
    boolean sealed = "aes".equals(ctx.queryParams().get("encrypt_type"));
    Map<String, String> fields;
    Inbound inbound;
    try {
      fields = WechatXml.parse(body.toString(StandardCharsets.UTF_8));
      if (sealed) {
        String encrypt = fields.get("Encrypt");
        if (!crypto.messageSigned(ctx.queryParams().get("msg_signature"), ctx.queryParams().get("timestamp"),
            ctx.queryParams().get("nonce"), encrypt)) {
          reject(ctx, 403, "wrong msg_signature");
          return;
        }
        fields = WechatXml.parse(crypto.decrypt(encrypt));
      }
      inbound = WechatInbound.from(fields, clock.instant());
    } catch (WechatCrypto.ForeignMessageException e) {
      reject(ctx, 403, e.getMessage());
      return;
    } catch (WechatXmlException e) {
      reject(ctx, 400, e.getMessage());
      return;
    }
    String key = WechatInbound.retryKey(fields);
    String account = fields.getOrDefault("ToUserName", "");
    handle(inbound, key)
        .onSuccess(reply -> respond(ctx, reply.map(text -> passive(inbound, account, text)), sealed))
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
  private Future<Optional<String>> handle(Inbound inbound, String key) {
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
    turns.take(key, inbound, slot, stored).onComplete(done -> {
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
    Instant signedAt = Instant.ofEpochSecond(seconds);
    if (Duration.between(signedAt, clock.instant()).abs().compareTo(MAX_SKEW) > 0) {
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
