package kefu.desk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kefu.customer.Customer;
import kefu.customer.CustomerRecords;
import kefu.customer.CustomerRepository;
import kefu.customer.MilestoneChanges;
import kefu.rating.RatingRepository;
import kefu.ticket.Ticket;
import kefu.ticket.TicketRepository;

/**
 * The customer's file as the chat pane shows it: name, phone (masked unless revealed), birthday, notes, tags, the
 * business's records they are linked to, and their other tickets with the ratings they gave.
 *
 * @param phone the number masked, or in full when {@code revealed}; empty if unknown
 * @param phoneOnFile whether there is a number (not named hasPhone: Pebble would read that for {@code phone})
 */
public record CustomerFile(String name, String phone, boolean revealed, boolean phoneOnFile, String birthday, String notes,
    String tags, List<PastTicket> past, List<LinkedRecord> records) {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");

  /** A customer record the customer is linked to (by a QR code scanned, or by an agent), for a link to its page. */
  public record LinkedRecord(long id, String reference) {}

  /** Another ticket of the customer; {@code rating} is the level given (1 非常满意 … 5), 0 if none. */
  public record PastTicket(long id, String kind, String status, String openedOn, int rating) {}

  /** The file of {@code ticket}'s customer, the phone in full only if {@code reveal}. */
  public static CustomerFile of(Connection c, Ticket ticket, boolean reveal, ZoneId zone) throws SQLException {
    Customer customer = new CustomerRepository().byId(c, ticket.customerId()).orElseThrow();
    Map<Long, Integer> ratings = new RatingRepository().byTicket(c, customer.id());
    List<PastTicket> past = new ArrayList<>();
    for (Ticket other : new TicketRepository().forCustomer(c, customer.id())) {
      if (other.id() != ticket.id()) {
        past.add(new PastTicket(other.id(), other.kind().name().toLowerCase(Locale.ROOT), other.status().name().toLowerCase(Locale.ROOT),
            DAY.format(other.createdAt().atZone(zone)), ratings.getOrDefault(other.id(), 0)));
      }
    }
    return new CustomerFile(customer.name().orElse(""), (reveal ? customer.phone() : customer.maskedPhone()).orElse(""), reveal,
        customer.phone().isPresent(), customer.birthday().map(DAY::format).orElse(""), customer.notes().orElse(""),
        String.join(",", customer.tags()), past, new CustomerRecords(MilestoneChanges.NONE).forCustomer(c, customer.id()).stream()
            .map(r -> new LinkedRecord(r.id(), r.reference())).toList());
  }
}
