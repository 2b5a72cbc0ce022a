package kefu.desk;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.greeting.CampaignFigures;
import kefu.greeting.Campaigns;
import kefu.greeting.Segment;
import kefu.greeting.SegmentFields;
import kefu.store.Database;
import kefu.template.Templates;
import kefu.web.Pages;

/**
 * Marketing's console page of campaigns ({@code /desk/campaigns}): the segment builder with its live count, the message
 * (from the samples of {@code templates/campaign.yaml} or typed), the preview to a test follower, launching now or at a
 * daytime moment, the progress bar, pause, resume and cancel, and each campaign's results. Marketing, supervisors and
 * admins use it; to agents it does not exist.
 */
public final class CampaignRoutes {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final Database database;
  private final DeskPages pages;
  private final Campaigns campaigns;
  private final CampaignFigures figures = new CampaignFigures();
  private final Templates templates;
  private final ZoneId zone;
  private final Clock clock;
  private final Vertx vertx;

  public CampaignRoutes(Vertx vertx, Database database, Pages pages, Campaigns campaigns, Templates templates, ZoneId zone, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.pages = new DeskPages(vertx, pages);
    this.campaigns = campaigns;
    this.templates = templates;
    this.zone = zone;
    this.clock = clock;
  }

  /** Adds the routes; the console's session and CSRF checks must come first ({@link DeskConsole#routes} before these). */
  public void routes(Router router) {
    router.route("/desk/campaigns*").handler(ctx -> {
      if (DeskConsole.session(ctx).agent().role().markets()) {
        ctx.next();
      } else {
        ctx.fail(404); // marketing's, supervisors' and admins' page
      }
    });
    router.get("/desk/campaigns").handler(ctx -> list(ctx, 200, new LinkedHashMap<>(), ""));
    router.get("/desk/campaigns/count").handler(this::count);
    router.post("/desk/campaigns").handler(this::create);
    router.get("/desk/campaigns/:id").handler(ctx -> show(ctx, "desk/campaign"));
    router.get("/desk/campaigns/:id/progress").handler(ctx -> show(ctx, "desk/campaign-progress"));
    router.post("/desk/campaigns/:id/preview").handler(this::preview);
    router.post("/desk/campaigns/:id/launch").handler(this::launch);
    router.post("/desk/campaigns/:id/pause").handler(ctx -> change(ctx, "paused", (c, id, now) -> campaigns.pause(c, id, now)));
    router.post("/desk/campaigns/:id/resume").handler(ctx -> change(ctx, "resumed", (c, id, now) -> campaigns.resume(c, id, now)));
    router.post("/desk/campaigns/:id/cancel").handler(ctx -> change(ctx, "cancelled", (c, id, now) -> campaigns.cancel(c, id, now)));
  }

  /** A campaign as the list shows it. */
  public record Listed(long id, String name, String status, String created, int targeted, int sent, int percent) {}

  private void list(RoutingContext ctx, int status, Map<String, String> given, String problem) {
    Map<String, String> values = new LinkedHashMap<>();
    SegmentFields.NAMES.forEach(name -> values.put(name, given.getOrDefault(name, "")));
    values.put("name", given.getOrDefault("name", ""));
    values.put("message", given.getOrDefault("message", ""));
    database.transaction(c -> {
      List<Listed> listed = new ArrayList<>();
      for (CampaignFigures.Campaign k : figures.all(c)) {
        CampaignFigures.Progress p = figures.progress(c, k.id());
        listed.add(new Listed(k.id(), k.name(), k.status(), TIME.format(k.createdAt().atZone(zone)), p.targeted(), p.sent(), p.percent()));
      }
      return listed;
    }).onSuccess(listed -> {
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("campaigns", listed);
      model.put("values", values);
      model.put("problem", problem);
      model.put("samples", templates.list("campaign.samples"));
      model.put("optOut", templates.text("greeting.opt-out-line"));
      model.put("mostMessage", Campaigns.MOST_MESSAGE);
      pages.send(ctx, status, "desk/campaigns", model);
    }).onFailure(ctx::fail);
  }

  /** The builder's live count: {"count": n}, or {"problem": field} for a criterion that makes no sense. */
  private void count(RoutingContext ctx) {
    Map<String, String> fields = new LinkedHashMap<>();
    SegmentFields.NAMES.forEach(name -> fields.put(name, Optional.ofNullable(ctx.request().getParam(name)).orElse("")));
    Segment segment;
    try {
      segment = SegmentFields.segment(fields);
    } catch (SegmentFields.Invalid e) {
      ctx.json(new JsonObject().put("problem", e.field()));
      return;
    }
    Instant now = clock.instant();
    database.transaction(c -> campaigns.count(c, segment, now))
        .onSuccess(n -> ctx.response().putHeader("Cache-Control", "no-store").putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("count", n).encode()))
        .onFailure(ctx::fail);
  }

  private void create(RoutingContext ctx) {
    Map<String, String> values = new LinkedHashMap<>();
    SegmentFields.NAMES.forEach(name -> values.put(name, DeskPages.field(ctx, name)));
    values.put("name", DeskPages.field(ctx, "name"));
    values.put("message", DeskPages.field(ctx, "message"));
    try {
      SegmentFields.segment(values);
    } catch (SegmentFields.Invalid e) {
      list(ctx, 400, values, e.field());
      return;
    }
    long author = DeskConsole.session(ctx).agent().id();
    database.transaction(c -> {
      try {
        return Optional.of(campaigns.create(c, values.get("name"), values, values.get("message"), Optional.of(author), clock.instant()));
      } catch (IllegalArgumentException e) {
        return Optional.<Long>empty(); // the name or the message empty or too long: said on the form
      }
    }).onSuccess(id -> {
      if (id.isPresent()) {
        DeskPages.redirect(ctx, "/desk/campaigns/" + id.get());
      } else {
        list(ctx, 400, values, values.get("name").isEmpty() || values.get("name").length() > Campaigns.MOST_NAME ? "name" : "message");
      }
    }).onFailure(ctx::fail);
  }

  /** A campaign's page, or its progress and results alone (fetched again while it runs). */
  private record Shown(CampaignFigures.Campaign campaign, CampaignFigures.Progress progress, CampaignFigures.Reports reports, int count) {}

  private void show(RoutingContext ctx, String page) {
    Optional<Long> id = id(ctx);
    if (id.isEmpty()) {
      ctx.fail(404);
      return;
    }
    Instant now = clock.instant();
    database.transaction(c -> {
      Optional<CampaignFigures.Campaign> found = figures.find(c, id.get());
      if (found.isEmpty()) {
        return Optional.<Shown>empty();
      }
      // The live count of a draft: the followers it would reach if launched now.
      int count = found.get().status().equals("draft") ? campaigns.count(c, SegmentFields.segment(found.get().segment()), now) : 0;
      return Optional.of(new Shown(found.get(), figures.progress(c, id.get()), figures.reports(c, id.get()), count));
    }).onSuccess(shown -> {
      if (shown.isEmpty()) {
        ctx.fail(404);
        return;
      }
      CampaignFigures.Campaign k = shown.get().campaign();
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("campaign", k);
      model.put("text", campaigns.text(k.message()));
      model.put("segment", k.segment());
      model.put("startAt", k.startAt().map(t -> TIME.format(t.atZone(zone))).orElse(""));
      model.put("count", shown.get().count());
      model.put("progress", shown.get().progress());
      model.put("reports", shown.get().reports());
      model.put("notice", Optional.ofNullable(ctx.request().getParam("notice")).orElse(""));
      model.put("code", Optional.ofNullable(ctx.request().getParam("code")).orElse(""));
      model.put("from", Optional.ofNullable(ctx.request().getParam("from")).orElse(""));
      pages.send(ctx, 200, page, model);
    }).onFailure(ctx::fail);
  }

  /** The campaign's text to one follower as WeChat's preview. */
  private void preview(RoutingContext ctx) {
    Optional<Long> id = id(ctx);
    String openid = DeskPages.field(ctx, "openid");
    if (id.isEmpty()) {
      ctx.fail(404);
      return;
    }
    database.transaction(c -> figures.find(c, id.get())).compose(found -> {
      if (found.isEmpty() || openid.isEmpty() || openid.length() > 64) {
        return Future.succeededFuture(Optional.of(Campaigns.NOT_A_FOLLOWER));
      }
      return vertx.executeBlocking(() -> campaigns.preview(found.get().message(), openid), false);
    }).onSuccess(refused -> DeskPages.redirect(ctx, "/desk/campaigns/" + id.get() + "?notice="
        + refused.map(code -> "preview-refused&code=" + code).orElse("previewed"))).onFailure(ctx::fail);
  }

  /** Launches now, or schedules at the moment given; a rest hour is refused with the first moment allowed. */
  private void launch(RoutingContext ctx) {
    Optional<Long> id = id(ctx);
    if (id.isEmpty()) {
      ctx.fail(404);
      return;
    }
    String start = DeskPages.field(ctx, "start");
    Optional<Instant> at;
    try {
      at = start.isEmpty() || DeskPages.field(ctx, "when").equals("now") ? Optional.empty()
          : Optional.of(LocalDateTime.parse(start).atZone(zone).toInstant());
    } catch (DateTimeParseException e) {
      DeskPages.redirect(ctx, "/desk/campaigns/" + id.get() + "?notice=bad-time");
      return;
    }
    Instant now = clock.instant();
    database.transaction(c -> campaigns.launch(c, id.get(), at, now)).onSuccess(launch -> {
      if (launch.outcome() == Campaigns.Outcome.STARTED) {
        campaigns.wake();
      }
      DeskPages.redirect(ctx, "/desk/campaigns/" + id.get() + "?notice=" + switch (launch.outcome()) {
        case STARTED -> "started";
        case SCHEDULED -> "scheduled";
        case NOT_DRAFT -> "not-draft";
        case REST_HOURS -> "rest-hours&from=" + TIME.format(launch.allowedFrom().orElseThrow().atZone(zone)).replace(' ', '+');
      });
    }).onFailure(ctx::fail);
  }

  /** A change of a campaign in its transaction. */
  private interface Change {
    boolean apply(Connection c, long id, Instant now) throws SQLException;
  }

  private void change(RoutingContext ctx, String done, Change change) {
    Optional<Long> id = id(ctx);
    if (id.isEmpty()) {
      ctx.fail(404);
      return;
    }
    database.transaction(c -> change.apply(c, id.get(), clock.instant())).onSuccess(changed -> {
      if (changed) {
        campaigns.wake();
      }
      DeskPages.redirect(ctx, "/desk/campaigns/" + id.get() + "?notice=" + (changed ? done : "unchanged"));
    }).onFailure(ctx::fail);
  }

  private static Optional<Long> id(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return id != null && id.matches("\\d{1,18}") ? Optional.of(Long.parseLong(id)) : Optional.empty();
  }
}
