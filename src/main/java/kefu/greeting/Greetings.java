package kefu.greeting;

import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import kefu.config.KefuConfig;
import kefu.config.SendingHours;
import kefu.conversation.Article;
import kefu.conversation.Broadcasts;
import kefu.store.Database;
import kefu.store.Sql;
import kefu.template.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Greets customers on their occasions by the plans of {@code templates/greetings/}, durably in SQL: plans each day's
 * greetings (one row per plan, record and year: planning twice adds nothing), claims the due ones (each by one node:
 * {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, a conditional update on H2) and commits the claim, then decides each:
 * inside the customer's open window a customer-service message (no mass slot); otherwise, for those the month's mass
 * budget allows, one mass message per plan and day (a single celebrant by a temporary tag). A follower with several
 * records is greeted once per plan and year (a second unique key). Each greeting keeps why it went as it did, or was
 * excluded, as a key the console words from templates/ (opted-out, budget-spent, day-passed …).
 */
public final class Greetings implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Greetings.class);
  static final Duration TICK = Duration.ofSeconds(30);
  static final Duration CLAIM_LEASE = Duration.ofMinutes(10);
  static final int BATCH = 1000;
  /** How often the days ahead are planned again: a record imported or linked today is greeted today. */
  static final Duration REPLAN = Duration.ofMinutes(10);

  /**
   * What one run did.
   *
   * @param planned greetings added for the days planned
   * @param service sent as customer-service messages
   * @param mass sent in mass messages (by list or tag)
   * @param excluded not sent, with the reason kept
   */
  public record Run(int planned, int service, int mass, int excluded) {}

  /** Opens the gift reminder of a greeting as an agent's call task (kefu.journey's call_tasks). */
  public interface GiftReminders {
    void open(Connection c, long recordId, long greetingId, Optional<Long> owner, LocalDate dueOn, String script, String reason,
        Instant now) throws SQLException;
  }

  /** What greetings need of the customer-service channel: the window now, and a message queued in the caller's transaction. */
  public interface ServiceMessages {
    /** Whether a customer-service message may go to the customer now (their window open, its quota not spent). */
    boolean open(Connection c, long customerId, Instant now) throws SQLException;

    void queue(Connection c, long customerId, String text, Instant now) throws SQLException;

    /** The article as a news card (图文) to the customer alone. */
    void queue(Connection c, long customerId, Article article, Instant now) throws SQLException;

    void wake();
  }

  private final Vertx vertx;
  private final Database database;
  private final GreetingPlans plans;
  private final Templates templates;
  private final ServiceMessages service;
  private final Broadcasts broadcasts;
  private final GiftReminders gifts;
  private final SendingHours hours;
  private final Occasions occasions = new Occasions(new ChineseDates());
  private final boolean postgres;
  private final String nodeId;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile LocalDate plannedThrough;
  private volatile Instant plannedAt = Instant.MIN;
  private long timer = -1;

  public Greetings(Vertx vertx, Database database, GreetingPlans plans, Templates templates, ServiceMessages service,
      Broadcasts broadcasts, GiftReminders gifts, KefuConfig config, Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.plans = plans;
    this.templates = templates;
    this.service = service;
    this.broadcasts = broadcasts;
    this.gifts = gifts;
    this.hours = new SendingHours(config.journey(), config.desk().calendar());
    this.postgres = !config.db().embedded();
    this.nodeId = config.nodeId();
    this.clock = clock;
  }

  /** Takes back this node's claims of before its last stop (nothing of them was sent), then runs every {@link #TICK}. */
  public void start() {
    try {
      database.inTransaction(c -> release(c, "claimed_by = ?", nodeId));
    } catch (SQLException e) {
      log.warn("Greetings: this node's unfinished claims could not be taken back now ({}); they return after the lease", e.getMessage());
    }
    timer = vertx.setPeriodic(TICK.toMillis(), id -> {
      if (running.compareAndSet(false, true)) {
        vertx.executeBlocking(() -> runDue(clock.instant()), false)
            .onFailure(e -> log.warn("Greetings: this run failed ({}); tried again in {} s", e.toString(), TICK.toSeconds()))
            .onComplete(done -> running.set(false));
      }
    });
  }

  /**
   * Plans today and the days a gift reminder looks ahead (again every {@link #REPLAN}, and at once for a new day), takes
   * back stale claims, then sends what is due unless it is a rest hour.
   */
  public Run runDue(Instant now) throws SQLException {
    LocalDate today = now.atZone(hours.zone()).toLocalDate();
    int planned = 0;
    LocalDate through = today.plusDays(plans.lookAhead());
    if (plannedThrough == null || through.isAfter(plannedThrough) || now.isBefore(plannedAt) || !now.isBefore(plannedAt.plus(REPLAN))) {
      for (LocalDate day = today; !day.isAfter(through); day = day.plusDays(1)) {
        LocalDate d = day;
        planned += database.inTransaction(c -> plan(c, d, now));
      }
      plannedThrough = through;
      plannedAt = now;
    }
    database.inTransaction(c -> release(c, "claimed_at < ?", now.minus(CLAIM_LEASE)));
    int[] counts = new int[3];
    if (hours.outsideRests(now)) {
      List<Long> claimed;
      do {
        claimed = claim(now);
        send(claimed, now, counts);
      } while (claimed.size() == BATCH);
    }
    if (counts[0] > 0) {
      service.wake();
    }
    if (counts[1] > 0) {
      broadcasts.wake();
    }
    return new Run(planned, counts[0], counts[1], counts[2]);
  }

  /** Adds the greetings of {@code day} of every plan; returns how many were new. */
  int plan(Connection c, LocalDate day, Instant now) throws SQLException {
    int added = 0;
    for (GreetingPlan plan : plans.all()) {
      Instant due = hours.next(day.atTime(plan.at()).atZone(hours.zone()), true).toInstant();
      for (Occasions.Due found : occasions.on(c, plan, day)) {
        Savepoint before = c.setSavepoint();
        long id;
        try {
          id = Sql.insert(c, "INSERT INTO greetings (plan, record_id, occasion_year, occasion_date, due_at, status, created_at, updated_at)"
              + " VALUES (?, ?, ?, ?, ?, 'planned', ?, ?)", plan.name(), found.recordId(), found.year(), day, due, now, now);
        } catch (SQLException e) {
          if (!Sql.isUniqueViolation(e)) {
            throw e;
          }
          c.rollback(before); // planned before, here or on another node
          continue;
        }
        added++;
        if (plan.gift().isPresent()) {
          GreetingPlan.Gift gift = plan.gift().get();
          // Due the days before, or today if the greeting is planned later than that (a record imported late).
          LocalDate today = now.atZone(hours.zone()).toLocalDate();
          LocalDate dueOn = day.minusDays(gift.daysBefore());
          gifts.open(c, found.recordId(), id, found.owner(), dueOn.isBefore(today) ? today : dueOn, gift.script(),
              templates.render("greeting.gift-reason", Map.of("date", day)), now);
        }
      }
    }
    return added;
  }

  private List<Long> claim(Instant now) throws SQLException {
    String token = UUID.randomUUID().toString();
    return database.inTransaction(c -> {
      Sql.update(c, "UPDATE greetings SET status = 'claimed', claimed_by = ?, claim_token = ?, claimed_at = ?, attempts = attempts + 1,"
          + " updated_at = ? WHERE status = 'planned' AND id IN (SELECT id FROM greetings WHERE status = 'planned' AND due_at <= ?"
          + " ORDER BY due_at, id FETCH FIRST " + BATCH + " ROWS ONLY" + (postgres ? " FOR UPDATE SKIP LOCKED" : "") + ")",
          nodeId, token, now, now, now);
      return Sql.list(c, "SELECT id FROM greetings WHERE claim_token = ? AND status = 'claimed' ORDER BY id", row -> row.longValue("id"), token);
    });
  }

  /** A claimed greeting as it is decided. */
  private record Claimed(long id, String plan, long recordId, Optional<Long> customerId, Optional<String> name, boolean subscribed,
      Optional<Instant> optedOut, LocalDate day) {}

  /** Decides each claimed greeting; those for a mass message are then sent together, one message per plan. */
  private void send(List<Long> ids, Instant now, int[] counts) throws SQLException {
    Map<String, List<Long>> mass = new LinkedHashMap<>();
    Map<Long, Long> customers = new HashMap<>();
    for (long id : ids) {
      Optional<Claimed> wants = database.inTransaction(c -> decide(c, id, now, counts));
      wants.ifPresent(g -> {
        mass.computeIfAbsent(g.plan(), p -> new ArrayList<>()).add(g.id());
        customers.put(g.id(), g.customerId().orElseThrow());
      });
    }
    for (Map.Entry<String, List<Long>> group : mass.entrySet()) {
      database.inTransaction(c -> massGroup(c, group.getKey(), group.getValue(), customers, now, counts));
    }
  }

  /** Decides one greeting: excluded, sent as a customer-service message, or (returned) one for a mass message. */
  private Optional<Claimed> decide(Connection c, long id, Instant now, int[] counts) throws SQLException {
    Optional<Claimed> found = Sql.one(c, "SELECT g.id, g.plan, g.record_id, r.customer_id, r.name, COALESCE(u.subscribed, FALSE) AS subscribed, u.opted_out_at,"
        + " g.occasion_date"
        + " FROM greetings g JOIN customer_records r ON r.id = g.record_id LEFT JOIN customers u ON u.id = r.customer_id"
        + " WHERE g.id = ? AND g.status = 'claimed' AND g.claimed_by = ?",
        row -> new Claimed(row.longValue("id"), row.string("plan"), row.longValue("record_id"), row.optionalLong("customer_id"),
            row.optionalString("name"), row.bool("subscribed"), row.optionalInstant("opted_out_at"),
            row.date("occasion_date")), id, nodeId);
    if (found.isEmpty()) {
      return Optional.empty(); // taken over by another node after the lease
    }
    Claimed g = found.get();
    Optional<GreetingPlan> plan = plans.named(g.plan());
    String why = plan.isEmpty() ? "plan-gone"
        : g.customerId().isEmpty() ? "not-linked"
        : !g.subscribed() ? "unfollowed"
        : g.optedOut().isPresent() ? "opted-out"
        // Its day is over (the rest hours or a stopped service held it past midnight): a late "today is your birthday"
        // would say the wrong day, so it is not sent.
        : g.day().isBefore(now.atZone(hours.zone()).toLocalDate()) ? "day-passed"
        : null;
    if (why == null && !takeCustomer(c, g)) {
      why = "greeted-already";
    }
    if (why != null) {
      finish(c, id, "excluded", Optional.empty(), why, Optional.empty(), now);
      counts[2]++;
      return Optional.empty();
    }
    long customer = g.customerId().get();
    if (service.open(c, customer, now)) {
      if (plan.get().article()) {
        service.queue(c, customer, article(plan.get(), g.name()), now);
      } else {
        service.queue(c, customer, text(plan.get(), g.name()), now);
      }
      finish(c, id, "sent", Optional.of("service"), "in-window", Optional.empty(), now);
      counts[0]++;
      return Optional.empty();
    }
    return found;
  }

  /** Sets the greeting's follower: false if another record of theirs has this plan's greeting of the year. */
  private static boolean takeCustomer(Connection c, Claimed g) throws SQLException {
    Savepoint before = c.setSavepoint();
    try {
      Sql.update(c, "UPDATE greetings SET customer_id = ? WHERE id = ?", g.customerId().get(), g.id());
      return true;
    } catch (SQLException e) {
      if (!Sql.isUniqueViolation(e)) {
        throw e;
      }
      c.rollback(before);
      return false;
    }
  }

  /** One plan's mass message to those whose month's budget allows it; the rest excluded with why. */
  private Void massGroup(Connection c, String planName, List<Long> ids, Map<Long, Long> customers, Instant now, int[] counts)
      throws SQLException {
    GreetingPlan plan = plans.named(planName).orElseThrow();
    List<Long> wanted = ids.stream().map(customers::get).toList();
    List<Long> fitting = broadcasts.fitting(c, wanted, Broadcasts.Purpose.GREETING, now);
    List<Long> sendTo = new ArrayList<>();
    for (long id : ids) {
      if (!fitting.contains(customers.get(id))) {
        finish(c, id, "excluded", Optional.empty(), "budget-spent", Optional.empty(), now);
        counts[2]++;
      } else {
        sendTo.add(id);
      }
    }
    if (sendTo.isEmpty()) {
      return null;
    }
    List<Long> recipients = sendTo.stream().map(customers::get).toList();
    List<Long> sends = plan.article()
        ? broadcasts.queue(c, Broadcasts.Purpose.GREETING, planName, recipients, article(plan, Optional.empty()), now)
        : broadcasts.queue(c, Broadcasts.Purpose.GREETING, planName, recipients, text(plan, Optional.empty()), now);
    String channel = recipients.size() == 1 ? "tag" : "mass";
    String why = recipients.size() == 1 ? "single-celebrant" : "outside-window";
    for (long id : sendTo) {
      finish(c, id, "sent", Optional.of(channel), why, Optional.of(sends.get(0)), now);
      counts[1]++;
    }
    return null;
  }

  /** The greeting's text, with the customer's name in a message to them alone, and how to opt out at the end. */
  private String text(GreetingPlan plan, Optional<String> name) {
    return templates.render(plan.message(), Map.of("name", name.orElse(templates.text("greeting.name-in-mass"))))
        + "\n" + templates.text("greeting.opt-out-line");
  }

  /**
   * The greeting's article, with the customer's name in a message to them alone; how to opt out ends its digest (what a
   * news card shows) and its content (what the mass article shows).
   */
  private Article article(GreetingPlan plan, Optional<String> name) {
    Map<String, String> vars = Map.of("name", name.orElse(templates.text("greeting.name-in-mass")));
    String optOut = templates.text("greeting.opt-out-line");
    String key = plan.message() + ".";
    return new Article(templates.render(key + "title", vars), templates.render(key + "digest", vars) + "\n" + optOut,
        templates.render(key + "content", vars) + "<p>" + optOut + "</p>", templates.text(key + "url"), templates.text(key + "cover"));
  }

  private void finish(Connection c, long id, String status, Optional<String> channel, String reason, Optional<Long> massSend, Instant now)
      throws SQLException {
    if (Sql.update(c, "UPDATE greetings SET status = ?, channel = ?, reason = ?, mass_send_id = ?, finished_at = ?, updated_at = ?,"
        + " claim_token = NULL WHERE id = ? AND status = 'claimed' AND claimed_by = ?", status, channel, reason, massSend, now, now, id, nodeId) != 1) {
      throw new SQLException("greeting #" + id + " is no longer claimed by this node");
    }
  }

  private static int release(Connection c, String condition, Object param) throws SQLException {
    return Sql.update(c, "UPDATE greetings SET status = 'planned', claimed_by = NULL, claim_token = NULL, claimed_at = NULL"
        + " WHERE status = 'claimed' AND " + condition, param);
  }

  /** Stops the timer; a run under way finishes (each greeting is its own transaction). */
  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }

  /** 29 February kept on the 28th in a common year, as a solar birthday is. */
  static List<MonthDay> solarDays(LocalDate day) {
    List<MonthDay> days = new ArrayList<>(List.of(MonthDay.from(day)));
    if (day.getMonthValue() == 2 && day.getDayOfMonth() == 28 && !day.isLeapYear()) {
      days.add(MonthDay.of(2, 29));
    }
    return days;
  }
}
