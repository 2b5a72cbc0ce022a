package kefu.report;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the reports when they fall due: at start (catching up a time missed while the service was down) and then
 * once a minute, on a worker thread; each report made is announced to the consoles at once.
 */
public final class ReportTimer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReportTimer.class);
  private static final long MINUTE_MILLIS = 60_000;

  private final Vertx vertx;
  private final Reports reports;
  private final Clock clock;
  private final Consumer<Reports.Snapshot> announce;
  private final long timer;

  /** @param announce tells the consoles of a report made; called on a worker thread, may block */
  public ReportTimer(Vertx vertx, Reports reports, Clock clock, Consumer<Reports.Snapshot> announce) {
    this.vertx = vertx;
    this.reports = reports;
    this.clock = clock;
    this.announce = announce;
    run();
    this.timer = vertx.setPeriodic(MINUTE_MILLIS, tick -> run());
  }

  private void run() {
    vertx.executeBlocking(() -> {
      List<Reports.Snapshot> made = reports.runDue(clock.instant());
      made.forEach(announce);
      return made;
    }, false)
        .onFailure(e -> log.warn("Reports: not made this time, tried again in a minute: {}", e.getMessage()));
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
  }
}
