package kefu.customer;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import kefu.store.Database;
import kefu.web.ApiKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/milestones}: the business's own systems (order system, ERP) set and cancel customers' milestones, each
 * with its own key of {@code http.integration-keys}.
 *
 * <ul>
 *   <li>{@code POST /api/milestones} {"reference", "kind", "date": "2026-05-01"} sets a milestone: 201 when added,
 *       200 when moved or unchanged. A reference not on file is 404, unless {"line": "studio"|"equipment"} is
 *       given, which creates the record.
 *   <li>{@code PUT /api/milestones/REFERENCE/KIND} {"date"} does the same for one record and kind.
 *   <li>{@code DELETE /api/milestones/REFERENCE/KIND} {"reason"} (or {@code ?reason=}) cancels it, keeping the date
 *       and the reason: 200, or 404 if there is none.
 * </ul>
 * Without a valid key 401; bad input 400 with {"error": what is wrong}.
 */
public final class MilestoneApi {
  private static final Logger log = LoggerFactory.getLogger(MilestoneApi.class);
  private static final String PATH = "/api/milestones";

  private final Database database;
  private final CustomerRecords records;
  private final ApiKey keys;
  private final Clock clock;

  public MilestoneApi(Database database, CustomerRecords records, ApiKey keys, Clock clock) {
    this.database = database;
    this.records = records;
    this.keys = keys;
    this.clock = clock;
  }

  public void routes(Router router) {
    router.route(PATH).handler(keys);
    router.route(PATH + "/*").handler(keys);
    router.post(PATH).handler(ctx -> set(ctx, body(ctx)));
    router.put(PATH + "/:reference/:kind").handler(ctx -> {
      Optional<JsonObject> body = body(ctx);
      set(ctx, body.map(b -> b.copy().put("reference", ctx.pathParam("reference")).put("kind", ctx.pathParam("kind"))));
    });
    router.delete(PATH + "/:reference/:kind").handler(this::cancel);
  }

  /** Bad input, said plainly. */
  private static final class BadInput extends Exception {
    BadInput(String message) {
      super(message);
    }
  }

  private void set(RoutingContext ctx, Optional<JsonObject> given) {
    String reference;
    MilestoneKind kind;
    LocalDate date;
    Optional<String> line;
    try {
      JsonObject body = given.orElseThrow(() -> new BadInput("the body must be a JSON object"));
      reference = reference(body.getValue("reference"));
      kind = kind(body.getValue("kind"));
      date = date(body.getValue("date"));
      Object lineValue = body.getValue("line");
      line = lineValue == null ? Optional.empty() : Optional.of(Optional.ofNullable(lineValue instanceof String s
          ? CustomerImport.LINES.get(s.strip().toLowerCase(Locale.ROOT)) : null)
          .orElseThrow(() -> new BadInput("line: studio or equipment")));
    } catch (BadInput e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    String caller = ApiKey.caller(ctx);
    database.transaction(c -> {
      Optional<CustomerRecord> record = records.byReference(c, reference);
      boolean created = false;
      if (record.isEmpty()) {
        if (line.isEmpty()) {
          return Optional.<JsonObject>empty();
        }
        record = Optional.of(records.save(c, reference, line.get(), CustomerRecord.Details.NONE, clock.instant()));
        created = true;
      }
      CustomerRecords.Change change = records.setMilestone(c, record.get().id(), kind, date, Milestone.Source.API, clock.instant());
      log.info("Milestones: {} {} the {} of {}", caller, change.name().toLowerCase(Locale.ROOT), kind.key(), record.get());
      return Optional.of(json(reference, records.milestone(c, record.get().id(), kind).orElseThrow())
          .put("change", change.name().toLowerCase(Locale.ROOT))
          .put("status", created || change == CustomerRecords.Change.ADDED ? 201 : 200));
    }).onSuccess(answer -> {
      if (answer.isEmpty()) {
        error(ctx, 404, "no customer record " + reference + "; give \"line\" (studio or equipment) to create it");
      } else {
        JsonObject json = answer.get();
        int status = (Integer) json.remove("status");
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8").end(json.encode());
      }
    }).onFailure(ctx::fail);
  }

  private void cancel(RoutingContext ctx) {
    String reference = ctx.pathParam("reference");
    MilestoneKind kind;
    String reason;
    try {
      kind = kind(ctx.pathParam("kind"));
      Object given = Optional.ofNullable(ctx.queryParams().get("reason")).<Object>map(r -> r)
          .orElseGet(() -> body(ctx).map(b -> b.getValue("reason")).orElse(null));
      if (!(given instanceof String text) || text.isBlank()) {
        throw new BadInput("reason: why the milestone is cancelled, as text (kept with it)");
      }
      reason = text.strip();
      if (reason.length() > CustomerRecords.MAX_REASON) {
        throw new BadInput("reason: at most " + CustomerRecords.MAX_REASON + " characters");
      }
    } catch (BadInput e) {
      error(ctx, 400, e.getMessage());
      return;
    }
    String caller = ApiKey.caller(ctx);
    database.transaction(c -> {
      Optional<CustomerRecord> record = records.byReference(c, reference);
      if (record.isEmpty()) {
        return Optional.<JsonObject>empty();
      }
      Optional<Milestone> cancelled = records.cancelMilestone(c, record.get().id(), kind, reason, clock.instant());
      cancelled.ifPresent(m -> log.info("Milestones: {} cancelled the {} of {}", caller, kind.key(), record.get()));
      return cancelled.map(m -> json(reference, m));
    }).onSuccess(answer -> {
      if (answer.isEmpty()) {
        error(ctx, 404, "no " + kind.key() + " milestone of a customer record " + reference);
      } else {
        ctx.json(answer.get());
      }
    }).onFailure(ctx::fail);
  }

  private static Optional<JsonObject> body(RoutingContext ctx) {
    try {
      return ctx.body().length() == 0 ? Optional.empty() : Optional.ofNullable(ctx.body().asJsonObject());
    } catch (DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }

  private static String reference(Object value) throws BadInput {
    if (!(value instanceof String text) || text.isBlank() || text.strip().length() > CustomerRecords.MAX_REFERENCE
        || text.contains("\n")) {
      throw new BadInput("reference: the order or contract number, 1–" + CustomerRecords.MAX_REFERENCE + " characters on one line");
    }
    return text.strip();
  }

  private static MilestoneKind kind(Object value) throws BadInput {
    return (value instanceof String text ? MilestoneKind.byKey(text.strip()) : Optional.<MilestoneKind>empty())
        .orElseThrow(() -> new BadInput("kind: one of " + String.join(", ",
            Arrays.stream(MilestoneKind.values()).map(MilestoneKind::key).toList())));
  }

  private static LocalDate date(Object value) throws BadInput {
    try {
      if (value instanceof String text) {
        return LocalDate.parse(text.strip());
      }
    } catch (DateTimeParseException e) {
      // said below
    }
    throw new BadInput("date: a day as YYYY-MM-DD, like 2026-05-01");
  }

  private static JsonObject json(String reference, Milestone m) {
    return new JsonObject().put("reference", reference).put("kind", m.kind().key()).put("date", m.onDate().toString())
        .put("source", m.source().name().toLowerCase(Locale.ROOT)).put("cancelled", m.cancelled())
        .put("cancelReason", m.cancelReason().orElse(null));
  }

  private static void error(RoutingContext ctx, int status, String message) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("status", status).put("error", message).encode());
  }
}
