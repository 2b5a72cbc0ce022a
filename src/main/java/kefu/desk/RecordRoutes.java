package kefu.desk;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import kefu.customer.CustomerImport;
import kefu.customer.CustomerRecord;
import kefu.customer.CustomerRecords;
import kefu.customer.Milestone;
import kefu.customer.MilestoneKind;
import kefu.customer.QrCodes;
import kefu.customer.RecordLinks;
import kefu.journey.CallTasks;
import kefu.store.Database;
import kefu.store.Sql;
import kefu.table.Table;
import kefu.table.TableException;
import kefu.table.TableReader;
import kefu.web.Pages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer records in the console under {@code /desk/records}: finding a record, its milestones and the form to
 * set or cancel one (supervisors, admins and the record's owner), its follow-up steps and calls, its QR code to print, the supervisors' upload of a
 * customer list, and linking a chat's customer to a record by its reference.
 */
public final class RecordRoutes {
  private static final Logger log = LoggerFactory.getLogger(RecordRoutes.class);
  private static final int LISTED = 50;
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final Database database;
  private final DeskPages pages;
  private final CustomerRecords records;
  private final RecordLinks links;
  private final CustomerImport importer;
  private final QrCodes qrCodes;
  private final boolean simulator;
  private final TicketAccess access;
  private final AgentRepository agents = new AgentRepository();
  private final CallTasks calls;
  private final CallViews views;
  private final Vertx vertx;
  private final Clock clock;

  /**
   * @param qrCodes where the records' QR codes are made
   * @param simulator whether the WeChat simulator runs, whose page can "scan" a record's code
   */
  public RecordRoutes(Vertx vertx, Database database, Pages pages, CustomerRecords records, RecordLinks links,
      CustomerImport importer, QrCodes qrCodes, boolean simulator, CallTasks calls, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.pages = new DeskPages(vertx, pages);
    this.records = records;
    this.links = links;
    this.importer = importer;
    this.qrCodes = qrCodes;
    this.simulator = simulator;
    this.access = new TicketAccess(database);
    this.calls = calls;
    this.views = new CallViews(new LocalTimes(clock.getZone()));
    this.clock = clock;
  }

  /** Adds the routes; the console's session and CSRF checks must come first ({@link DeskConsole#routes} before these). */
  public void routes(Router router) {
    router.get("/desk/records").handler(this::list);
    router.post("/desk/records/import").handler(this::importList);
    router.get("/desk/records/:id").handler(this::show);
    router.get("/desk/records/:id/qr").handler(this::qrCode);
    router.post("/desk/records/:id/milestones").handler(this::setMilestone);
    router.post("/desk/records/:id/milestones/cancel").handler(this::cancelMilestone);
    router.post("/desk/records/:id/owner").handler(this::setOwner);
    router.post("/desk/tickets/:id/record").handler(this::linkChat);
  }

  /** A record as the pages show it: the phone masked, the birthday and milestones in words the templates label. */
  public record Shown(long id, String reference, String line, String name, String phone, String birthday, boolean member,
      String address, String packageName, String company, String contact, String site, String model, String serialNumber,
      String staff, boolean linked, String linkCode) {
    static Shown of(CustomerRecord r) {
      CustomerRecord.Details d = r.details();
      return new Shown(r.id(), r.reference(), r.line(), d.name().orElse(""), d.maskedPhone().orElse(""),
          d.birthday().map(Object::toString).orElse(""), d.member(), d.address().orElse(""), d.packageName().orElse(""),
          d.company().orElse(""), d.contact().orElse(""), d.site().orElse(""), d.model().orElse(""),
          d.serialNumber().orElse(""), d.staff().orElse(""), r.customerId().isPresent(), r.linkCode());
    }
  }

  /** A milestone as the record page shows it. */
  public record ShownMilestone(String kind, String date, String source, boolean cancelled, String reason) {
    static ShownMilestone of(Milestone m) {
      return new ShownMilestone(m.kind().key(), m.onDate().toString(), m.source().name().toLowerCase(Locale.ROOT), m.cancelled(),
          m.cancelReason().orElse(""));
    }
  }

  private static boolean supervises(Agent agent) {
    return agent.role() == Agent.Role.SUPERVISOR || agent.role() == Agent.Role.ADMIN;
  }

  /** The path's {@code :id}; 404 if it is no number. */
  static long id(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new HttpException(404);
    }
  }

  private void list(RoutingContext ctx) {
    String query = Optional.ofNullable(ctx.queryParams().get("q")).orElse("").strip();
    if (query.length() > CustomerRecords.MAX_REFERENCE) {
      ctx.fail(400);
      return;
    }
    database.transaction(c -> records.search(c, query, LISTED)).onSuccess(found -> {
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("records", found.stream().map(Shown::of).toList());
      model.put("q", query);
      model.put("supervises", supervises(DeskConsole.session(ctx).agent()));
      pages.send(ctx, 200, "desk/records", model);
    }).onFailure(ctx::fail);
  }

  private void show(RoutingContext ctx) {
    long id = id(ctx);
    Agent me = DeskConsole.session(ctx).agent();
    database.transaction(c -> {
      Optional<CustomerRecord> record = records.byId(c, id);
      if (record.isEmpty()) {
        return Optional.<Page>empty();
      }
      List<Agent> all = agents.all(c);
      Map<Long, String> names = new HashMap<>();
      all.forEach(a -> names.put(a.id(), a.name()));
      Instant now = clock.instant();
      return Optional.of(new Page(record.get(), milestones(c, record.get()), all.stream().filter(Agent::active).toList(),
          calls.steps(c, id).stream().map(views::step).toList(),
          calls.ofRecord(c, id).stream().map(t -> views.call(t, names, now)).toList(), optedOut(c, record.get())));
    }).onSuccess(found -> {
      if (found.isEmpty()) {
        ctx.fail(404);
        return;
      }
      CustomerRecord record = found.get().record();
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("record", Shown.of(record));
      model.put("milestones", found.get().milestones());
      model.put("steps", found.get().steps());
      model.put("calls", found.get().calls());
      model.put("kinds", Arrays.stream(MilestoneKind.values()).map(MilestoneKind::key).toList());
      model.put("mayEdit", supervises(me) || record.ownerAgentId().filter(owner -> owner == me.id()).isPresent());
      model.put("supervises", supervises(me));
      model.put("agents", found.get().agents());
      model.put("owner", record.ownerAgentId().flatMap(owner -> found.get().agents().stream().filter(a -> a.id() == owner).findFirst())
          .map(Agent::name).orElse(""));
      model.put("ownerId", record.ownerAgentId().orElse(0L));
      model.put("simulator", simulator);
      model.put("optedOut", found.get().optedOut().map(at -> LOCAL.format(at.atZone(clock.getZone()))).orElse(""));
      model.put("today", LocalDate.now(clock).toString());
      pages.send(ctx, 200, "desk/record", model);
    }).onFailure(ctx::fail);
  }

  /** What the record page shows. */
  private record Page(CustomerRecord record, List<ShownMilestone> milestones, List<Agent> agents, List<CallViews.ShownStep> steps,
      List<CallViews.ShownCall> calls, Optional<Instant> optedOut) {}

  /** When the record's follower refused greetings and marketing (退订), if they did and have not restored them. */
  private static Optional<Instant> optedOut(Connection c, CustomerRecord record) throws SQLException {
    return record.customerId().isEmpty() ? Optional.empty()
        : Sql.one(c, "SELECT opted_out_at FROM customers WHERE id = ?", row -> row.optionalInstant("opted_out_at"), record.customerId().get())
            .flatMap(at -> at);
  }

  private List<ShownMilestone> milestones(Connection c, CustomerRecord record) throws SQLException {
    return records.milestones(c, record.id()).stream().map(ShownMilestone::of).toList();
  }

  /** The record's QR code, fetched by kefu so that the page shows it from kefu's own address. */
  private void qrCode(RoutingContext ctx) {
    long id = id(ctx);
    database.transaction(c -> records.byId(c, id)).compose(found -> {
      if (found.isEmpty()) {
        return Future.failedFuture(new HttpException(404));
      }
      return vertx.executeBlocking(() -> qrCodes.picture(found.get().linkCode()), false);
    }).onSuccess(picture -> ctx.response().putHeader("Content-Type", picture.contentType())
        .putHeader("Cache-Control", "private, max-age=3600").end(Buffer.buffer(picture.bytes())))
        .onFailure(e -> {
          if (e instanceof QrCodes.Unavailable) {
            log.warn("Desk: no QR code for a customer record: {}", e.getMessage());
            ctx.fail(503);
          } else {
            ctx.fail(e);
          }
        });
  }

  /** Runs {@code work} on the record if the agent may change its milestones: a supervisor, an admin or its owner. */
  private interface RecordWork {
    void on(Connection c, CustomerRecord record, Agent me) throws SQLException;
  }

  private void editing(RoutingContext ctx, RecordWork work) {
    long id = id(ctx);
    Agent me = DeskConsole.session(ctx).agent();
    database.transaction(c -> {
      Optional<CustomerRecord> record = records.byId(c, id);
      if (record.isEmpty()) {
        throw new HttpException(404);
      }
      if (!supervises(me) && record.get().ownerAgentId().filter(owner -> owner == me.id()).isEmpty()) {
        throw new HttpException(403);
      }
      work.on(c, record.get(), me);
      return id;
    }).onSuccess(done -> DeskPages.redirect(ctx, "/desk/records/" + done)).onFailure(ctx::fail);
  }

  private static MilestoneKind kind(Form form) {
    return MilestoneKind.byKey(form.text("kind", 32)).orElseThrow(() -> new HttpException(400));
  }

  private void setMilestone(RoutingContext ctx) {
    Form form = new Form(ctx);
    MilestoneKind kind = kind(form);
    LocalDate date = form.day("date").orElseThrow(() -> new HttpException(400));
    editing(ctx, (c, record, me) -> {
      records.setMilestone(c, record.id(), kind, date, Milestone.Source.AGENT, clock.instant());
      log.info("Desk: Agent#{} set the {} of {}", me.id(), kind.key(), record);
    });
  }

  private void cancelMilestone(RoutingContext ctx) {
    Form form = new Form(ctx);
    MilestoneKind kind = kind(form);
    String reason = form.text("reason", 2, CustomerRecords.MAX_REASON);
    editing(ctx, (c, record, me) -> {
      if (records.cancelMilestone(c, record.id(), kind, reason, clock.instant()).isEmpty()) {
        throw new HttpException(404);
      }
      log.info("Desk: Agent#{} cancelled the {} of {}", me.id(), kind.key(), record);
    });
  }

  /** A supervisor gives the record's follow-ups to an agent (none: 0). */
  private void setOwner(RoutingContext ctx) {
    long agentId = new Form(ctx).number("agent");
    Agent me = DeskConsole.session(ctx).agent();
    if (!supervises(me)) {
      ctx.fail(403);
      return;
    }
    editing(ctx, (c, record, self) -> {
      if (agentId != 0 && agents.all(c).stream().noneMatch(a -> a.id() == agentId && a.active())) {
        throw new HttpException(400);
      }
      records.setOwner(c, record.id(), agentId == 0 ? Optional.empty() : Optional.of(agentId), clock.instant());
      log.info("Desk: Agent#{} gave the follow-ups of {} to Agent#{}", me.id(), record, agentId);
    });
  }

  /** An agent links the chat's customer to the record of the reference the customer gave. */
  private void linkChat(RoutingContext ctx) {
    String reference = new Form(ctx).text("reference", 1, CustomerRecords.MAX_REFERENCE);
    access.visible(ctx, (c, ticket, me) -> {
      Optional<CustomerRecord> record = links.linkByHand(c, ticket.customerId(), reference, clock.instant());
      record.ifPresent(r -> log.info("Desk: Agent#{} linked Customer#{} to {}", me.id(), ticket.customerId(), r));
      return record;
    }).onSuccess(record -> {
      if (record.isEmpty()) {
        ctx.fail(404);
      } else {
        DeskPages.redirect(ctx, "/desk/records/" + record.get().id());
      }
    }).onFailure(ctx::fail);
  }

  /**
   * A supervisor's upload of a customer list: the file's bytes as the body ({@code ?line=studio&mode=all}), answered
   * with the import's report as JSON for the page to show.
   */
  private void importList(RoutingContext ctx) {
    Agent me = DeskConsole.session(ctx).agent();
    if (!supervises(me)) {
      ctx.fail(403);
      return;
    }
    byte[] bytes = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    Optional<String> line = Optional.ofNullable(ctx.queryParams().get("line")).filter(l -> !l.isBlank())
        .map(l -> CustomerImport.LINES.get(l.strip().toLowerCase(Locale.ROOT)));
    CustomerImport.Mode mode = "all".equals(ctx.queryParams().get("mode")) ? CustomerImport.Mode.ALL_OR_NOTHING
        : CustomerImport.Mode.VALID_ROWS;
    boolean dryRun = "1".equals(ctx.queryParams().get("dry"));
    vertx.executeBlocking(() -> {
      Table table;
      try {
        table = TableReader.read(bytes, CustomerImport.COLUMNS);
      } catch (TableException e) {
        return new JsonObject().put("unusable", (e.line() > 0 ? "第 " + e.line() + " 行：" : "") + e.getMessage());
      }
      CustomerImport.Report report = importer.run(table, line, mode, dryRun);
      log.info("Desk: Agent#{} imported a customer list: {} rows, {} new, {} updated, {} refused", me.id(), report.rows(),
          report.created(), report.updated(), report.refused().size());
      List<JsonObject> refused = new ArrayList<>();
      report.refused().forEach(r -> refused.add(new JsonObject().put("line", r.line()).put("reason", r.reason())));
      return new JsonObject().put("format", report.format()).put("rows", report.rows()).put("created", report.created())
          .put("updated", report.updated()).put("milestones", report.milestones()).put("written", report.written())
          .put("refused", new JsonArray(refused));
    }, false).onSuccess(ctx::json).onFailure(ctx::fail);
  }
}
