package kefu.channel.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for the parts of WeChat's API kefu calls — access token, customer-service and template messages,
 * user info, menu — served by kefu itself in simulator mode, so the simulator page and the tests see exactly what
 * kefu would have sent to WeChat. It also answers with an error code on request, to try how kefu handles them.
 */
public final class WechatStandIn {
  /** Where the stand-in is served; WxJava's API host points here in simulator mode. */
  public static final String PATH = "/simulator/api";
  /** A fault: the call is carried out, but the connection closes before the answer, as a network cut would. */
  public static final String LOST_ANSWER = "lost-answer";

  private final Clock clock;
  private final Set<String> tokens = ConcurrentHashMap.newKeySet();
  private final List<JsonObject> sent = new ArrayList<>();
  /** What the next calls meet: an Integer errcode, or {@link #LOST_ANSWER}. */
  private final Deque<Object> faults = new ArrayDeque<>();
  private volatile JsonObject menu;

  public WechatStandIn(Clock clock) {
    this.clock = clock;
  }

  /** Adds the stand-in's routes under {@link #PATH}. */
  public void routes(Router router) {
    router.get(PATH + "/cgi-bin/token").handler(this::token);
    router.post(PATH + "/cgi-bin/stable_token").handler(this::token);
    router.post(PATH + "/cgi-bin/message/custom/send").handler(ctx -> record(ctx, "service"));
    router.post(PATH + "/cgi-bin/message/template/send").handler(ctx -> record(ctx, "template"));
    router.get(PATH + "/cgi-bin/user/info").handler(this::userInfo);
    router.post(PATH + "/cgi-bin/menu/create").handler(this::createMenu);
    router.get(PATH + "/cgi-bin/menu/get").handler(this::getMenu);
    router.get(PATH + "/sent").handler(this::listSent);
    // How many access tokens were handed out: nodes sharing one through Redis ask once.
    router.get(PATH + "/tokens").handler(ctx -> ctx.json(new JsonObject().put("issued", tokens.size())));
    router.post(PATH + "/faults").handler(this::addFaults);
  }

  private void token(RoutingContext ctx) {
    String token = "sim-" + UUID.randomUUID();
    tokens.add(token);
    ctx.json(new JsonObject().put("access_token", token).put("expires_in", 7200));
  }

  private boolean authorised(RoutingContext ctx) {
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
    Object fault;
    int seq;
    synchronized (this) {
      fault = faults.poll();
      seq = sent.size() + 1;
      if (!(fault instanceof Integer)) {
        sent.add(new JsonObject()
            .put("seq", seq)
            .put("channel", channel)
            .put("openid", body.getString("touser"))
            .put("at", clock.instant().toString())
            .put("message", body));
      }
    }
    if (fault instanceof Integer code) {
      ctx.json(error(code, "simulated error " + code));
    } else if (fault != null) {
      ctx.request().connection().close();
    } else if (channel.equals("template")) {
      // WeChat answers a template message with its msgid, and WxJava reads it.
      ctx.json(error(0, "ok").put("msgid", seq));
    } else {
      ctx.json(error(0, "ok"));
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
    if (fault instanceof Integer code) {
      ctx.json(error(code, "simulated error " + code));
      return;
    }
    menu = ctx.body().asJsonObject();
    if (fault != null) {
      ctx.request().connection().close();
    } else {
      ctx.json(error(0, "ok"));
    }
  }

  private synchronized Object nextFault() {
    return faults.poll();
  }

  /** WeChat's menu/get: the menu last pushed, or 46003 when there is none. */
  private void getMenu(RoutingContext ctx) {
    if (authorised(ctx)) {
      JsonObject current = menu;
      ctx.json(current == null ? error(46003, "menu no exist") : new JsonObject().put("menu", current));
    }
  }

  /** GET {@code sent?openid=…&after=N}: what was sent (to that customer), after sequence number N. */
  private void listSent(RoutingContext ctx) {
    String openid = ctx.queryParams().get("openid");
    long after = parseLong(ctx.queryParams().get("after"));
    JsonArray list = new JsonArray();
    synchronized (this) {
      sent.stream()
          .filter(m -> m.getLong("seq") > after && (openid == null || openid.equals(m.getString("openid"))))
          .forEach(list::add);
    }
    ctx.json(list);
  }

  /**
   * POST {@code faults} with {"faults": [45015, -1, "lost-answer"]}: the next sends or menu pushes meet these, in
   * order: refused with an errcode, or carried out with the answer lost.
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

  private static JsonObject error(int code, String message) {
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
