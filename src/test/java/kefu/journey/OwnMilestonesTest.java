package kefu.journey;

import static kefu.journey.Journeys.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.TestStore;
import kefu.config.KefuConfig;
import kefu.conversation.Conversation;
import kefu.conversation.ConversationRepository;
import kefu.customer.CustomerRecords;
import kefu.customer.MilestoneChanges;
import kefu.customer.OwnMilestones;
import kefu.store.Sql;
import kefu.ticket.Ticket;
import kefu.ticket.TicketRepository;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kefu's own milestones: a chat's ticket closed, as the desk closes it, is the chat_closed milestone of the customer's
 * records, and for an equipment record the repair_closed one, whose day-after survey (001) the scheduler then plans.
 */
class OwnMilestonesTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(TestStore.class)
  void aClosedTicketIsAMilestoneAndStartsItsPlan(TestStore kind) throws Exception {
    try (TestStore.Open store = kind.open(dir)) {
      Instant closedAt = at("2026-12-07 16:20");
      OwnMilestones own = new OwnMilestones(new CustomerRecords(MilestoneChanges.NONE), Journeys.SHANGHAI);
      TicketRepository tickets = new TicketRepository((c, customerId, ticketId, now) -> own.ticketClosed(c, customerId, now));
      long[] ids = store.db().inTransaction(c -> {
        long customer = Journeys.follower(c, "o-own", Optional.of(closedAt.minusSeconds(600)), true);
        long equipment = Journeys.record(c, "E-70", "equipment", Optional.of(customer), false, Optional.empty());
        long studio = Journeys.record(c, "S-70", "studio", Optional.of(customer), false, Optional.empty());
        long unlinked = Journeys.record(c, "E-71", "equipment", Optional.empty(), false, Optional.empty());
        Conversation conversation = new ConversationRepository().openFor(c, customer, Conversation.WECHAT_INBOX, closedAt);
        Ticket ticket = tickets.openFor(c, customer, conversation.id(), Ticket.Kind.HANDOFF, Ticket.Reason.ASKED, closedAt.minusSeconds(300));
        assertThat(tickets.endChat(c, ticket, Optional.empty(), closedAt)).isTrue();
        return new long[] {equipment, studio, unlinked};
      });

      assertThat(milestones(store, ids[0])).containsExactly("chat_closed 2026-12-07 kefu", "repair_closed 2026-12-07 kefu");
      assertThat(milestones(store, ids[1])).containsExactly("chat_closed 2026-12-07 kefu");
      assertThat(milestones(store, ids[2])).isEmpty();

      KefuConfig config = Journeys.config(dir, store.settings(), Journeys.EVERY_DAY, KefuConfig.Journey.DEFAULTS);
      Scheduler scheduler = Journeys.scheduler(store.vertx(), store.db(), Journeys.SHIPPED, config, new Journeys.Channel(false));
      scheduler.runDue(closedAt.plusSeconds(60));
      List<String> steps = store.db().inTransaction(c -> Sql.list(c, "SELECT plan, step, due_at, status FROM journey_steps WHERE record_id = ?",
          row -> row.string("plan") + "/" + row.string("step") + " " + row.instant("due_at") + " " + row.string("status"), ids[0]));
      assertThat(steps).containsExactly("equipment-repair/survey " + at("2026-12-08 10:00") + " planned");
    }
  }

  private static List<String> milestones(TestStore.Open store, long record) throws Exception {
    return store.db().inTransaction(c -> Sql.list(c, "SELECT kind, on_date, source FROM milestones WHERE record_id = ? ORDER BY kind",
        row -> row.string("kind") + " " + row.date("on_date") + " " + row.string("source"), record));
  }
}
