package kefu.channel.simulator;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import kefu.channel.wechat.WechatMenu;
import kefu.channel.wechat.WechatXmlException;
import kefu.template.TemplateException;

/**
 * {@code /simulator}: a page on which a person chats with kefu as a WeChat customer would. The page asks here for
 * each message written and signed as WeChat would send it, posts that to {@code /wechat} itself, and shows the
 * passive replies and what the stand-in API received.
 */
public final class SimulatorPage {
  private final Path templatesDir;
  private final SimulatedWechat wechat;
  private final Optional<String> subscribeTemplate;

  /** @param subscribeTemplate the subscription notice customers are asked to allow; empty: the page offers none */
  public SimulatorPage(Path templatesDir, SimulatedWechat wechat, Optional<String> subscribeTemplate) {
    this.templatesDir = templatesDir;
    this.wechat = wechat;
    this.subscribeTemplate = subscribeTemplate;
  }

  public void routes(Router router) {
    router.get("/simulator").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .sendFile(templatesDir.resolve("pages").resolve("simulator.html").toString()));
    router.get("/simulator/assets/*").handler(StaticHandler.create("kefu/simulator").setCachingEnabled(false));
    router.post(WechatStandIn.PATH + "/envelope").handler(this::envelope);
    router.post(WechatStandIn.PATH + "/read").handler(this::read);
    router.get(WechatStandIn.PATH + "/menu").handler(this::menu);
    router.get(WechatStandIn.PATH + "/consent").handler(ctx -> ctx.json(new JsonObject().put("template", subscribeTemplate.orElse(null))));
  }

  /**
   * POST {"openid", "type": text|voice|image|event|consent, "content", "recognition", "event", "key", "choice",
   * "accepted"}: the request WeChat would make for it; a consent is the popup of the consent page answered.
   */
  private void envelope(RoutingContext ctx) {
    JsonObject in = ctx.body().asJsonObject();
    String openid = in == null ? null : in.getString("openid");
    if (openid == null || !openid.matches("[A-Za-z0-9_-]{1,64}")) {
      ctx.response().setStatusCode(400).end("openid: 1–64 letters, digits, - or _");
      return;
    }
    String type = in.getString("type", "text");
    SimulatedWechat.Request request = switch (type) {
      case "text" -> in.getString("choice") == null ? wechat.text(openid, in.getString("content", ""))
          : wechat.message(openid, "text", Map.of("Content", in.getString("content", ""), "bizmsgmenuid", in.getString("choice")));
      case "voice" -> wechat.message(openid, "voice", Map.of("MediaId", "sim-voice", "Format", "amr",
          "Recognition", in.getString("recognition", "")));
      case "image" -> wechat.message(openid, "image", Map.of("PicUrl", "https://example.com/simulated.jpg", "MediaId", "sim-image"));
      case "event" -> wechat.event(openid, in.getString("event", "subscribe"), in.getString("key"));
      case "consent" -> subscribeTemplate.map(id -> wechat.subscribeDecisions(openid, true, Map.of(id, in.getBoolean("accepted", true))))
          .orElse(null);
      default -> null;
    };
    if (request == null) {
      ctx.response().setStatusCode(400).end(type.equals("consent") ? "no journey.subscribe-template is configured"
          : "type: text, voice, image, event or consent");
      return;
    }
    ctx.json(request.toJson());
  }

  /** POST {"body": what /wechat answered}: its fields, opened if encrypted. */
  private void read(RoutingContext ctx) {
    JsonObject in = ctx.body().asJsonObject();
    try {
      ctx.json(new JsonObject(Map.copyOf(wechat.open(in == null ? "" : in.getString("body", "")))));
    } catch (WechatXmlException e) {
      ctx.response().setStatusCode(400).end(e.getMessage());
    }
  }

  private void menu(RoutingContext ctx) {
    try {
      ctx.json(WechatMenu.load(templatesDir));
    } catch (TemplateException e) {
      ctx.response().setStatusCode(500).end(e.getMessage());
    }
  }
}
