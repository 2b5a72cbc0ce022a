package kefu.channel.simulator;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the parts of WeChat's API kefu calls — access token, customer-service and template messages,
 * one-time subscription notices (bizsend), the JS-SDK ticket, user info, menu, parametric QR codes and their pictures, mass
 * messages and tags ({@link MassStandIn}), articles' media ({@link ArticleStandIn}) — served by kefu itself in simulator mode, so the simulator page and the tests see exactly what
 * kefu would have sent to WeChat. It also answers with an error code on request, to try how kefu handles them.
 *
 * <p>What it received stays in memory only (it holds no database), so a page polling it costs no query; a poll may
 * also wait here until something arrives, which spares the page polling every second.
 */
public final class WechatStandIn {
  /** Where the stand-in is served; WxJava's API host points here in simulator mode. */
  public static final String PATH = "/simulator/api";
  /** A fault: the call is carried out, but the connection closes before the answer, as a network cut would. */
  public static final String LOST_ANSWER = "lost-answer";
  /**
   * The longest a poll of {@code sent} may wait: below the idle timeouts of common proxies (30 s and more). An idle
   * page then writes two or three access-log lines a minute, not sixty, so that log need not leave the route out.
   */
  static final int MAX_WAIT_SECONDS = 25;
  /** Polls that may wait at once; one more is refused (429), so a page gone wrong cannot pile them up. */
  static final int MAX_WAITING = 64;
  /** WeChat's limit on a field of a template message or a subscription notice, since 2023. */
  static final int MAX_FIELD = 20;
  /** The stand-in's QR tickets are this and the scene. */
  private static final String QR_TICKET = "sim-qr-";

  private final Clock clock;
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final List<JsonObject> sent = new ArrayList<>();
  /** What the next calls meet: an Integer errcode, or {@link #LOST_ANSWER}. */
  private final Deque<Object> faults = new ArrayDeque<>();
  /** The polls waiting for a message, guarded by this like {@link #sent}. */
  private final Set<Waiter> waiting = new HashSet<>();
  private volatile JsonObject menu;

  /**
   * A poll waiting for a message to {@code openid} (any, if null) after sequence number {@code after}, on
   * {@code connection}; {@code news} completes, on the poll's own event loop, when it is to be answered.
   */
  private record Waiter(String openid, long after, HttpConnection connection, Context context, Promise<Void> news) {
    boolean wants(String to) {
      return openid == null || openid.equals(to);
    }

    void wake() {
      context.runOnContext(go -> news.tryComplete());
    }
  }

  private final ArticleStandIn articles;
  private final MassStandIn mass;

  /** A stand-in that reports no mass message's result: for tests of the channel alone. */
  public WechatStandIn(Clock clock) {
    this(clock, Optional.empty());
  }

  /** @param reporter signs WeChat's reports of mass messages' results ({@code MASSSENDJOBFINISH}) to kefu's webhook */
  public WechatStandIn(Clock clock, Optional<SimulatedWechat> reporter) {
    this.clock = clock;
    this.articles = new ArticleStandIn(this, clock);
    this.mass = new MassStandIn(this, articles, reporter, clock);
  }

  /** Adds the stand-in's routes under {@link #PATH}. */
  public void routes(Router router) {
    router.get(PATH + "/cgi-bin/token").handler(this::token);
    router.post(PATH + "/cgi-bin/stable_token").handler(this::token);
    router.post(PATH + "/cgi-bin/message/custom/send").handler(ctx -> record(ctx, "service"));
    router.post(PATH + "/cgi-bin/message/template/send").handler(ctx -> record(ctx, "template"));
    router.post(PATH + "/cgi-bin/message/subscribe/bizsend").handler(ctx -> record(ctx, "subscribe"));
    router.get(PATH + "/cgi-bin/ticket/getticket").handler(this::jsapiTicket);
    router.get(PATH + "/cgi-bin/user/info").handler(this::userInfo);
    router.post(PATH + "/cgi-bin/menu/create").handler(this::createMenu);
    router.get(PATH + "/cgi-bin/menu/get").handler(this::getMenu);
    router.post(PATH + "/cgi-bin/qrcode/create").handler(this::createQrCode);
    router.get(PATH + "/cgi-bin/showqrcode").handler(this::showQrCode);
    router.get(PATH + "/sent").handler(this::listSent);
    // How many access tokens were handed out: nodes sharing one through Redis ask once.
    router.get(PATH + "/tokens").handler(ctx -> ctx.json(new JsonObject().put("issued", tokens.size())));
    // How many polls of sent wait: a test knows by it that one waits before it sends.
    router.get(PATH + "/waiting").handler(ctx -> ctx.json(new JsonObject().put("polls", waitingCount())));
    router.post(PATH + "/faults").handler(this::addFaults);
    mass.routes(router);
    articles.routes(router);
  }

  private void token(RoutingContext ctx) {
    String token = "sim-" + UUID.randomUUID();
    tokens.add(token);
    ctx.json(new JsonObject().put("access_token", token).put("expires_in", 7200));
  }

  boolean authorised(RoutingContext ctx) {
    if (tokens.contains(ctx.queryParams().get("access_token"))) {
      return true;
    }
    ctx.json(error(40001, "invalid credential, access_token is invalid or not latest"));
    return false;
  }

  private void record(RoutingContext ctx, String channel) {
    if (!authorised(ctx)) {
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    String openid = body.getString("touser");
    Optional<String> tooLong = channel.equals("service") ? Optional.empty() : fieldTooLong(body);
    if (tooLong.isPresent()) {
      // As WeChat does since 2023: a template's or a notice's field holds 20 characters at most.
      ctx.json(error(47003, "argument invalid! data." + tooLong.get() + ".value exceeds limit"));
      return;
    }
    Object fault = nextFault();
    if (Integer.valueOf(0).equals(fault)) {
      // 0 lets this send through, so that a later one meets the next fault.
      fault = null;
    }
    int seq = fault instanceof Integer ? 0 : add(channel, openid, body);
    if (fault instanceof Integer code) {
      ctx.json(error(code, "simulated error " + code));
    } else if (fault != null) {
      ctx.request().connection().close();
    } else if (!channel.equals("service")) {
      // WeChat answers a template message or a notice with its msgid, and WxJava reads it.
      ctx.json(error(0, "ok").put("msgid", seq));
    } else {
      ctx.json(error(0, "ok"));
    }
  }

  /** Keeps what was sent to {@code openid} through {@code channel} and wakes the polls waiting for it; its sequence number. */
  int add(String channel, String openid, JsonObject body) {
    int seq;
    List<Waiter> woken = new ArrayList<>();
    synchronized (this) {
      seq = sent.size() + 1;
      sent.add(new JsonObject()
          .put("seq", seq)
          .put("channel", channel)
          .put("openid", openid)
          .put("at", clock.instant().toString())
          .put("message", body));
      waiting.stream().filter(w -> w.wants(openid)).forEach(woken::add);
    }
    woken.forEach(Waiter::wake);
    return seq;
  }

  /** The name of a field of a template message or notice longer than WeChat's 20 characters, if any. */
  private static Optional<String> fieldTooLong(JsonObject body) {
    JsonObject data = body.getJsonObject("data", new JsonObject());
    return data.fieldNames().stream().filter(name -> {
      Object field = data.getValue(name);
      String value = field instanceof JsonObject o ? o.getString("value", "") : String.valueOf(field);
      return value.codePointCount(0, value.length()) > MAX_FIELD;
    }).findFirst();
  }

  /** The JS-SDK ticket a page's wx.config is signed with (for wx-open-subscribe). */
  private void jsapiTicket(RoutingContext ctx) {
    if (authorised(ctx)) {
      ctx.json(error(0, "ok").put("ticket", "sim-jsapi-" + UUID.randomUUID()).put("expires_in", 7200));
    }
  }

  private void userInfo(RoutingContext ctx) {
    if (authorised(ctx)) {
      ctx.json(new JsonObject().put("subscribe", 1).put("openid", ctx.queryParams().get("openid")).put("language", "zh_CN"));
    }
  }

  private void createMenu(RoutingContext ctx) {
    if (!authorised(ctx)) {
      return;
    }
    Object fault = nextFault();
    if (fault instanceof Integer code && code != 0) {
      ctx.json(error(code, "simulated error " + code));
      return;
    }
    menu = ctx.body().asJsonObject();
    if (LOST_ANSWER.equals(fault)) {
      ctx.request().connection().close();
    } else {
      ctx.json(error(0, "ok"));
    }
  }

  /** WeChat's qrcode/create for a scene string: a ticket that names the scene, as the simulator has no real codes. */
  private void createQrCode(RoutingContext ctx) {
    if (!authorised(ctx)) {
      return;
    }
    JsonObject body = ctx.body().asJsonObject();
    String scene = body == null ? null : body.getJsonObject("action_info", new JsonObject())
        .getJsonObject("scene", new JsonObject()).getString("scene_str");
    if (scene == null || scene.isEmpty() || scene.length() > 64) {
      ctx.json(error(40097, "invalid args: scene_str"));
      return;
    }
    ctx.json(new JsonObject().put("ticket", QR_TICKET + scene).put("url", "http://weixin.qq.com/q/" + QR_TICKET + scene));
  }

  /**
   * The picture of a QR code the stand-in made: a card with its scene, to print and to "scan" on the simulator page
   * (the simulator cannot make real QR codes, and no phone could scan them).
   */
  private void showQrCode(RoutingContext ctx) {
    String ticket = ctx.queryParams().get("ticket");
    if (ticket == null || !ticket.startsWith(QR_TICKET) || !ticket.substring(QR_TICKET.length()).matches("[A-Za-z0-9_-]{1,64}")) {
      ctx.response().setStatusCode(404).end();
      return;
    }
    String scene = ticket.substring(QR_TICKET.length());
    ctx.response().putHeader("Content-Type", "image/svg+xml").end("""
        <svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240">        <rect width="240" height="240" fill="#fff" stroke="#000" stroke-width="8"/>        <rect x="20" y="20" width="50" height="50" fill="#000"/><rect x="170" y="20" width="50" height="50" fill="#000"/>        <rect x="20" y="170" width="50" height="50" fill="#000"/>        <text x="120" y="128" font-size="22" text-anchor="middle" font-family="monospace">%s</text></svg>""".formatted(scene));
  }

  synchronized Object nextFault() {
    return faults.poll();
  }

  /** WeChat's menu/get: the menu last pushed, or 46003 when there is none. */
  private void getMenu(RoutingContext ctx) {
    if (authorised(ctx)) {
      JsonObject current = menu;
      ctx.json(current == null ? error(46003, "menu no exist") : new JsonObject().put("menu", current));
    }
  }

  /**
   * GET {@code sent?openid=…&after=N&wait=S}: what was sent (to that customer), after sequence number N. With
   * {@code wait} (seconds, at most {@link #MAX_WAIT_SECONDS}) and nothing yet, the answer waits until something is
   * sent or the seconds pass (then it is empty), or the server shuts down.
   */
  private void listSent(RoutingContext ctx) {
    String openid = ctx.queryParams().get("openid");
    long after = parseLong(ctx.queryParams().get("after"));
    long wait = parseLong(ctx.queryParams().get("wait"));
    if (wait < 0 || wait > MAX_WAIT_SECONDS) {
      ctx.response().setStatusCode(400).end("wait: whole seconds from 0 to " + MAX_WAIT_SECONDS);
      return;
    }
    if (wait == 0) {
      ctx.json(sentAfter(openid, after));
      return;
    }
    Waiter waiter = new Waiter(openid, after, ctx.request().connection(), Vertx.currentContext(), Promise.promise());
    if (!park(waiter)) {
      ctx.response().setStatusCode(429).end("too many polls waiting: at most " + MAX_WAITING);
      return;
    }
    long timer = ctx.vertx().setTimer(wait * 1000, up -> waiter.news().tryComplete());
    // The server's graceful shutdown waits for the requests in flight; a waiting poll would hold it up to its timeout.
    waiter.connection().shutdownHandler(shut -> wakeAll(waiter.connection()));
    ctx.response().closeHandler(gone -> waiter.news().tryComplete());
    waiter.news().future().onComplete(news -> {
      ctx.vertx().cancelTimer(timer);
      JsonArray list = unpark(waiter);
      if (!ctx.response().closed()) {
        ctx.json(list);
      }
    });
  }

  /**
   * Has {@code waiter} wait for a message, or wakes it at once if one is there already (checked under the lock
   * {@link #record} sends under, so none slips between); false if {@link #MAX_WAITING} polls wait already.
   */
  private synchronized boolean park(Waiter waiter) {
    if (!sentAfter(waiter.openid(), waiter.after()).isEmpty()) {
      waiter.news().tryComplete();
      return true;
    }
    return waiting.size() < MAX_WAITING && waiting.add(waiter);
  }

  /** What {@code waiter}'s poll answers, now that it waits no more. */
  private synchronized JsonArray unpark(Waiter waiter) {
    waiting.remove(waiter);
    return sentAfter(waiter.openid(), waiter.after());
  }

  /** Wakes the polls waiting on {@code connection}; for HTTP/2 there may be several, and the handler is one. */
  private void wakeAll(HttpConnection connection) {
    List<Waiter> woken;
    synchronized (this) {
      woken = waiting.stream().filter(w -> w.connection() == connection).toList();
    }
    woken.forEach(Waiter::wake);
  }

  private synchronized int waitingCount() {
    return waiting.size();
  }

  /** What was sent (to {@code openid}, if given) after sequence number {@code after}. */
  private synchronized JsonArray sentAfter(String openid, long after) {
    JsonArray list = new JsonArray();
    // Sequence numbers are positions in the list, counted from 1.
    sent.subList((int) Math.min(Math.max(after, 0), sent.size()), sent.size()).stream()
        .filter(m -> openid == null || openid.equals(m.getString("openid")))
        .forEach(list::add);
    return list;
  }

  /**
   * POST {@code faults} with {"faults": [45015, -1, "lost-answer"]}: the next sends or menu pushes meet these, in
   * order: refused with an errcode, or carried out with the answer lost; 0 lets a send through.
   */
  private void addFaults(RoutingContext ctx) {
    JsonArray given = ctx.body().asJsonObject().getJsonArray("faults", new JsonArray());
    if (!given.stream().allMatch(f -> f instanceof Integer || LOST_ANSWER.equals(f))) {
      ctx.response().setStatusCode(400).end("faults are errcodes or \"" + LOST_ANSWER + "\"");
      return;
    }
    synchronized (this) {
      faults.addAll(given.getList());
    }
    ctx.response().setStatusCode(204).end();
  }

  static JsonObject error(int code, String message) {
    return new JsonObject().put("errcode", code).put("errmsg", message);
  }

  private static long parseLong(String text) {
    try {
      return text == null ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
