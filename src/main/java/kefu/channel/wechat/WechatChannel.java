package kefu.channel.wechat;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import kefu.config.KefuConfig;
import kefu.conversation.Broadcasts;
import kefu.conversation.Conversation;
import kefu.conversation.ConversationRepository;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.customer.CustomerRepository;
import kefu.customer.QrCodes;
import kefu.dialog.Bot;
import kefu.dialog.Reply;
import kefu.store.Coordination;
import kefu.store.Database;
import kefu.template.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WeChat official account as a channel: the webhook that takes customers' messages to the bot, and the
 * outbox sender that delivers what the bot and agents say through WeChat's API.
 */
public final class WechatChannel implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WechatChannel.class);
  /**
   * Turns wait on the database and the FAQ engine; enough threads to keep both busy. A turn's thread waits through
   * its group commit and the write to disk after it, so these threads bound how many turns share one commit: 16 kept
   * batches at about four turns, and the embedded database at 4,100 messages a second where 64 reach about 5,800.
   */
  private static final int TURN_WORKERS = 64;
  /** Far longer than a turn takes: one not recorded by then was cut off by a stop. */
  private static final Duration TURN_AT_MOST = Duration.ofSeconds(10);
  /** How far back a start looks for messages left unanswered: later, an answer would come too late to help. */
  private static final Duration RESUME_WITHIN = Duration.ofHours(1);

  private final KefuConfig config;
  private final Coordination coordination;
  private final OutboxSender sender;
  private final WechatTurns turns;
  private final WechatWebhook webhook;
  private final WorkerExecutor workers;
  private final OutboxDelivery delivery;
  private final MassSender mass;
  private final MassMessages broadcasts;
  private final Outbox outbox;
  private final ConversationRepository conversations = new ConversationRepository();
  private final MessageRepository messages = new MessageRepository();
  private final Vertx vertx;
  private final Clock clock;
  private long resuming = -1;
  private volatile WechatApi api;
  /** The picture address of each scene's QR code, once made: WeChat gives the same code for a scene again. */
  private final Map<String, String> qrPictures = new ConcurrentHashMap<>();
  private final HttpClient pictures = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Whom the channel tells of what happened, each in the transaction that records it.
   *
   * @param scans told of the parametric QR codes followers scan
   * @param decisions told of customers' decisions on subscription notices
   * @param refusals told of messages that were to go one way only and did not
   */
  public record Listeners(QrScans scans, SubscribeDecisions decisions, Refusals refusals) {
    public static final Listeners NONE = new Listeners(QrScans.NONE, SubscribeDecisions.NONE, Refusals.NONE);
  }

  public WechatChannel(Vertx vertx, KefuConfig config, Database database, Coordination coordination, Bot bot,
      Templates templates, Listeners listeners, MeterRegistry registry, Clock clock) {
    this.config = config;
    this.coordination = coordination;
    this.vertx = vertx;
    this.clock = clock;
    this.outbox = new Outbox();
    this.workers = vertx.createSharedWorkerExecutor("kefu-turns", TURN_WORKERS);
    DeliveryPolicy policy = new DeliveryPolicy(config.wechat());
    Optional<ServiceTemplate> serviceTemplate = config.wechat().serviceTemplateId()
        .map(id -> new ServiceTemplate(templates, config.desk().calendar().zone()));
    this.sender = new OutboxSender(vertx, database, outbox, policy, serviceTemplate,
        ServiceTemplate.subscribe(templates, config.desk().calendar().zone()), listeners.refusals(), coordination, clock, registry);
    this.delivery = new OutboxDelivery(outbox, sender, policy);
    this.turns = new WechatTurns(vertx, database, new RetryGuard(coordination), bot, outbox, sender, workers, listeners.scans(),
        listeners.decisions(), clock);
    this.mass = new MassSender(vertx, database, coordination, config, clock);
    this.broadcasts = new MassMessages(config.wechat().quotas(), config.desk().calendar().zone(), mass);
    this.webhook = new WechatWebhook(vertx, config.wechat(), new ReplayGuard(coordination), turns, workers,
        (fields, at) -> mass.finished(fields, at, MassMessages.key(broadcasts.month(at))), clock);
  }

  public void routes(Router router) {
    router.get("/wechat").handler(webhook::verify);
    router.post("/wechat").handler(webhook::receive);
  }

  /** How agents' messages reach WeChat customers. */
  public Delivery delivery() {
    return delivery;
  }

  /** Mass messages within each follower's monthly budget: greetings and campaigns. */
  public Broadcasts broadcasts() {
    return broadcasts;
  }

  /**
   * Keeps the bot's {@code reply} in the customer's conversation and queues it, choices as a tappable menu
   * ({@code msgmenu}), in the caller's transaction: for what the bot says outside a turn (a survey's first question).
   * It goes as a customer-service message only; WeChat's refusal reaches the listeners' refusals. Returns the message's
   * id. Call {@link Delivery#wake} once committed.
   */
  public long queue(Connection c, long customerId, Reply reply, Instant now) throws SQLException {
    CustomerRepository.lock(c, customerId);
    long conversationId = conversations.openFor(c, customerId, Conversation.WECHAT_INBOX, now).id();
    Message message = messages.append(c, new MessageRepository.Draft(conversationId, Message.Direction.OUT,
        OutboxMessage.kind(reply), reply.asText(), null), now);
    // Only as a customer-service message: a refusal comes back to the listener (a survey's question, to its step).
    outbox.addRouted(c, customerId, message.id(), reply, OutboxMessage.Channel.SERVICE, Optional.empty(), now);
    return message.id();
  }

  /**
   * Starts sending the outbox through WeChat's API at {@code apiHost} (WeChat's own, or the simulator's stand-in).
   * Blocks briefly: call it at start-up.
   */
  public void start(String apiHost) {
    WxJavaApi started = WxJavaApi.create(config.wechat(), coordination, apiHost, "wechat", Optional.of(config.paths().templatesDir()));
    api = started;
    sender.start(started);
    mass.start(started);
    resumeUnanswered();
  }

  /**
   * The pictures of parametric QR codes, made through WeChat's API (or the stand-in) once {@link #start started},
   * fetched by kefu so that the console shows them from its own address. Blocks.
   */
  public QrCodes qrCodes() {
    return scene -> {
      WechatApi started = api;
      if (started == null) {
        throw new QrCodes.Unavailable("the WeChat channel is not started");
      }
      try {
        String url = qrPictures.get(scene);
        if (url == null) {
          url = started.qrCodePictureUrl(scene);
          qrPictures.put(scene, url);
        }
        HttpResponse<byte[]> picture = pictures.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        if (picture.statusCode() != 200) {
          throw new QrCodes.Unavailable("WeChat answered the QR code's picture with HTTP " + picture.statusCode());
        }
        return new QrCodes.Picture(picture.headers().firstValue("Content-Type").orElse("image/jpeg"), picture.body());
      } catch (WechatApiException e) {
        throw new QrCodes.Unavailable("WeChat made no QR code: " + e.getMessage());
      } catch (IOException e) {
        throw new QrCodes.Unavailable("the QR code's picture could not be fetched: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new QrCodes.Unavailable("interrupted");
      }
    };
  }

  /**
   * Answers what an earlier stop left stored but unanswered: the messages of the last hour before this start, once
   * a turn under way on another node would have been recorded, so that none is answered twice.
   */
  private void resumeUnanswered() {
    Instant started = clock.instant();
    resuming = vertx.setTimer(TURN_AT_MOST.toMillis(), go -> workers.executeBlocking(
            () -> turns.resumeUnanswered(started.minus(RESUME_WITHIN), started), false)
        .onSuccess(answered -> {
          if (answered > 0) {
            log.warn("{} messages stored before the last stop had not been answered; answered now", answered);
          } else {
            log.info("Messages stored before this start: none was left unanswered");
          }
        })
        .onFailure(e -> log.error("Messages stored before the last stop and not answered could not be looked for", e)));
  }

  /** A page address signed for WeChat's JS-SDK (wx.config): what an H5 page needs for WeChat's open tags. */
  public record JsapiSignature(String appId, long timestamp, String nonce, String signature) {}

  /**
   * Signs {@code url} with the account's JS-SDK ticket (fetched through the API, or the stand-in, and kept like the
   * access token), once {@link #start started}. Blocks.
   *
   * @throws IllegalStateException if the channel is not started or WeChat gives no ticket
   */
  public JsapiSignature jsapiSignature(String url) {
    WechatApi started = api;
    if (started == null) {
      throw new IllegalStateException("the WeChat channel is not started");
    }
    try {
      return started.jsapiSignature(url);
    } catch (WechatApiException e) {
      throw new IllegalStateException("WeChat gave no JS-SDK ticket: error " + e.code() + " " + e.getMessage());
    }
  }

  /**
   * Replaces the official account's menu with {@code menu} (WeChat's menu/create JSON) through the API host of the
   * configured account. Blocks.
   *
   * @throws IllegalStateException with WeChat's error code if WeChat refuses it
   */
  public static void pushMenu(KefuConfig.Wechat config, KefuConfig.Account account, Coordination coordination, String menu) {
    try {
      WxJavaApi.create(config, coordination, account.apiHost(), "wechat").createMenu(menu);
    } catch (WechatApiException e) {
      throw new IllegalStateException(e.outcomeUnknown()
          ? e.getMessage() + ": the menu may or may not be set; pushing it again is harmless"
          : "WeChat refused the menu: error " + e.code() + " " + e.getMessage());
    }
  }

  /** Waits, up to the HTTP shutdown timeout, for the turns under way: call it before the database closes. */
  @Override
  public void close() {
    vertx.cancelTimer(resuming);
    turns.stop(config.http().shutdownTimeout());
    sender.close();
    mass.close();
    workers.close();
  }
}
