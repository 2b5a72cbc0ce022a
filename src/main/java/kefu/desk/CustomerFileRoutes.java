package kefu.desk;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import kefu.customer.Customer;
import kefu.customer.CustomerProfile;
import kefu.customer.CustomerRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer's file in the chat pane: what the agent records of the customer, and revealing the masked phone number
 * for a reason, which is logged with who and when.
 */
final class CustomerFileRoutes {
  private static final Logger log = LoggerFactory.getLogger(CustomerFileRoutes.class);
  /** The columns hold 100 (name) and 4,000 (notes) characters, and 500 of tags. */
  private static final int MAX_NAME = 100;
  private static final int MAX_NOTES = 4000;
  private static final int MAX_TAGS = 500;
  private static final Pattern PHONE = Pattern.compile("[0-9+\\- ]{5,20}");
  /** A reason for seeing the phone number: a few words, no essay. */
  private static final int MIN_REASON = 2;
  private static final int MAX_REASON = 200;

  private final ChatPaneRoutes pane;
  private final TicketAccess access;
  private final Clock clock;
  private final CustomerRepository customers = new CustomerRepository();
  private final PhoneReveals reveals = new PhoneReveals();

  CustomerFileRoutes(ChatPaneRoutes pane, TicketAccess access, Clock clock) {
    this.pane = pane;
    this.access = access;
    this.clock = clock;
  }

  /** Adds the routes; the console's session and CSRF checks must come first. */
  void routes(Router router) {
    router.post("/desk/tickets/:id/customer").handler(this::record);
    router.post("/desk/tickets/:id/reveal").handler(this::revealPhone);
  }

  /** What the agent recorded of the customer; an empty phone keeps the number on file (the form never shows it). */
  private void record(RoutingContext ctx) {
    Form form = new Form(ctx);
    Optional<String> name = form.given("name", MAX_NAME);
    Optional<String> phone = form.matching("phone", PHONE);
    Optional<LocalDate> born = form.day("birthday");
    Optional<String> notes = form.given("notes", MAX_NOTES);
    List<String> tags = form.words("tags", MAX_TAGS);
    access.visible(ctx, (c, ticket, me) -> {
      Customer known = customers.byId(c, ticket.customerId()).orElseThrow();
      customers.updateProfile(c, known.id(), new CustomerProfile(name, phone.or(known::phone), born, notes, tags), clock.instant());
      return ticket;
    }).onSuccess(ticket -> DeskPages.redirect(ctx, "/desk/tickets/" + ticket.id())).onFailure(ctx::fail);
  }

  /** Shows the phone number in full once, for a reason the agent gives, which is logged with who and when. */
  private void revealPhone(RoutingContext ctx) {
    String reason = new Form(ctx).text("reason", MIN_REASON, MAX_REASON);
    access.visible(ctx, (c, ticket, me) -> {
      reveals.record(c, ticket.customerId(), me.id(), ticket.id(), reason, clock.instant());
      log.info("Desk: Agent#{} revealed the phone number of Customer#{} (reason recorded)", me.id(), ticket.customerId());
      return ticket;
    }).onSuccess(ticket -> pane.send(ctx, true)).onFailure(ctx::fail);
  }
}
