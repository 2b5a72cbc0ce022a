package kefu.channel.wechat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import kefu.channel.simulator.WechatStandIn;
import kefu.config.KefuConfig;
import kefu.dialog.Bot;
import kefu.dialog.Dialogue;
import kefu.kb.FaqEngine;
import kefu.kb.MatchModel;
import kefu.store.Database;
import kefu.store.InProcessCoordination;
import kefu.template.Templates;
import kefu.ticket.TicketEvents;

/**
 * The WeChat channel alone on a real HTTP server beside the API stand-in, its bot the dialogue as the test wraps it:
 * for tests that hold or break the bot, which a whole node cannot.
 */
final class ChannelOnStandIn implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final Database database;
  final int port;
  final WechatChannel channel;
  private final List<AutoCloseable> opened = new ArrayList<>();

  ChannelOnStandIn(KefuConfig config, Path dir, Templates templates, Clock clock, Function<Dialogue, Bot> bot) {
    database = closing(Database.open(config.db(), vertx, new SimpleMeterRegistry()));
    InProcessCoordination coordination = closing(new InProcessCoordination());
    // Words only and never built: small talk is answered at once; a question gets the fallback after the (failed)
    // search, in a second transaction, as a question for a real knowledge base would.
    FaqEngine faq = closing(new FaqEngine(dir.resolve("knowledge-base"), dir.resolve("kb-index"), null, null, MatchModel::shipped, clock));
    Dialogue dialogue = new Dialogue(templates, faq, config.dialog(), config.desk().calendar(), new TicketEvents(coordination));
    channel = closing(new WechatChannel(vertx, config, database, coordination, bot.apply(dialogue), templates, WechatChannel.Listeners.NONE,
        new SimpleMeterRegistry(), clock));
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false));
    channel.routes(router);
    new WechatStandIn(clock).routes(router);
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    port = server.actualPort();
    channel.start("http://127.0.0.1:" + port + WechatStandIn.PATH);
  }

  private <T extends AutoCloseable> T closing(T resource) {
    opened.add(resource);
    return resource;
  }

  /** Closes what it opened, last first, then Vert.x. */
  @Override
  public void close() throws Exception {
    for (int i = opened.size() - 1; i >= 0; i--) {
      opened.get(i).close();
    }
    vertx.close().await();
  }
}
