package kefu.journey;

import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import kefu.config.KefuConfig;
import kefu.config.SendingHours;
import kefu.conversation.Delivery;
import kefu.customer.CustomerRepository;
import kefu.store.Database;
import kefu.store.OneRunAtATime;
import kefu.store.Sql;
import kefu.template.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the follow-up journeys, durably in SQL: plans new and changed milestones, then claims the steps due (each by
 * one node: {@code FOR UPDATE SKIP LOCKED} on PostgreSQL, a conditional update on the single-node H2), commits the
 * claim, and finishes each step in a transaction of its own that also queues its message to the channel's outbox
 * or opens its call task. A step still claimed was therefore provably not sent: a claim left by a node that died is
 * taken back and the step runs once.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
  /** How often the timer looks for due steps; a follow-up a minute late is on time. */
  static final Duration TICK = Duration.ofSeconds(30);
  /** Far longer than finishing a batch takes: a claim older than this was left by a node that stopped. */
  static final Duration CLAIM_LEASE = Duration.ofMinutes(10);
  static final int BATCH = 100;
  /** Claims of one step that failed before it is given up, with the reason kept. */
  static final int MOST_ATTEMPTS = 5;

  /** A step this scheduler claimed, with the claim's token. */
  record Claimed(long id, String token) {}

  /**
   * What one run did.
   *
   * @param planned steps added, moved or stopped by planning new and changed milestones
   * @param sent steps queued to the customer's channel
   * @param tasked steps that became call tasks
   * @param skipped steps a condition or their lateness ruled out
   */
  public record Run(int planned, int sent, int tasked, int skipped) {}

  private final Vertx vertx;
  private final Database database;
  private final Plans plans;
  private final Templates templates;
  private final Sender sender;
  private final SurveyStart surveys;
  private final SendingHours hours;
  private final Reasons reasons;
  private final Planner planner;
  private final CallTasks callTasks;
  private final Consents consents = new Consents();
  private final Optional<String> subscribeTemplate;
  private final Optional<String> consentUrl;
  private final CustomerRepository customers = new CustomerRepository();
  private final Duration maxLateness;
  private final boolean postgres;
  private final String nodeId;
  private final Clock clock;
  /** On H2 a second run's claim waits on the first's row locks while holding its own, and the first's steps time out. */
  private final OneRunAtATime runs = new OneRunAtATime();
  private long timer = -1;

  /** @param surveys asks a survey step's survey in the chat when it may go as a customer-service message */
  public Scheduler(Vertx vertx, Database database, Plans plans, Templates templates, Sender sender, SurveyStart surveys, KefuConfig config,
      Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.plans = plans;
    this.templates = templates;
    this.sender = sender;
    this.surveys = surveys;
    this.hours = new SendingHours(config.journey(), config.desk().calendar());
    this.reasons = new Reasons(templates);
    this.planner = new Planner(plans, hours, reasons);
    this.callTasks = new CallTasks(plans, templates, config.journey(), hours.zone());
    this.maxLateness = config.journey().maxLateness();
    this.subscribeTemplate = config.journey().subscribeTemplate();
    this.consentUrl = config.journey().consentUrl();
    this.postgres = !config.db().embedded();
    this.nodeId = config.nodeId();
    this.clock = clock;
  }

  /**
   * Takes back what this node claimed before it last stopped (nothing of it was sent), then runs due steps every
   * {@link #TICK} on a worker thread. Blocks briefly: call it at start-up.
   */
  public void start() {
    try {
      int released = takeBack();
      if (released > 0) {
        log.warn("Journeys: {} steps claimed before the last stop were not finished; they run again, once", released);
      }
    } catch (SQLException e) {
      log.warn("Journeys: could not take back this node's unfinished steps now ({}); they return after {} min",
          e.getMessage(), CLAIM_LEASE.toMinutes());
    }
    timer = vertx.setPeriodic(TICK.toMillis(), id -> {
      if (!runs.busy()) {
        vertx.executeBlocking(() -> runs.runIfIdle(() -> run(clock.instant())), false)
            .onFailure(e -> log.warn("Journeys: this run failed ({}); tried again in {} s", e.toString(), TICK.toSeconds()));
      }
    });
  }

  /** Takes back the steps this node claimed before it stopped; returns how many. */
  int takeBack() throws SQLException {
    return database.inTransaction(c -> release(c, "claimed_by = ?", nodeId));
  }

  /**
   * Plans what changed, takes back claims of stopped nodes, then finishes the steps due at {@code now} unless it is
   * a rest hour. The timer calls it; tests call it with the time they want, and wait for a run under way to end.
   */
  public Run runDue(Instant now) throws SQLException {
    return runs.run(() -> run(now));
  }

  private Run run(Instant now) throws SQLException {
    int planned = 0;
    for (long milestone : database.inTransaction(c -> planner.changed(c, BATCH * 10))) {
      planned += database.inTransaction(c -> planner.plan(c, milestone, now));
    }
    database.inTransaction(c -> release(c, "claimed_at < ?", now.minus(CLAIM_LEASE)));
    if (!hours.outsideRests(now)) {
      return new Run(planned, 0, 0, 0);
    }
    int[] counts = new int[3];
    List<Claimed> claimed;
    do {
      claimed = claim(now);
      finish(claimed, now, counts);
    } while (claimed.size() == BATCH);
    if (counts[0] > 0) {
      sender.wake();
    }
    return new Run(planned, counts[0], counts[1], counts[2]);
  }

  /** Claims up to {@link #BATCH} due steps, committed before any is worked on. */
  List<Claimed> claim(Instant now) throws SQLException {
    String token = UUID.randomUUID().toString();
    boolean workday = hours.workday(now);
    return database.inTransaction(c -> {
      Sql.update(c, "UPDATE journey_steps SET status = 'claimed', claimed_by = ?, claim_token = ?, claimed_at = ?, attempts = attempts + 1,"
          + " updated_at = ?"
          + " WHERE status = 'planned' AND id IN (SELECT id FROM journey_steps WHERE status = 'planned' AND due_at <= ?"
          + (workday ? "" : " AND any_day = TRUE") + " ORDER BY due_at, id FETCH FIRST " + BATCH + " ROWS ONLY"
          + (postgres ? " FOR UPDATE SKIP LOCKED" : "") + ")", nodeId, token, now, now, now);
      return Sql.list(c, "SELECT id FROM journey_steps WHERE claim_token = ? AND status = 'claimed' ORDER BY due_at, id",
          row -> new Claimed(row.longValue("id"), token), token);
    });
  }

  /** Finishes each claimed step in its own transaction; returns how many were sent. */
  int finish(List<Claimed> claimed, Instant now) {
    int[] counts = new int[3];
    finish(claimed, now, counts);
    return counts[0];
  }

  private void finish(List<Claimed> claimed, Instant now, int[] counts) {
    for (Claimed step : claimed) {
      Outcome outcome;
      try {
        outcome = database.inTransaction(c -> finish(c, step, now));
      } catch (SQLException | RuntimeException e) {
        // Rolled back, so nothing went: the claim stays and is taken back after the lease, up to MOST_ATTEMPTS.
        log.warn("Journeys: step #{} failed and is tried again in {} min: {}", step.id(), CLAIM_LEASE.toMinutes(), e.toString());
        continue;
      }
      switch (outcome) {
        case SENT -> counts[0]++;
        case TASKED -> counts[1]++;
        case SKIPPED -> counts[2]++;
        case LOST -> log.info("Journeys: step #{} was taken over by another node; left to it", step.id());
      }
    }
  }

  private enum Outcome { SENT, TASKED, SKIPPED, LOST }

  /**
   * A step as claimed, with its record.
   *
   * @param refused the channels WeChat refused for it before, and {@code reason} why (empty before any refusal)
   */
  private record Due(long id, long recordId, String plan, String stepKey, Instant dueAt, int attempts, Optional<Long> customerId, boolean member,
      Optional<Long> ownerAgentId, Optional<String> name, String reference, Optional<String> model, LocalDate milestoneDate,
      Set<ChannelChoice.Channel> refused, Optional<String> reason) {}

  private Outcome finish(Connection c, Claimed claimed, Instant now) throws SQLException {
    // Locks the step, still ours: a node that took it over after the lease would have changed the token.
    if (Sql.update(c, "UPDATE journey_steps SET updated_at = ? WHERE id = ? AND status = 'claimed' AND claim_token = ?",
        now, claimed.id(), claimed.token()) == 0) {
      return Outcome.LOST;
    }
    Due due = Sql.one(c, "SELECT s.id, s.record_id, s.plan, s.step, s.due_at, s.attempts, s.refused, s.reason, r.customer_id, r.member,"
        + " r.owner_agent_id, COALESCE(r.name, r.contact) AS name, r.reference, r.model, m.on_date FROM journey_steps s JOIN customer_records r ON r.id = s.record_id"
        + " JOIN milestones m ON m.id = s.milestone_id WHERE s.id = ?",
        row -> new Due(row.longValue("id"), row.longValue("record_id"), row.string("plan"), row.string("step"), row.instant("due_at"),
            row.integer("attempts"), row.optionalLong("customer_id"), row.bool("member"), row.optionalLong("owner_agent_id"), row.optionalString("name"),
            row.string("reference"), row.optionalString("model"), row.date("on_date"), StepRefusals.channels(row.optionalString("refused")),
            row.optionalString("reason").filter(r -> !r.isBlank())), claimed.id()).orElseThrow();
    if (due.attempts() > MOST_ATTEMPTS) {
      return skip(c, due, reasons.say("given-up", "attempts", MOST_ATTEMPTS), now);
    }
    if (callTasks.declined(c, due.recordId())) {
      return skip(c, due, reasons.say("declined"), now);
    }
    Optional<Plan.Step> found = plans.step(due.plan(), due.stepKey());
    if (found.isEmpty()) {
      return skip(c, due, reasons.say("plan-gone", "plan", due.plan(), "step", due.stepKey()), now);
    }
    Plan.Step step = found.get();
    if (step.membersOnly() && !due.member()) {
      return skip(c, due, reasons.say("members-only"), now);
    }
    LocalDate day = due.dueAt().atZone(hours.zone()).toLocalDate();
    Optional<String> until = step.weeklyUntil();
    if (until.isPresent() && reached(c, due.recordId(), until.get(), day)) {
      return skip(c, due, reasons.say("decided", "milestone", reasons.milestone(until.get())), now);
    }
    for (String kind : step.skipIf()) {
      if (reached(c, due.recordId(), kind, day)) {
        return skip(c, due, reasons.say("already-done", "milestone", reasons.milestone(kind)), now);
      }
    }
    Duration late = Duration.between(due.dueAt(), now);
    if (late.compareTo(maxLateness) > 0) {
      boolean skip = step.whenLate() == Plan.WhenLate.SKIP;
      String why = reasons.say(skip ? "late-skipped" : "late-call", "hours", late.toHours(), "limit", maxLateness.toHours());
      return skip ? skip(c, due, why, now) : task(c, due, step, why, now);
    }
    if (step.kind() == Plan.Kind.CALL) {
      return task(c, due, step, reasons.say("call-step"), now);
    }
    ChannelChoice.Customer customer = customer(c, due, now);
    ChannelChoice.Choice choice = choose(customer, due, step);
    if (choice.channel() == ChannelChoice.Channel.SUBSCRIBE
        && !consents.use(c, due.customerId().orElseThrow(), subscribeTemplate.orElseThrow(), due.id(), now)) {
      // Another step of the customer's used the last consent meanwhile.
      choice = choose(new ChannelChoice.Customer(true, true, customer.allowance(), ChannelChoice.Consent.NONE), due, step);
    }
    if (choice.channel() == ChannelChoice.Channel.CALL_TASK) {
      return task(c, due, step, choice.reason(), now);
    }
    String text = templates.render(step.message().orElseThrow(), Plan.vars(due.name(), due.reference(), due.model(), due.milestoneDate()));
    if (choice.channel() == ChannelChoice.Channel.SERVICE && subscribeTemplate.isPresent() && consentUrl.isPresent()) {
      // Where the customer is at a milestone, and can still read a link: the offer to be told outside the window too.
      text = text + "\n" + templates.render(CONSENT_OFFER, Map.of("url", consentUrl.get()));
    }
    long message = sender.queue(c, due.customerId().orElseThrow(), text, route(choice.channel()),
        choice.channel() == ChannelChoice.Channel.SUBSCRIBE ? subscribeTemplate : Optional.empty(), now);
    Optional<Long> question = Optional.empty();
    if (step.survey().isPresent() && choice.channel() == ChannelChoice.Channel.SERVICE) {
      // In the window the survey is asked in the chat after the step's message; a template message or a notice cannot
      // ask, so there it goes as the message alone. Should WeChat refuse the message or the first question, the
      // survey ends undelivered and the step falls through as any (StepRefusals).
      question = surveys.start(c, due.recordId(), due.id(), due.customerId().orElseThrow(), step.survey().get(), now);
    }
    finished(c, due.id(), "done", choice.channel(), choice.reason(), now);
    Sql.update(c, "UPDATE journey_steps SET message_id = ?, question_id = ? WHERE id = ?", message, question, due.id());
    return Outcome.SENT;
  }

  /** The templates/ key of the line that offers the consent page, after a follow-up inside the window. */
  static final String CONSENT_OFFER = "journey.consent-offer";

  private ChannelChoice.Choice choose(ChannelChoice.Customer customer, Due due, Plan.Step step) {
    ChannelChoice.Choice choice = ChannelChoice.choose(customer, due.refused(), step.kind() == Plan.Kind.SURVEY, step.serviceNotice(),
        sender.sendsTemplates(), hours.zone(), reasons);
    // After a refusal: what was tried and refused before, then this choice.
    return new ChannelChoice.Choice(choice.channel(), Reasons.then(due.reason().orElse(""), choice.reason()));
  }

  private static Delivery.Route route(ChannelChoice.Channel channel) {
    return switch (channel) {
      case SERVICE -> Delivery.Route.SERVICE;
      case SUBSCRIBE -> Delivery.Route.SUBSCRIBE;
      case TEMPLATE -> Delivery.Route.TEMPLATE;
      case CALL_TASK -> throw new IllegalArgumentException("a call task is no message");
    };
  }

  private ChannelChoice.Customer customer(Connection c, Due due, Instant now) throws SQLException {
    if (due.customerId().isEmpty()) {
      return new ChannelChoice.Customer(false, false, new Delivery.Allowance(0, Optional.empty()), ChannelChoice.Consent.NOT_CONFIGURED);
    }
    long id = due.customerId().get();
    boolean following = customers.reach(c, id).map(CustomerRepository.Reach::subscribed).orElse(false);
    ChannelChoice.Consent consent = subscribeTemplate.isEmpty() ? ChannelChoice.Consent.NOT_CONFIGURED
        : consents.unused(c, id, subscribeTemplate.get()) ? ChannelChoice.Consent.UNUSED : ChannelChoice.Consent.NONE;
    return new ChannelChoice.Customer(true, following, sender.allowance(c, id, now), consent);
  }

  private static boolean reached(Connection c, long recordId, String kind, LocalDate by) throws SQLException {
    return Sql.count(c, "SELECT COUNT(*) FROM milestones WHERE record_id = ? AND kind = ? AND cancelled_at IS NULL AND on_date <= ?",
        recordId, kind, by) > 0;
  }

  private Outcome task(Connection c, Due due, Plan.Step step, String reason, Instant now) throws SQLException {
    Optional<Long> owner = step.owner() == Plan.Owner.RECORD ? due.ownerAgentId() : Optional.empty();
    callTasks.open(c, due.recordId(), due.id(), owner, now.atZone(hours.zone()).toLocalDate(), step.script(), reason, now);
    finished(c, due.id(), "tasked", ChannelChoice.Channel.CALL_TASK, reason, now);
    return Outcome.TASKED;
  }

  private Outcome skip(Connection c, Due due, String reason, Instant now) throws SQLException {
    finished(c, due.id(), "skipped", null, reason, now);
    return Outcome.SKIPPED;
  }

  private static void finished(Connection c, long id, String status, ChannelChoice.Channel channel, String reason, Instant now)
      throws SQLException {
    Sql.update(c, "UPDATE journey_steps SET status = ?, channel = ?, reason = ?, finished_at = ?, updated_at = ? WHERE id = ?",
        status, Optional.ofNullable(channel), CallTasks.truncate(reason), now, now, id);
  }

  /** Claims matching {@code condition} back to planned: nothing of them was sent (see the class). */
  private static int release(Connection c, String condition, Object param) throws SQLException {
    return Sql.update(c, "UPDATE journey_steps SET status = 'planned', claimed_by = NULL, claim_token = NULL, claimed_at = NULL"
        + " WHERE status = 'claimed' AND "
        + condition, param);
  }

  /** Stops the timer; a run under way finishes its step (each is its own transaction). */
  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
