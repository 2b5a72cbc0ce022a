package kefu.greeting;

import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import kefu.config.KefuConfig;
import kefu.config.SendingHours;
import kefu.conversation.Broadcasts;
import kefu.store.Database;
import kefu.store.OneRunAtATime;
import kefu.store.Sql;
import kefu.template.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marketing campaigns (营销活动), durably in SQL: a campaign is written as a draft (a segment, a message), previewed to a
 * test follower, launched now or scheduled for a daytime moment, then planned and sent in steps, each one transaction
 * under the campaign's row lock — a page of the segment planned as recipient rows, or a batch of planned recipients
 * decided: left out (unfollowed, opted out, the frequency cap, the month's mass budget spent) or queued as one mass
 * message — never a customer-service message, which WeChat's rules keep from marketing — each recipient's
 * row decided with its send. So pausing, resuming, cancelling, a restart or a second node never send a recipient twice
 * or lose one, and no step holds more than a batch of the segment in memory.
 */
public final class Campaigns implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Campaigns.class);
  static final Duration TICK = Duration.ofSeconds(15);
  /** Followers of the segment planned in one step. */
  static final int PLAN_PAGE = 1000;
  /** Recipients decided in one step: one mass message's list at most (WeChat takes 10,000 openids a send). */
  public static final int BATCH = 10_000;
  /** The longest campaign name and message marketing may write (the opt-out line comes on top). */
  public static final int MOST_NAME = 100;
  public static final int MOST_MESSAGE = 600;
  /** Rows updated in one statement. */
  private static final int ROWS_AT_ONCE = 500;

  /** What a launch did: started now, scheduled, or refused because {@code at} is in a rest hour (then the first moment allowed). */
  public record Launch(Outcome outcome, Optional<Instant> allowedFrom) {}

  /** The outcomes of a launch. */
  public enum Outcome { STARTED, SCHEDULED, REST_HOURS, NOT_DRAFT }

  /** What one run did: recipients planned, sent (queued), and excluded. */
  public record Run(int planned, int sent, int excluded) {}

  private final Vertx vertx;
  private final Database database;
  private final Segments segments;
  private final Broadcasts broadcasts;
  private final Templates templates;
  private final KefuConfig.Campaign settings;
  private final SendingHours hours;
  private final int batch;
  private final Clock clock;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean again = new AtomicBoolean();
  private final OneRunAtATime runs = new OneRunAtATime();
  private long timer = -1;

  /**
   * @param batch recipients decided in one step (at most {@link #BATCH}): a mass message each
   */
  public Campaigns(Vertx vertx, Database database, Segments segments, Broadcasts broadcasts, Templates templates,
      KefuConfig config, Clock clock, int batch) {
    if (batch < 1 || batch > BATCH) {
      throw new IllegalArgumentException("a campaign's batch is 1–" + BATCH + " recipients");
    }
    this.vertx = vertx;
    this.database = database;
    this.segments = segments;
    this.broadcasts = broadcasts;
    this.templates = templates;
    this.settings = config.campaign();
    this.hours = new SendingHours(config.journey(), config.desk().calendar());
    this.batch = batch;
    this.clock = clock;
  }

  /** Runs every {@link #TICK}, and when woken. */
  public void start() {
    timer = vertx.setPeriodic(TICK.toMillis(), id -> wake());
  }

  /** Plans and sends what is due, on a worker thread; a wake during a run makes another run. */
  public void wake() {
    again.set(true);
    if (!running.compareAndSet(false, true)) {
      return;
    }
    again.set(false);
    vertx.executeBlocking(() -> runs.runIfIdle(() -> run(clock.instant())), false)
        .onFailure(e -> log.warn("Campaigns: this run failed ({}); tried again in {} s", e.toString(), TICK.toSeconds()))
        .onComplete(done -> {
          running.set(false);
          if (again.get()) {
            wake();
          }
        });
  }

  /** The text a campaign's followers get: marketing's message and how to opt out. */
  public String text(String message) {
    return message.strip() + "\n" + templates.text("greeting.opt-out-line");
  }

  /** How many followers the segment holds now: the builder's live count. */
  public int count(Connection c, Segment segment, Instant now) throws SQLException {
    return segments.count(c, segment, today(now), now);
  }

  /**
   * Keeps a new campaign as a draft; returns its id.
   *
   * @throws SegmentFields.Invalid if a criterion makes no sense
   * @throws IllegalArgumentException if the name or message is empty or too long
   */
  public long create(Connection c, String name, Map<String, String> segment, String message, Optional<Long> author, Instant now)
      throws SQLException {
    SegmentFields.segment(segment); // refuses nonsense before it is kept
    if (name == null || name.isBlank() || name.strip().length() > MOST_NAME) {
      throw new IllegalArgumentException("name");
    }
    if (message == null || message.isBlank() || message.strip().length() > MOST_MESSAGE) {
      throw new IllegalArgumentException("message");
    }
    return Sql.insert(c, "INSERT INTO campaigns (name, segment, message, status, created_by, created_at, updated_at)"
        + " VALUES (?, ?, ?, 'draft', ?, ?, ?)", name.strip(), SegmentFields.json(segment), message.strip(), author, now, now);
  }

  /** A preview's refusal when the openid is no follower of the account kefu knows. */
  public static final int NOT_A_FOLLOWER = -2;

  /**
   * Sends the campaign's text to one follower as WeChat's preview (no budget used). Blocks on the database and WeChat:
   * call it on a worker thread. Empty if it went, else WeChat's error code, {@link Broadcasts#BUSY} or
   * {@link #NOT_A_FOLLOWER}.
   */
  public Optional<Integer> preview(String message, String openid) throws SQLException {
    boolean follows = database.inTransaction(c -> Sql.count(c, "SELECT COUNT(*) FROM customers WHERE openid = ? AND subscribed = TRUE",
        openid)) > 0;
    return follows ? broadcasts.preview(openid, text(message)) : Optional.of(NOT_A_FOLLOWER);
  }

  /**
   * Launches a draft at {@code at} (now if empty or past): a moment in the quiet hours or the lunch rest
   * ({@code journey.quiet-hours}) is refused with the first moment allowed after it, as is launching now in them.
   */
  public Launch launch(Connection c, long id, Optional<Instant> at, Instant now) throws SQLException {
    Instant start = at.filter(a -> a.isAfter(now)).orElse(now);
    if (!hours.outsideRests(start)) {
      return new Launch(Outcome.REST_HOURS, Optional.of(hours.next(start.atZone(hours.zone()), true).toInstant()));
    }
    boolean later = start.isAfter(now);
    int changed = Sql.update(c, "UPDATE campaigns SET status = ?, start_at = ?, launched_at = ?, updated_at = ? WHERE id = ? AND status = 'draft'",
        later ? "scheduled" : "running", start, later ? null : now, now, id);
    return new Launch(changed == 0 ? Outcome.NOT_DRAFT : later ? Outcome.SCHEDULED : Outcome.STARTED, Optional.empty());
  }

  /** Pauses a running or scheduled campaign after the step under way; false if it was neither. */
  public boolean pause(Connection c, long id, Instant now) throws SQLException {
    lock(c, id);
    return Sql.update(c, "UPDATE campaigns SET status = 'paused', updated_at = ? WHERE id = ? AND status IN ('running', 'scheduled')",
        now, id) == 1;
  }

  /** Goes on with a paused campaign where it stopped (at its time, if that is still to come); false if it was not paused. */
  public boolean resume(Connection c, long id, Instant now) throws SQLException {
    return Sql.update(c, "UPDATE campaigns SET status = CASE WHEN start_at > ? THEN 'scheduled' ELSE 'running' END,"
        + " launched_at = COALESCE(launched_at, ?), updated_at = ? WHERE id = ? AND status = 'paused'", now, now, now, id) == 1;
  }

  /**
   * Cancels a campaign not yet done: what was sent stays sent, the recipients still planned are excluded as cancelled,
   * and nothing more is planned or sent; false if it was done or cancelled already.
   */
  public boolean cancel(Connection c, long id, Instant now) throws SQLException {
    lock(c, id);
    if (Sql.update(c, "UPDATE campaigns SET status = 'cancelled', finished_at = ?, updated_at = ? WHERE id = ?"
        + " AND status IN ('draft', 'scheduled', 'running', 'paused')", now, now, id) == 0) {
      return false;
    }
    Sql.update(c, "UPDATE campaign_recipients SET status = 'excluded', reason = 'cancelled', decided_at = ? WHERE campaign_id = ?"
        + " AND status = 'planned'", now, id);
    return true;
  }

  /**
   * Starts the campaigns whose time came, then plans and sends every running one as far as it goes now. One run at a
   * time on a node (a caller waits for the timer's): two would queue on each campaign's row lock, one step each.
   */
  public Run runDue(Instant now) throws SQLException {
    return runs.run(() -> run(now));
  }

  private Run run(Instant now) throws SQLException {
    database.inTransaction(c -> Sql.update(c, "UPDATE campaigns SET status = 'running', launched_at = COALESCE(launched_at, ?), updated_at = ?"
        + " WHERE status = 'scheduled' AND start_at <= ?", now, now, now));
    List<Long> due = database.inTransaction(c -> Sql.list(c, "SELECT id FROM campaigns WHERE status = 'running' ORDER BY id",
        row -> row.longValue("id")));
    int[] counts = new int[3];
    for (long id : due) {
      while (step(id, now, counts)) {
        // one step a transaction: a pause or cancel, or another node, comes in between
      }
    }
    return new Run(counts[0], counts[1], counts[2]);
  }

  /** The campaign's state, as its row lock reads it. */
  private record State(String name, String status, long plannedThrough, boolean planned, String segment, String message) {}

  /**
   * One step of a campaign in one transaction under its row lock: a page planned, or a batch decided and queued; false
   * when there is nothing to do now (paused, cancelled, done, or a rest hour).
   */
  boolean step(long id, Instant now, int[] counts) throws SQLException {
    int sentBefore = counts[1];
    boolean more = database.inTransaction(c -> {
      Optional<State> found = Sql.one(c, "SELECT name, status, planned_through, planned, segment, message FROM campaigns WHERE id = ? FOR UPDATE",
          row -> new State(row.string("name"), row.string("status"), row.longValue("planned_through"), row.bool("planned"),
              row.string("segment"), row.string("message")), id);
      if (found.isEmpty() || !found.get().status().equals("running")) {
        return false;
      }
      State state = found.get();
      if (!state.planned()) {
        counts[0] += plan(c, id, state, now);
        return true;
      }
      if (!hours.outsideRests(now)) {
        return false; // goes on when the rest ends
      }
      List<Long> next = Sql.list(c, "SELECT customer_id FROM campaign_recipients WHERE campaign_id = ? AND status = 'planned'"
          + " ORDER BY customer_id FETCH FIRST " + batch + " ROWS ONLY", row -> row.longValue("customer_id"), id);
      if (next.isEmpty()) {
        Sql.update(c, "UPDATE campaigns SET status = 'done', finished_at = ?, updated_at = ? WHERE id = ?", now, now, id);
        log.info("Campaign #{} done", id);
        return false;
      }
      decide(c, id, state, next, now, counts);
      return true;
    });
    if (counts[1] > sentBefore) {
      broadcasts.wake(); // a mass message was queued
    }
    return more;
  }

  /** Plans the next page of the segment's followers; the last page marks the campaign planned. */
  private int plan(Connection c, long id, State state, Instant now) throws SQLException {
    List<Segments.Follower> page = segments.page(c, SegmentFields.segment(SegmentFields.fromJson(state.segment())), today(now), now,
        state.plannedThrough(), PLAN_PAGE);
    for (int from = 0; from < page.size(); from += ROWS_AT_ONCE) {
      List<Segments.Follower> rows = page.subList(from, Math.min(page.size(), from + ROWS_AT_ONCE));
      List<Object> params = new ArrayList<>();
      rows.forEach(f -> params.addAll(List.of(id, f.customerId())));
      Sql.update(c, "INSERT INTO campaign_recipients (campaign_id, customer_id, status) VALUES "
          + String.join(", ", rows.stream().map(r -> "(?, ?, 'planned')").toList()), params.toArray());
    }
    long through = page.isEmpty() ? state.plannedThrough() : page.get(page.size() - 1).customerId();
    Sql.update(c, "UPDATE campaigns SET planned_through = ?, planned = ?, updated_at = ? WHERE id = ?", through, page.size() < PLAN_PAGE,
        now, id);
    return page.size();
  }

  /** A planned recipient as they are now. */
  private record Reach(long id, boolean subscribed, boolean optedOut) {}

  /** Decides a batch: excluded with why, or sent; those for a mass message go as one. */
  private void decide(Connection c, long id, State state, List<Long> batchIds, Instant now, int[] counts) throws SQLException {
    Map<Long, String> why = new HashMap<>();
    List<Long> reachable = new ArrayList<>();
    for (int from = 0; from < batchIds.size(); from += ROWS_AT_ONCE) {
      List<Long> part = batchIds.subList(from, Math.min(batchIds.size(), from + ROWS_AT_ONCE));
      for (Reach r : Sql.list(c, "SELECT id, subscribed, opted_out_at FROM customers WHERE id IN (" + Sql.placeholders(part.size())
          + ") ORDER BY id", row -> new Reach(row.longValue("id"), row.bool("subscribed"), row.optionalInstant("opted_out_at").isPresent()),
          part.toArray())) {
        if (!r.subscribed()) {
          why.put(r.id(), "unfollowed");
        } else if (r.optedOut()) {
          why.put(r.id(), "opted-out");
        } else {
          reachable.add(r.id());
        }
      }
    }
    // Locks the followers (another campaign or a greeting to them waits and then counts this one) and reads their month.
    List<Long> fitting = broadcasts.fitting(c, reachable, Broadcasts.Purpose.CAMPAIGN, now);
    Map<Long, Integer> recent = recent(c, reachable, now);
    List<Long> mass = new ArrayList<>();
    String text = text(state.message());
    Set<Long> fits = new HashSet<>(fitting);
    for (long customer : reachable) {
      if (settings.capMessages() > 0 && recent.getOrDefault(customer, 0) >= settings.capMessages()) {
        why.put(customer, "frequency-cap");
      } else if (fits.contains(customer)) {
        mass.add(customer);
      } else {
        why.put(customer, "budget-spent");
      }
    }
    Optional<Long> send = Optional.empty();
    if (!mass.isEmpty()) {
      send = Optional.of(broadcasts.queue(c, Broadcasts.Purpose.CAMPAIGN, label(id, state.name()), mass, text, now).get(0));
    }
    decided(c, id, mass, "sent", Optional.of(mass.size() == 1 ? "tag" : "mass"), Optional.empty(), send, now);
    Map<String, List<Long>> byReason = new HashMap<>();
    why.forEach((customer, reason) -> byReason.computeIfAbsent(reason, r -> new ArrayList<>()).add(customer));
    for (Map.Entry<String, List<Long>> e : byReason.entrySet()) {
      decided(c, id, e.getValue(), "excluded", Optional.empty(), Optional.of(e.getKey()), Optional.empty(), now);
    }
    counts[1] += mass.size();
    counts[2] += why.size();
  }

  /** Each follower's campaign messages within the cap's days. */
  private Map<Long, Integer> recent(Connection c, List<Long> ids, Instant now) throws SQLException {
    Map<Long, Integer> recent = new HashMap<>();
    if (settings.capMessages() == 0) {
      return recent;
    }
    Instant since = now.minus(Duration.ofDays(settings.capDays()));
    for (int from = 0; from < ids.size(); from += ROWS_AT_ONCE) {
      List<Long> part = ids.subList(from, Math.min(ids.size(), from + ROWS_AT_ONCE));
      List<Object> params = new ArrayList<>(List.of(since));
      params.addAll(part);
      Sql.each(c, "SELECT customer_id, COUNT(*) AS n FROM campaign_recipients WHERE status = 'sent' AND decided_at >= ? AND customer_id IN ("
          + Sql.placeholders(part.size()) + ") GROUP BY customer_id", row -> recent.put(row.longValue("customer_id"), row.integer("n")),
          params.toArray());
    }
    return recent;
  }

  private static void decided(Connection c, long id, List<Long> customers, String status, Optional<String> channel, Optional<String> reason,
      Optional<Long> send, Instant now) throws SQLException {
    for (int from = 0; from < customers.size(); from += ROWS_AT_ONCE) {
      List<Long> part = customers.subList(from, Math.min(customers.size(), from + ROWS_AT_ONCE));
      List<Object> params = new ArrayList<>(List.of(status, channel, reason, send, now, id));
      params.addAll(part);
      int changed = Sql.update(c, "UPDATE campaign_recipients SET status = ?, channel = ?, reason = ?, mass_send_id = ?, decided_at = ?"
          + " WHERE campaign_id = ? AND status = 'planned' AND customer_id IN (" + Sql.placeholders(part.size()) + ")", params.toArray());
      if (changed != part.size()) {
        throw new SQLException("campaign #" + id + ": " + (part.size() - changed) + " recipients were no longer planned");
      }
    }
  }

  /** The mass message's label in the console and the budget's list: the campaign's number and name. */
  private static String label(long id, String name) {
    String label = "campaign #" + id + " " + name;
    return label.length() > 100 ? label.substring(0, 100) : label;
  }

  private static void lock(Connection c, long id) throws SQLException {
    Sql.one(c, "SELECT id FROM campaigns WHERE id = ? FOR UPDATE", row -> row.longValue("id"), id);
  }

  private LocalDate today(Instant now) {
    return now.atZone(hours.zone()).toLocalDate();
  }

  /** Stops the timer; a step under way finishes (each is its own transaction). */
  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
