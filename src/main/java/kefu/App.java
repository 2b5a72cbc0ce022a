package kefu;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.ZoneId;
import java.util.function.Consumer;
import kefu.channel.simulator.SimulatedWechat;
import kefu.customer.CustomerRecords;
import kefu.customer.MilestoneApi;
import kefu.customer.MilestoneChanges;
import kefu.customer.OwnMilestones;
import kefu.customer.RecordLinks;
import kefu.customer.CustomerImport;
import kefu.desk.CallRoutes;
import kefu.desk.DeskConsole;
import kefu.desk.CampaignRoutes;
import kefu.desk.GreetingRoutes;
import kefu.desk.RecordRoutes;
import kefu.desk.SurveyRoutes;
import kefu.ticket.TicketEvents;
import kefu.web.Pages;
import kefu.channel.simulator.SimulatorPage;
import kefu.channel.simulator.WechatStandIn;
import kefu.channel.wechat.WechatChannel;
import kefu.channel.wechat.WechatCrypto;
import kefu.cli.KefuCommand;
import kefu.dialog.Dialogue;
import kefu.gaps.BotFigures;
import kefu.gaps.ConsoleEdits;
import kefu.conversation.Article;
import kefu.conversation.Delivery;
import kefu.gaps.RecordingBot;
import kefu.greeting.Campaigns;
import kefu.greeting.ChineseDates;
import kefu.greeting.GreetingPlans;
import kefu.greeting.Greetings;
import kefu.greeting.OptOutBot;
import kefu.greeting.Segments;
import kefu.journey.CallTasks;
import kefu.journey.CoverageGauges;
import kefu.journey.ConsentPage;
import kefu.journey.Consents;
import kefu.journey.Plans;
import kefu.journey.StepRefusals;
import kefu.journey.SurveyStart;
import kefu.journey.Scheduler;
import kefu.journey.Sender;
import kefu.kb.QuestionClusters;
import kefu.report.ManagerLine;
import kefu.report.ReportTimer;
import kefu.survey.SurveyAnswers;
import kefu.survey.SurveyBot;
import kefu.survey.SurveyChat;
import kefu.survey.SurveyComplaints;
import kefu.survey.Surveys;
import kefu.report.Reports;
import kefu.template.Templates;
import io.vertx.core.WorkerExecutor;
import kefu.config.KefuConfig;
import kefu.config.SendingHours;
import kefu.kb.KbSearchHandler;
import kefu.kb.KnowledgeBaseService;
import kefu.store.Coordination;
import kefu.store.CoordinationException;
import kefu.store.Database;
import kefu.store.InProcessCoordination;
import kefu.store.RedisCoordination;
import kefu.web.ApiKey;
import kefu.web.ClientAddress;
import kefu.web.Health;
import kefu.web.HttpServerVerticle;
import kefu.web.Routes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * A running kefu node: starts configuration → stores → verticles in that order, and stops them gracefully in
 * reverse.
 */
public final class App {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

  private final KefuConfig config;
  private final PrometheusMeterRegistry registry;
  private final Vertx vertx;
  private final Database database;
  private final Coordination coordination;
  private final KnowledgeBaseService knowledgeBase;
  private final ConsoleEdits consoleEdits;
  private BotFigures botFigures;
  private final Templates templates;
  private final Clock clock;
  private WechatChannel wechat;
  private DeskConsole desk;
  private Scheduler journeys;
  private CoverageGauges coverage;
  private Greetings greetings;
  private Campaigns campaigns;
  private SurveyChat surveyChat;
  private ReportTimer reportTimer;
  private final List<String> deployments = new ArrayList<>();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private int port;

  private App(KefuConfig config, PrometheusMeterRegistry registry, Vertx vertx, Database database,
      Coordination coordination, KnowledgeBaseService knowledgeBase, ConsoleEdits consoleEdits, Templates templates, Clock clock) {
    this.config = config;
    this.registry = registry;
    this.vertx = vertx;
    this.database = database;
    this.coordination = coordination;
    this.knowledgeBase = knowledgeBase;
    this.consoleEdits = consoleEdits;
    this.templates = templates;
    this.clock = clock;
  }

  /** The command line: {@code serve} (the default) and the other sub-commands. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new KefuCommand()).execute(args));
  }

  /**
   * The wall clock, in the business's zone: the one place kefu reads the time of day. Everything else is given a
   * {@link Clock}, so that tests drive every schedule.
   */
  public static Clock clock(KefuConfig config) {
    return clock(config.desk().calendar().zone());
  }

  /** The wall clock in {@code zone}, for the commands that have no business configuration. */
  public static Clock clock(ZoneId zone) {
    return Clock.system(zone);
  }

  /** Starts a node on the wall {@link #clock(KefuConfig)}; see {@link #start(KefuConfig, Clock)}. */
  public static App start(KefuConfig config) {
    return start(config, clock(config));
  }

  /**
   * Starts a node that reads the time from {@code clock} and returns once it serves HTTP. Blocks: call it from a
   * main or test thread.
   *
   * @param clock every time the node reads, in the business's zone
   * @throws RuntimeException if a store cannot be reached or the port cannot be bound; what was started is
   *     stopped again
   */
  public static App start(KefuConfig config, Clock clock) {
    try {
      Files.createDirectories(config.paths().dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data.dir " + config.paths().dataDir(), e);
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)))
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
    Database database = null;
    Coordination coordination = null;
    KnowledgeBaseService knowledgeBase = null;
    App app = null;
    try {
      Templates templates = Templates.load(config.paths().templatesDir());
      database = Database.open(config.db(), vertx, registry);
      coordination = coordination(config);
      ConsoleEdits consoleEdits = new ConsoleEdits(database);
      knowledgeBase = KnowledgeBaseService.start(config, consoleEdits, clock);
      app = new App(config, registry, vertx, database, coordination, knowledgeBase, consoleEdits, templates, clock);
      app.deploy();
      return app;
    } catch (RuntimeException e) {
      if (app != null && app.journeys != null) {
        app.journeys.close();
      }
      if (app != null && app.coverage != null) {
        app.coverage.close();
      }
      if (app != null && app.greetings != null) {
        app.greetings.close();
      }
      if (app != null && app.campaigns != null) {
        app.campaigns.close();
      }
      if (app != null && app.surveyChat != null) {
        app.surveyChat.close();
      }
      if (app != null && app.wechat != null) {
        app.wechat.close();
      }
      if (app != null && app.desk != null) {
        app.desk.close();
      }
      if (app != null) {
        app.closeKnowledgeBaseWatch();
      }
      if (knowledgeBase != null) {
        knowledgeBase.close();
      }
      if (coordination != null) {
        coordination.close();
      }
      if (database != null) {
        database.close();
      }
      vertx.close().await();
      registry.close();
      throw e;
    }
  }

  private static Coordination coordination(KefuConfig config) {
    if (config.redis().isEmpty()) {
      return new InProcessCoordination();
    }
    KefuConfig.Redis redis = config.redis().get();
    RedisCoordination coordination = new RedisCoordination(redis.url(), redis.prefix(), "kefu-" + config.nodeId(), REDIS_TIMEOUT);
    try {
      coordination.ping();
    } catch (CoordinationException e) {
      // A node keeps running through a Redis outage; starting in one is the same case.
      log.warn("Redis {} does not answer yet ({}); /health reports it until it does", redis, e.getMessage());
    }
    return coordination;
  }

  private void deploy() {
    Health health = new Health()
        .add("database", true, () -> database.check().map(ok -> new JsonObject().put("kind", config.db().embedded() ? "h2" : "postgresql")))
        // Not required even with Redis: every node shares it, so a balancer that took nodes out for it would take
        // them all, while without it a node still answers WeChat (the outbox waits; consoles refresh once a minute).
        .add("coordination", false, () -> vertx.executeBlocking(() -> {
          coordination.ping();
          return new JsonObject().put("kind", config.redis().isPresent() ? "redis" : "in-process");
        }, false))
        .add("knowledge-base", false, knowledgeBase::health);
    WorkerExecutor kbWorkers = vertx.createSharedWorkerExecutor("kefu-kb", Runtime.getRuntime().availableProcessors());
    Dialogue dialogue = new Dialogue(templates, knowledgeBase.engine(), config.dialog(), config.desk().calendar(),
        new TicketEvents(coordination));
    CustomerRecords records = new CustomerRecords(MilestoneChanges.NONE);
    RecordLinks links = new RecordLinks(records);
    Plans plans = Plans.load(config.paths().templatesDir(), templates);
    Surveys surveys = Surveys.load(config.paths().templatesDir(), templates);
    // The desk is made after the channel it writes through: its complaints are reached through it once it exists.
    SurveyComplaints feedback = new SurveyComplaints() {
      @Override
      public long open(Connection c, long customerId, String told, Instant now) throws SQLException {
        return desk.feedback().open(c, customerId, told, now);
      }

      @Override
      public void opened() {
        desk.feedback().opened();
      }
    };
    // Each turn also records the question and what followed it: the bot's figures and the questions the knowledge base
    // lacks; a survey the customer is in the middle of takes the answers to it first; and a customer's 退订 and 恢复 of
    // greetings and marketing are answered at once and stored with the turn, survey or not.
    OptOutBot bot = new OptOutBot(new SurveyBot(new RecordingBot(dialogue, config.dialog().idleTimeout()), surveys, feedback,
        config.journey().surveyExpiry()), templates);
    Consents consents = new Consents();
    // A survey step in the window is asked in the chat; WeChat's refusal of it ends the survey (made after the channel).
    SurveyStart surveyStart = new SurveyStart() {
      @Override
      public Optional<Long> start(Connection c, long recordId, long stepId, long customerId, String survey, Instant now) throws SQLException {
        return Optional.of(surveyChat.ask(c, recordId, stepId, customerId, survey, now));
      }

      @Override
      public void undelivered(Connection c, long stepId, Instant now) throws SQLException {
        surveyChat.undelivered(c, stepId, now);
      }
    };
    // The channel tells the journeys of customers' consents and of the refusals of follow-ups, each in its own transaction.
    wechat = new WechatChannel(vertx, config, database, coordination, bot, templates, new WechatChannel.Listeners(links::scanned,
        (c, customerId, decision, at) -> consents.decided(c, customerId, decision.templateId(), decision.popup(), decision.accepted(), at),
        new StepRefusals(consents, surveyStart, templates)::refused), registry, clock);
    surveyChat = new SurveyChat(vertx, database, surveys, wechat::queue, feedback, config.journey().surveyExpiry(), clock);
    consoleEdits.start(vertx, coordination, knowledgeBase.engine());
    botFigures = new BotFigures(vertx, database, knowledgeBase.engine(), registry, clock);
    KbSearchHandler search = new KbSearchHandler(knowledgeBase.engine(), kbWorkers);
    List<Consumer<Router>> features = new ArrayList<>(List.of(
        router -> router.get("/api/kb/search").handler(new ApiKey(config.http().apiKey())).handler(search),
        wechat::routes));
    OwnMilestones ownMilestones = new OwnMilestones(records, config.desk().calendar().zone());
    QuestionClusters clusters = new QuestionClusters(knowledgeBase.encoder());
    // The manager of desk.manager-openid gets each new report on WeChat; the ranking has a column per survey question.
    SurveyAnswers surveyAnswers = new SurveyAnswers(surveys, plans::surveyOf, feedback);
    ManagerLine manager = config.desk().managerOpenid().map(openid -> ManagerLine.through(wechat.delivery(), openid,
        config.wechat().serviceTemplateId().isPresent())).orElse(ManagerLine.NONE);
    Reports reports = new Reports(database, config.desk().calendar().zone(), config.report(), templates, clusters::group,
        new SurveyColumns(surveys, surveyAnswers), manager);
    desk = new DeskConsole(vertx, database, coordination, new Pages(config.paths().templatesDir()), templates,
        wechat.delivery(), knowledgeBase.engine(), clusters, consoleEdits, botFigures,
        reports, config.desk(), registry, new ClientAddress(config.http().trustedProxies()),
        config.mode() == KefuConfig.Mode.PRODUCTION,
        // A closed chat is a milestone of the customer's records (and a repair's, for equipment): kefu's own.
        (c, customerId, ticketId, now) -> ownMilestones.ticketClosed(c, customerId, now),
        clock);
    features.add(desk::routes);
    Sender sender = Sender.through(wechat.delivery(), config.wechat().serviceTemplateId().isPresent());
    journeys = new Scheduler(vertx, database, plans, templates, sender, surveyStart, config, clock);
    CallTasks calls = new CallTasks(plans, templates, config.journey(), config.desk().calendar().zone());
    coverage = new CoverageGauges(vertx, database, plans, registry, clock);
    GreetingPlans greetingPlans = GreetingPlans.load(config.paths().templatesDir(), templates);
    greetings = new Greetings(vertx, database, greetingPlans, templates,
        serviceMessages(sender), wechat.broadcasts(), calls::openForGreeting, config, clock);
    campaigns = new Campaigns(vertx, database, new Segments(new ChineseDates()), wechat.broadcasts(), templates, config, clock,
        Campaigns.BATCH);
    features.add(new ConsentPage(vertx, new Pages(config.paths().templatesDir()), templates, config.journey().subscribeTemplate(),
        config.journey().consentUrl(), url -> {
          WechatChannel.JsapiSignature s = wechat.jsapiSignature(url);
          return new ConsentPage.Signature(s.appId(), s.timestamp(), s.nonce(), s.signature());
        })::routes);
    features.add(new MilestoneApi(database, records, new ApiKey(config.http().integrationKeys()), clock)::routes);
    // After the console's routes, so that its session and CSRF checks come first.
    features.add(new RecordRoutes(vertx, database, new Pages(config.paths().templatesDir()), records, links,
        new CustomerImport(database, records, clock), wechat.qrCodes(), config.wechat().simulator(), calls, clock)::routes);
    features.add(new CallRoutes(vertx, database, new Pages(config.paths().templatesDir()), calls, records, clock)::routes);
    features.add(new GreetingRoutes(vertx, database, new Pages(config.paths().templatesDir()), greetingPlans, config.wechat().quotas(),
        new SendingHours(config.journey(), config.desk().calendar()), clock)::routes);
    features.add(new CampaignRoutes(vertx, database, new Pages(config.paths().templatesDir()), campaigns, templates,
        config.desk().calendar().zone(), clock)::routes);
    features.add(new SurveyRoutes(vertx, database, new Pages(config.paths().templatesDir()), surveyAnswers,
        feedback, config.desk().calendar().zone(), clock)::routes);
    // After the console's routes, so that its session check comes first: the same search for staff logged in.
    features.add(router -> router.get("/desk/kb/search").handler(search));
    if (config.wechat().simulator()) {
      SimulatedWechat simulated = new SimulatedWechat(config.wechat().token(), new WechatCrypto(config.wechat()), clock);
      features.add(new WechatStandIn(clock, Optional.of(simulated))::routes);
      features.add(new SimulatorPage(config.paths().templatesDir(), simulated, config.journey().subscribeTemplate())::routes);
    }
    Routes routes = new Routes(config.http().bodyLimitBytes(), health, registry, features);
    // Servers on the same port share it, one per core. Servers on port 0 would each get a random port of
    // their own (Vert.x shares a random port only for TCP servers), so a free port gets one server.
    int instances = config.http().port() == 0 ? 1 : Runtime.getRuntime().availableProcessors();
    List<HttpServerVerticle> servers = new CopyOnWriteArrayList<>();
    deployments.add(vertx.deployVerticle(() -> {
      HttpServerVerticle server = new HttpServerVerticle(
          config.http().host(), config.http().port(), config.http().shutdownTimeout(), routes::router);
      servers.add(server);
      return server;
    }, new DeploymentOptions().setInstances(instances)).await());
    port = servers.get(0).actualPort();
    wechat.start(config.wechat().account().map(KefuConfig.Account::apiHost)
        .orElse("http://127.0.0.1:" + port + WechatStandIn.PATH));
    journeys.start();
    greetings.start();
    campaigns.start();
    surveyChat.start();
    log.info("kefu serving on http://{}:{} (node {}, {} mode, database {}, coordination {}, {})",
        config.http().host(), port, config.nodeId(), config.mode().name().toLowerCase(),
        config.db().embedded() ? "H2" : "PostgreSQL", config.redis().map(Object::toString).orElse("in-process"), config.wechat());
    if (config.wechat().simulator()) {
      log.info("WeChat simulator: chat as a customer at http://127.0.0.1:{}/simulator", port);
    }
    desk.offerSetup(port);
    // At start too: a report whose time passed while the service was down is made now.
    TicketEvents consoles = new TicketEvents(coordination);
    reportTimer = new ReportTimer(vertx, reports, clock, made -> consoles.reportMade(made.id()));
  }

  /** Greetings' customer-service messages go as the journeys' do: within the window, through the outbox. */
  private static Greetings.ServiceMessages serviceMessages(Sender sender) {
    return new Greetings.ServiceMessages() {
      @Override
      public boolean open(Connection c, long customerId, Instant now) throws SQLException {
        Delivery.Allowance allowance = sender.allowance(c, customerId, now);
        return allowance.closesAt().isPresent() && allowance.left() > 0;
      }

      @Override
      public void queue(Connection c, long customerId, String text, Instant now) throws SQLException {
        sender.queue(c, customerId, text, Delivery.Route.SERVICE, Optional.empty(), now);
      }

      @Override
      public void queue(Connection c, long customerId, Article article, Instant now) throws SQLException {
        sender.queue(c, customerId, article, now);
      }

      @Override
      public void wake() {
        sender.wake();
      }
    };
  }

  /** Stops looking for the console's knowledge-base edits and reading the bot's figures: before the stores close. */
  private void closeKnowledgeBaseWatch() {
    consoleEdits.close();
    if (botFigures != null) {
      botFigures.close();
    }
  }

  /** The follow-up journeys' scheduler: tests drive it with {@link Scheduler#runDue} at the time they choose. */
  public Scheduler journeys() {
    return journeys;
  }

  /** The greetings' scheduler: tests drive it with {@link Greetings#runDue} at the time they choose. */
  public Greetings greetings() {
    return greetings;
  }

  /** The campaigns' runner: tests drive it with {@link Campaigns#runDue} at the time they choose. */
  public Campaigns campaigns() {
    return campaigns;
  }

  /** The surveys asked in the chat: tests end the unanswered ones with {@link SurveyChat#expireDue} at the time they choose. */
  public SurveyChat surveys() {
    return surveyChat;
  }

  /** The HTTP port this node serves on. */
  public int port() {
    return port;
  }

  /**
   * Stops gracefully: the servers stop accepting and finish the requests in flight, then the stores close.
   * Blocks until done; a second call waits for the first.
   */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      awaitStop();
      return;
    }
    log.info("kefu stopping");
    try {
      for (int i = deployments.size() - 1; i >= 0; i--) {
        vertx.undeploy(deployments.get(i)).await();
      }
      journeys.close();
      coverage.close();
      greetings.close();
      campaigns.close();
      surveyChat.close();
      wechat.close();
      desk.close();
      if (reportTimer != null) {
        reportTimer.close();
      }
      closeKnowledgeBaseWatch();
      coordination.close();
      knowledgeBase.close();
      database.close();
      vertx.close().await();
      registry.close();
      log.info("kefu stopped");
    } finally {
      stopped.countDown();
    }
  }

  /** Waits until {@link #stop()} has finished. */
  private void awaitStop() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
