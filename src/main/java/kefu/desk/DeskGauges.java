package kefu.desk;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import kefu.config.KefuConfig;
import kefu.ticket.ComplaintRepository;
import kefu.ticket.Ticket;
import kefu.ticket.TicketRepository;

/**
 * The desk's state as metrics ({@code kefu.desk.*} on {@code /metrics}), for dashboards of queues and SLAs. Read from
 * the database on each of the dispatcher's rounds, never during a scrape; every node reports the same figures, so
 * dashboards take the maximum over nodes, not the sum.
 */
final class DeskGauges {
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger chats = new AtomicInteger();
  private final AtomicInteger online = new AtomicInteger();
  private final AtomicInteger complaints = new AtomicInteger();
  private final AtomicInteger breachesToday = new AtomicInteger();
  private final KefuConfig.Desk config;
  private final TicketRepository tickets = new TicketRepository();
  private final AgentRepository agents = new AgentRepository();
  private final ComplaintRepository complaintRecords = new ComplaintRepository();

  DeskGauges(MeterRegistry registry, KefuConfig.Desk config) {
    this.config = config;
    gauge(registry, "kefu.desk.waiting", "customers waiting for an agent", waiting);
    gauge(registry, "kefu.desk.chats", "chats agents have now", chats);
    gauge(registry, "kefu.desk.agents.online", "agents online at the console", online);
    gauge(registry, "kefu.desk.complaints.open", "complaints whose customer has not been told the result", complaints);
    gauge(registry, "kefu.desk.sla.breaches.today", "promised reply times passed without a reply today", breachesToday);
  }

  private static void gauge(MeterRegistry registry, String name, String description, AtomicInteger value) {
    Gauge.builder(name, value, AtomicInteger::get).description(description).register(registry);
  }

  /** Reads the figures afresh, in the caller's transaction. */
  void refresh(Connection c, Instant now) throws SQLException {
    Map<Ticket.Status, Integer> byStatus = tickets.unclosedByStatus(c);
    waiting.set(byStatus.getOrDefault(Ticket.Status.WAITING, 0));
    chats.set(byStatus.getOrDefault(Ticket.Status.ASSIGNED, 0));
    online.set(agents.available(c, now.minus(config.sessionIdleTimeout())).size());
    complaints.set(complaintRecords.open(c).size());
    breachesToday.set(complaintRecords.breachesSince(c,
        now.atZone(config.calendar().zone()).toLocalDate().atStartOfDay(config.calendar().zone()).toInstant(), now));
  }
}
