package kefu.journey;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import kefu.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follow-ups' coverage on {@code /metrics}, per plan and step over the last {@link Coverage#WINDOW_DAYS} days:
 * {@code kefu_journey_steps{plan,step,figure}} (due, done, in_time, failed, overdue, members_due, members_done,
 * incomplete) and {@code kefu_journey_member_coverage{plan,step}} (0–1, the goal 1). Read from the database every
 * minute, never during a scrape; every node reports the same, so dashboards take the maximum over nodes.
 */
public final class CoverageGauges implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CoverageGauges.class);
  private static final long REFRESH_MILLIS = 60_000;
  private static final Coverage.Row NONE = new Coverage.Row("", "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

  private final Coverage coverage;
  private final Clock clock;
  private final AtomicReference<Map<String, Coverage.Row>> rows = new AtomicReference<>(Map.of());
  private final Vertx vertx;
  private final long timer;

  public CoverageGauges(Vertx vertx, Database database, Plans plans, MeterRegistry registry, Clock clock) {
    this.vertx = vertx;
    this.coverage = new Coverage(clock.getZone());
    this.clock = clock;
    for (Plan plan : plans.all()) {
      for (Plan.Step step : plan.steps()) {
        String key = plan.name() + "/" + step.key();
        // One family, one description (Prometheus keeps a single HELP per name): the figures are told apart by their tag.
        figure(registry, key, plan, step, "due", Coverage.Row::due);
        figure(registry, key, plan, step, "done", Coverage.Row::done);
        figure(registry, key, plan, step, "in_time", Coverage.Row::inTime);
        figure(registry, key, plan, step, "failed", Coverage.Row::failed);
        figure(registry, key, plan, step, "overdue", Coverage.Row::overdue);
        figure(registry, key, plan, step, "members_due", Coverage.Row::membersDue);
        figure(registry, key, plan, step, "members_done", Coverage.Row::membersDone);
        figure(registry, key, plan, step, "incomplete", Coverage.Row::incomplete);
        Gauge.builder("kefu.journey.member.coverage", rows, r -> r.get().getOrDefault(key, NONE).memberCoverage() / 100.0)
            .tags("plan", plan.name(), "step", step.key())
            .description("share of member customers' steps done, last " + Coverage.WINDOW_DAYS + " days; the goal is 1").register(registry);
      }
    }
    this.timer = vertx.setPeriodic(1, REFRESH_MILLIS, tick -> database.transaction(this::refresh)
        .onFailure(e -> log.warn("Journeys: the coverage figures were not read this time: {}", e.getMessage())));
  }

  private void figure(MeterRegistry registry, String key, Plan plan, Plan.Step step, String figure, ToIntFunction<Coverage.Row> value) {
    Gauge.builder("kefu.journey.steps", rows, r -> value.applyAsInt(r.get().getOrDefault(key, NONE)))
        .tags("plan", plan.name(), "step", step.key(), "figure", figure)
        .description("follow-up steps by figure: due; done (the message went or the call reached the customer); in_time (done"
            + " within three days); failed (not reached, wrong number); overdue (calls open three days past due); members_due;"
            + " members_done; incomplete (closed without notes, or overdue without an outcome); last " + Coverage.WINDOW_DAYS + " days")
        .register(registry);
  }

  /** Reads the figures afresh, in the caller's transaction; returns them. */
  Coverage.Figures refresh(Connection c) throws SQLException {
    LocalDate today = LocalDate.now(clock);
    Coverage.Figures figures = coverage.of(c, today.minusDays(Coverage.WINDOW_DAYS - 1L), today, clock.instant());
    rows.set(figures.rows().stream().collect(Collectors.toMap(r -> r.plan() + "/" + r.step(), r -> r)));
    return figures;
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
