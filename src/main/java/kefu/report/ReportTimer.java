package kefu.report;

import io.vertx.core.Vertx;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the reports when they fall due: at start (catching up a time missed while the service was down) and then
 * once a minute, on a worker thread.
 */
public final class ReportTimer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReportTimer.class);
  private static final long MINUTE_MILLIS = 60_000;

  private final Vertx vertx;
  private final Reports reports;
  private final Clock clock;
  private final long timer;

  public ReportTimer(Vertx vertx, Reports reports, Clock clock) {
    this.vertx = vertx;
    this.reports = reports;
    this.clock = clock;
    run();
    this.timer = vertx.setPeriodic(MINUTE_MILLIS, tick -> run());
  }

  private void run() {
    vertx.executeBlocking(() -> reports.runDue(clock.instant()), false)
        .onFailure(e -> log.warn("Reports: not made this time, tried again in a minute: {}", e.getMessage()));
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
