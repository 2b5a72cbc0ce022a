package kefu.desk;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import kefu.config.KefuConfig;
import kefu.config.SendingHours;
import kefu.greeting.GreetingFigures;
import kefu.greeting.GreetingPlan;
import kefu.greeting.GreetingPlans;
import kefu.store.Database;
import kefu.web.Pages;

/**
 * The marketing and supervisors' page of greetings ({@code /desk/greetings}): today's and this month's, planned, sent by
 * channel, excluded and why, each greeting of today, and the month's mass messages with WeChat's results.
 */
public final class GreetingRoutes {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");

  private final Database database;
  private final DeskPages pages;
  private final GreetingFigures figures = new GreetingFigures();
  private final GreetingPlans plans;
  private final KefuConfig.Quotas quotas;
  private final SendingHours hours;
  private final ZoneId zone;
  private final Clock clock;

  /** @param hours the customers' rest hours (journey.quiet-hours), in which greetings wait */
  public GreetingRoutes(Vertx vertx, Database database, Pages pages, GreetingPlans plans, KefuConfig.Quotas quotas, SendingHours hours,
      Clock clock) {
    this.database = database;
    this.plans = plans;
    this.pages = new DeskPages(vertx, pages);
    this.quotas = quotas;
    this.hours = hours;
    this.zone = hours.zone();
    this.clock = clock;
  }

  /** Adds the routes; the console's session check must come first ({@link DeskConsole#routes} before these). */
  public void routes(Router router) {
    router.get("/desk/greetings").handler(this::show);
  }

  /**
   * A greeting as the page lists it: its time local, the customer by name only (the phone and openid stay out).
   *
   * @param heldUntil when a greeting due already waits for the customers' rest hours to end, when it goes; "missed" if
   *     they last past its day (it is not sent the day after); else empty
   */
  public record Listed(String plan, String reference, String name, String due, String status, String channel, String reason,
      String heldUntil) {}

  /**
   * A plan as the page names and describes it; the page words the occasion and whom it greets.
   *
   * @param title its own title; empty: the page names it by its occasion
   * @param article whether it sends an article (图文) rather than a text
   * @param giftDaysBefore the gift reminder's days ahead; -1: none
   */
  public record Plan(String name, String title, String occasion, String who, String line, String member, String tag, String milestone,
      String at, boolean article, int giftDaysBefore) {
    static Plan of(GreetingPlan p) {
      GreetingPlan.Segment s = p.segment();
      return new Plan(p.name(), p.title().orElse(""), key(p.occasion()), key(p.who()), s.line().orElse(""),
          s.member().map(String::valueOf).orElse(""), s.tag().orElse(""), s.milestone().orElse(""), p.at().toString(), p.article(),
          p.gift().map(GreetingPlan.Gift::daysBefore).orElse(-1));
    }

    private static String key(Enum<?> value) {
      return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** A mass message as the page lists it. */
  public record Mass(long id, String purpose, String label, String target, int recipients, String status, String created, String result) {}

  private record Page(GreetingFigures.Counts today, GreetingFigures.Counts month, List<GreetingFigures.Greeting> greetings,
      List<GreetingFigures.Scheduled> schedule, List<GreetingFigures.MassSend> sends) {}

  private void show(RoutingContext ctx) {
    if (!DeskConsole.session(ctx).agent().role().markets()) {
      ctx.fail(404); // marketing's and supervisors' page
      return;
    }
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, zone);
    // What is due now waits while the customers rest, and goes when the rest ends.
    ZonedDateTime restEnds = hours.next(now.atZone(zone), true);
    String heldUntil = hours.outsideRests(now) ? "" : restEnds.toLocalDate().isAfter(today) ? "missed" : TIME.format(restEnds);
    YearMonth month = YearMonth.from(today);
    database.transaction(c -> new Page(figures.counts(c, today, today), figures.counts(c, month.atDay(1), month.atEndOfMonth()),
        Stream.concat(figures.of(c, today).stream(), figures.foreseen(c, plans, today, zone).stream()).toList(),
        figures.schedule(c, plans, today, month.atDay(1), month.atEndOfMonth()), figures.massSends(c, month))).onSuccess(found -> {
          Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
          model.put("today", today.toString());
          model.put("todayDate", today);
          model.put("month", month.toString());
          model.put("todayCounts", found.today());
          model.put("monthCounts", found.month());
          // By name, for the greetings and mass messages that name their plan.
          Map<String, Plan> byName = new LinkedHashMap<>();
          plans.all().forEach(p -> byName.put(p.name(), Plan.of(p)));
          model.put("plans", byName);
          model.put("schedule", found.schedule());
          model.put("greetings", found.greetings().stream().map(g -> new Listed(g.plan(), g.reference(), g.name().orElse(""),
              TIME.format(g.dueAt().atZone(zone)), g.status(), g.channel().orElse(""), g.reason().orElse(""),
              g.status().equals("planned") && !g.dueAt().isAfter(now) ? heldUntil : "")).toList());
          model.put("sends", found.sends().stream().map(m -> new Mass(m.id(), m.purpose(), m.label(), m.target(), m.recipients(), m.status(),
              TIME.format(m.createdAt().atZone(zone)), m.total().map(t -> "共 " + t + "，过滤 " + m.filtered().orElse(0) + "，成功 "
                  + m.sent().orElse(0) + "，失败 " + m.errors().orElse(0)).orElse(m.errorCode().map(code -> "错误码 " + code).orElse("")))).toList());
          model.put("perMonth", quotas.massPerMonth());
          model.put("reserve", quotas.massGreetingReserve());
          pages.send(ctx, 200, "desk/greetings", model);
        }).onFailure(ctx::fail);
  }
}
