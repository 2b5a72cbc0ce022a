package kefu.survey;

import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import kefu.dialog.Reply;
import kefu.store.Database;
import kefu.store.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Surveys asked in the WeChat chat: starts one when a journey's survey step may go as a customer-service message (the
 * step's own message, then the first question), and ends those left unanswered for {@code journey.survey-expiry},
 * keeping their answers; the customer's replies are taken by {@link SurveyBot}.
 */
public final class SurveyChat implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SurveyChat.class);
  /** How often surveys left unanswered are looked for: one ends within a minute of its time. */
  static final Duration TICK = Duration.ofMinutes(1);
  private static final int BATCH = 100;

  private final Vertx vertx;
  private final Database database;
  private final Surveys surveys;
  private final SurveyQuestions questions;
  private final SurveyChannel channel;
  private final SurveyComplaints complaints;
  private final SurveyFeedback feedback;
  private final Duration expiry;
  private final Clock clock;
  private final SurveyRuns runs = new SurveyRuns();
  private final AtomicBoolean running = new AtomicBoolean();
  private long timer = -1;

  public SurveyChat(Vertx vertx, Database database, Surveys surveys, SurveyChannel channel, SurveyComplaints complaints, Duration expiry,
      Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.surveys = surveys;
    this.questions = new SurveyQuestions(surveys);
    this.channel = channel;
    this.complaints = complaints;
    this.feedback = new SurveyFeedback(surveys, questions, complaints, runs);
    this.expiry = expiry;
    this.clock = clock;
  }

  /**
   * Starts asking {@code survey} of the customer for the journey step, in the caller's transaction: the first question
   * is queued to the channel, after the step's message the caller queued. Returns the question's message.
   *
   * @throws IllegalArgumentException if no file in templates/surveys has that name (the plans are checked against them at start)
   */
  public long ask(Connection c, long recordId, long stepId, long customerId, String survey, Instant now)
      throws SQLException {
    Survey asked = surveys.named(survey).orElseThrow(() -> new IllegalArgumentException("no survey " + survey + " in templates/surveys"));
    Optional<Long> owner = Sql.one(c, "SELECT owner_agent_id FROM customer_records WHERE id = ?", row -> row.optionalLong("owner_agent_id"),
        recordId).flatMap(o -> o);
    runs.startInChat(c, recordId, stepId, customerId, survey, owner, now.plus(expiry), now);
    return channel.queue(c, customerId, questions.ask(asked.questions().get(0), Optional.empty()), now);
  }

  /**
   * WeChat refused the journey step's message or the survey's first question: the survey asked for the step, if still
   * asked, ends undelivered in the caller's transaction; what was answered meanwhile is kept.
   */
  public void undelivered(Connection c, long stepId, Instant now) throws SQLException {
    runs.undelivered(c, stepId, now);
  }

  /** Ends the surveys left unanswered every {@link #TICK}, on a worker thread. */
  public void start() {
    timer = vertx.setPeriodic(TICK.toMillis(), id -> {
      if (running.compareAndSet(false, true)) {
        vertx.executeBlocking(() -> expireDue(clock.instant()), false)
            .onFailure(e -> log.warn("Surveys: unanswered surveys were not ended this time ({}); tried again in a minute", e.toString()))
            .onComplete(done -> running.set(false));
      }
    });
  }

  /**
   * Ends the surveys whose time ran out by {@code now}, each in its own transaction, keeping their answers; a low score
   * among them opens a complaint as a finished survey's would. Returns how many ended. The timer calls it; tests too.
   */
  public int expireDue(Instant now) throws SQLException {
    int ended = 0;
    boolean opened = false;
    for (SurveyRuns.Run run : database.inTransaction(c -> runs.expired(c, now, BATCH))) {
      Ended outcome = database.inTransaction(c -> {
        boolean expired = runs.expire(c, run.id(), now);
        return new Ended(expired, expired && feedback.review(c, run.id(), now));
      });
      ended += outcome.expired() ? 1 : 0;
      opened |= outcome.complained();
    }
    if (opened) {
      complaints.opened();
    }
    return ended;
  }

  /** What ending one survey did: whether it ended here (not answered meanwhile), and whether that opened a complaint. */
  private record Ended(boolean expired, boolean complained) {}

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
