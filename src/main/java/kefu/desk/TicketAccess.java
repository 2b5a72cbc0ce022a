package kefu.desk;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumSet;
import java.util.Set;
import kefu.store.Database;
import kefu.ticket.Ticket;
import kefu.ticket.TicketRepository;

/**
 * Which ticket a console request names, and whether the agent making it may see it, write in it, or follow it up;
 * the request's work on the ticket runs in the transaction that checked it. Another agent's tickets answer 404, so
 * that they are not even confirmed to exist; a ticket past what the request needs answers 409.
 */
final class TicketAccess {
  private static final Set<Ticket.Status> ANY = EnumSet.allOf(Ticket.Status.class);
  /** With an agent: a chat under way. */
  private static final Set<Ticket.Status> WRITABLE = EnumSet.of(Ticket.Status.ASSIGNED);
  /** With an agent, or a complaint whose chat ended and whose customer awaits the result. */
  private static final Set<Ticket.Status> FOLLOWABLE = EnumSet.of(Ticket.Status.ASSIGNED, Ticket.Status.RESOLVED);

  private final Database database;
  private final TicketRepository tickets = new TicketRepository();

  TicketAccess(Database database) {
    this.database = database;
  }

  /** What a request does with the ticket it names, in the transaction that found it; {@code agent} made the request. */
  @FunctionalInterface
  interface Work<T> {
    T on(Connection c, Ticket ticket, Agent agent) throws SQLException;
  }

  /** The ticket id in the request's path; 404 if it is not a number. */
  static long ticketId(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new HttpException(404);
    }
  }

  /** Does {@code work} if the agent may see the ticket. */
  <T> Future<T> visible(RoutingContext ctx, Work<T> work) {
    return reach(ctx, ANY, work);
  }

  /** Does {@code work} if the agent may write in the ticket now: it is with an agent. 409 once it has been closed. */
  <T> Future<T> writable(RoutingContext ctx, Work<T> work) {
    return reach(ctx, WRITABLE, work);
  }

  /** Does {@code work} if the agent may follow the ticket up: with an agent, or a complaint whose chat ended. */
  <T> Future<T> followable(RoutingContext ctx, Work<T> work) {
    return reach(ctx, FOLLOWABLE, work);
  }

  private <T> Future<T> reach(RoutingContext ctx, Set<Ticket.Status> statuses, Work<T> work) {
    Agent agent = DeskConsole.session(ctx).agent();
    long id = ticketId(ctx);
    return database.transaction(c -> {
      Ticket ticket = tickets.byId(c, id).filter(agent::maySee).orElseThrow(() -> new HttpException(404));
      if (!statuses.contains(ticket.status())) {
        throw new HttpException(409);
      }
      return work.on(c, ticket, agent);
    });
  }
}
