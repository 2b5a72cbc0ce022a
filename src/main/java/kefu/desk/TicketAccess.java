package kefu.desk;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.sql.Connection;
import java.sql.SQLException;
import kefu.ticket.Ticket;
import kefu.ticket.TicketRepository;

/**
 * Which ticket a console request names, and whether the agent making it may see it, write in it, or follow it up.
 * Another agent's tickets answer 404, so that they are not even confirmed to exist.
 */
final class TicketAccess {
  private final TicketRepository tickets = new TicketRepository();

  /** The ticket id in the request's path; 404 if it is not a number. */
  static long ticketId(RoutingContext ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw new HttpException(404);
    }
  }

  /** The ticket if this agent may see it. */
  Ticket visible(Connection c, long id, Agent agent) throws SQLException {
    return tickets.byId(c, id).filter(agent::maySee).orElseThrow(() -> new HttpException(404));
  }

  /** The ticket if this agent may write in it now: it is with an agent. 409 once it has been closed. */
  Ticket writable(Connection c, long id, Agent agent) throws SQLException {
    Ticket ticket = visible(c, id, agent);
    if (ticket.status() != Ticket.Status.ASSIGNED) {
      throw new HttpException(409);
    }
    return ticket;
  }

  /** The ticket if this agent may follow it up: with an agent, or a complaint whose chat ended. 409 once closed. */
  Ticket followable(Connection c, long id, Agent agent) throws SQLException {
    Ticket ticket = visible(c, id, agent);
    if (ticket.status() != Ticket.Status.ASSIGNED && ticket.status() != Ticket.Status.RESOLVED) {
      throw new HttpException(409);
    }
    return ticket;
  }
}
