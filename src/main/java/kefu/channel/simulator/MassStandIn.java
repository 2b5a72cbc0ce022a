package kefu.channel.simulator;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stand-in's mass messages (群发) and user tags, with WeChat's rules: a list of 2–10,000 openids, tags (at most 100,
 * 50 openids a tagging call), {@code clientmsgid} refused again (45065), previews (100 a day), and each follower's four
 * mass messages a month — a fifth is filtered out for that follower, as WeChat does, silently. Each send's result is
 * reported to kefu's webhook as WeChat reports it ({@code MASSSENDJOBFINISH}, signed), when a reporter is given.
 */
final class MassStandIn {
  private static final Logger log = LoggerFactory.getLogger(MassStandIn.class);
  static final int MOST_TAGS = 100;
  static final int MOST_PER_MONTH = 4;
  static final int MOST_PREVIEWS = 100;
  /** Who WeChat's reports come from: the account's mass-message assistant. */
  static final String ASSISTANT = "oMassSendAssistant";

  private final WechatStandIn standIn;
  private final ArticleStandIn articles;
  private final Optional<SimulatedWechat> reporter;
  private final Clock clock;
  private final Map<Long, Set<String>> tags = new HashMap<>();
  private final Map<String, Long> clientMsgIds = new HashMap<>();
  /** Mass messages each follower received, by month: openid → month → count. */
  private final Map<String, Map<YearMonth, Integer>> received = new HashMap<>();
  private final Map<LocalDate, Integer> previews = new HashMap<>();
  private long nextTag = 100;
  private long nextMsg = 1_000_000;
  private HttpClient client;

  MassStandIn(WechatStandIn standIn, ArticleStandIn articles, Optional<SimulatedWechat> reporter, Clock clock) {
    this.standIn = standIn;
    this.articles = articles;
    this.reporter = reporter;
    this.clock = clock;
  }

  void routes(Router router) {
    String path = WechatStandIn.PATH + "/cgi-bin";
    router.post(path + "/tags/create").handler(this::createTag);
    router.post(path + "/tags/delete").handler(this::deleteTag);
    router.post(path + "/tags/members/batchtagging").handler(ctx -> tagging(ctx, true));
    router.post(path + "/tags/members/batchuntagging").handler(ctx -> tagging(ctx, false));
    router.post(path + "/message/mass/send").handler(this::sendToList);
    router.post(path + "/message/mass/sendall").handler(this::sendToTag);
    router.post(path + "/message/mass/preview").handler(this::preview);
    // Not WeChat's: what the stand-in knows of tags and budgets, and a send made "on the MP website" to every follower.
    router.get(WechatStandIn.PATH + "/mass").handler(this::state);
    router.post(WechatStandIn.PATH + "/mass/outside").handler(this::outside);
  }

  /** The request's body, or an answer already given when it is not authorised or meets a fault. */
  private Optional<JsonObject> body(RoutingContext ctx) {
    if (!standIn.authorised(ctx)) {
      return Optional.empty();
    }
    Object fault = standIn.nextFault();
    if (fault instanceof Integer code) {
      ctx.json(WechatStandIn.error(code, "simulated error " + code));
      return Optional.empty();
    }
    if (fault != null) {
      ctx.request().connection().close();
      return Optional.empty();
    }
    JsonObject body = ctx.body().asJsonObject();
    return Optional.of(body == null ? new JsonObject() : body);
  }

  private void createTag(RoutingContext ctx) {
    body(ctx).ifPresent(body -> {
      String name = body.getJsonObject("tag", new JsonObject()).getString("name", "");
      synchronized (this) {
        if (name.isEmpty() || name.length() > 30) {
          ctx.json(WechatStandIn.error(45158, "tag name too long"));
        } else if (tags.size() >= MOST_TAGS) {
          ctx.json(WechatStandIn.error(45056, "too many tags"));
        } else {
          long id = ++nextTag;
          tags.put(id, new LinkedHashSet<>());
          ctx.json(new JsonObject().put("tag", new JsonObject().put("id", id).put("name", name)));
        }
      }
    });
  }

  private void deleteTag(RoutingContext ctx) {
    body(ctx).ifPresent(body -> {
      long id = body.getJsonObject("tag", new JsonObject()).getLong("id", -1L);
      synchronized (this) {
        ctx.json(tags.remove(id) == null ? WechatStandIn.error(45058, "tag does not exist") : WechatStandIn.error(0, "ok"));
      }
    });
  }

  private void tagging(RoutingContext ctx, boolean add) {
    body(ctx).ifPresent(body -> {
      long id = body.getLong("tagid", -1L);
      List<String> openids = strings(body.getJsonArray("openid_list", new JsonArray()));
      synchronized (this) {
        Set<String> members = tags.get(id);
        if (openids.isEmpty() || openids.size() > 50) {
          ctx.json(WechatStandIn.error(40032, "invalid openid list size: 1 to 50"));
        } else if (members == null) {
          ctx.json(WechatStandIn.error(45159, "invalid tag id"));
        } else {
          if (add) {
            members.addAll(openids);
          } else {
            openids.forEach(members::remove);
          }
          ctx.json(WechatStandIn.error(0, "ok"));
        }
      }
    });
  }

  private void sendToList(RoutingContext ctx) {
    body(ctx).ifPresent(body -> {
      List<String> openids = strings(body.getJsonArray("touser", new JsonArray()));
      if (openids.size() < 2) {
        ctx.json(WechatStandIn.error(40130, "invalid openid list size, at least two openid"));
      } else if (openids.size() > 10_000) {
        ctx.json(WechatStandIn.error(40032, "invalid openid list size: at most 10000"));
      } else {
        send(ctx, body, openids);
      }
    });
  }

  private void sendToTag(RoutingContext ctx) {
    body(ctx).ifPresent(body -> {
      JsonObject filter = body.getJsonObject("filter", new JsonObject());
      List<String> openids;
      synchronized (this) {
        Set<String> members = filter.getBoolean("is_to_all", false) ? received.keySet() : tags.get(filter.getLong("tag_id", -1L));
        openids = members == null ? null : List.copyOf(members);
      }
      if (openids == null) {
        ctx.json(WechatStandIn.error(45159, "invalid tag id"));
      } else {
        send(ctx, body, openids);
      }
    });
  }

  /**
   * Takes the send: each follower within the month's four gets it, the others are filtered; then reports the job. An
   * article (mpnews) must be one uploaded; what the followers get shows it.
   */
  private void send(RoutingContext ctx, JsonObject body, List<String> openids) {
    JsonObject shown = body.copy();
    if ("mpnews".equals(body.getString("msgtype"))) {
      Optional<JsonArray> uploaded = articles.articles(body.getJsonObject("mpnews", new JsonObject()).getString("media_id", ""));
      if (uploaded.isEmpty()) {
        ctx.json(WechatStandIn.error(40007, "invalid media_id"));
        return;
      }
      shown.put("articles", uploaded.get());
    }
    String clientMsgId = body.getString("clientmsgid");
    YearMonth month = YearMonth.now(clock);
    long msgId;
    int delivered = 0;
    synchronized (this) {
      Long earlier = clientMsgId == null ? null : clientMsgIds.get(clientMsgId);
      if (earlier != null) {
        ctx.json(WechatStandIn.error(45065, "clientmsgid exist").put("msg_id", earlier));
        return;
      }
      msgId = ++nextMsg;
      if (clientMsgId != null) {
        clientMsgIds.put(clientMsgId, msgId);
      }
      for (String openid : openids) {
        Map<YearMonth, Integer> months = received.computeIfAbsent(openid, o -> new HashMap<>());
        if (months.getOrDefault(month, 0) < MOST_PER_MONTH) {
          months.merge(month, 1, Integer::sum);
          delivered++;
        }
      }
    }
    int filtered = openids.size() - delivered;
    // Each follower's copy names that follower alone: a copy of the whole list for each of 10,000 followers held the
    // event loop for seconds (campaign-bench) and the heap with it.
    JsonObject each = shown.put("msg_id", msgId);
    each.remove("touser");
    for (String openid : openids) {
      standIn.add("mass", openid, each.copy().put("touser", openid));
    }
    ctx.json(WechatStandIn.error(0, "send job submission success").put("msg_id", msgId).put("msg_data_id", msgId));
    report(ctx, msgId, openids.size(), filtered);
  }

  private void preview(RoutingContext ctx) {
    body(ctx).ifPresent(body -> {
      String openid = body.getString("touser", body.getString("towxname", ""));
      LocalDate today = LocalDate.now(clock);
      boolean allowed;
      synchronized (this) {
        allowed = previews.merge(today, 1, Integer::sum) <= MOST_PREVIEWS;
      }
      if (!allowed) {
        ctx.json(WechatStandIn.error(45009, "reach max api daily quota limit"));
        return;
      }
      standIn.add("preview", openid, body);
      ctx.json(WechatStandIn.error(0, "preview success"));
    });
  }

  private synchronized void state(RoutingContext ctx) {
    YearMonth month = YearMonth.now(clock);
    JsonObject budget = new JsonObject();
    received.forEach((openid, months) -> budget.put(openid, months.getOrDefault(month, 0)));
    JsonObject tagged = new JsonObject();
    tags.forEach((id, members) -> tagged.put(Long.toString(id), new JsonArray(List.copyOf(members))));
    ctx.json(new JsonObject().put("tags", tagged).put("received", budget));
  }

  /** POST {"total": N}: a send to every follower made on the MP website; N followers reported (default: those known). */
  private void outside(RoutingContext ctx) {
    JsonObject body = ctx.body().asJsonObject() == null ? new JsonObject() : ctx.body().asJsonObject();
    YearMonth month = YearMonth.now(clock);
    long msgId;
    int total;
    synchronized (this) {
      msgId = ++nextMsg;
      received.values().forEach(months -> months.merge(month, 1, Integer::sum));
      total = body.getInteger("total", received.size());
    }
    ctx.json(new JsonObject().put("msg_id", msgId));
    report(ctx, msgId, total, 0);
  }

  /** Posts WeChat's report of the send to kefu's webhook, on the host the call came to, as WeChat would after the job. */
  private void report(RoutingContext ctx, long msgId, int total, int filtered) {
    if (reporter.isEmpty()) {
      return;
    }
    SimulatedWechat.Request request = reporter.get().jobFinished(ASSISTANT, msgId, total, filtered);
    synchronized (this) {
      if (client == null) {
        client = ctx.vertx().createHttpClient();
      }
    }
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST)
        .setHost(ctx.request().authority().host()).setPort(ctx.request().authority().port()).setURI("/wechat?" + request.query())
        .putHeader("Content-Type", "text/xml");
    client.request(options).compose(r -> r.send(request.body())).onComplete(done -> {
      if (done.failed() || done.result().statusCode() != 200) {
        log.warn("The stand-in could not report mass message {} to the webhook: {}", msgId,
            done.failed() ? done.cause().toString() : "HTTP " + done.result().statusCode());
      }
    });
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String::valueOf).toList();
  }
}
