package kefu.desk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.conversation.Conversation;
import kefu.conversation.ConversationRepository;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.customer.CustomerRepository;
import kefu.template.Templates;
import kefu.ticket.Complaint;
import kefu.ticket.ComplaintRepository;
import kefu.ticket.Ticket;
import kefu.ticket.TicketClosings;
import kefu.ticket.TicketRepository;

/**
 * What an agent does with a chat: accepts a waiting customer, writes to them, and closes the chat with a request
 * for a rating. Every method runs inside the caller's transaction; call {@link Delivery#wake()} after it commits.
 */
public final class Chats {
  static final List<String> TEMPLATE_KEYS = List.of("reply.chat.joined", "reply.chat.closed", "reply.rating.ask", "reply.queue.first",
      "reply.chat.transferred", "reply.complaint-result", "manager.major-complaint", "taboo",
      "reply.chat.idle-closed", "reply.queue.too-long");

  private final Templates templates;
  private final Delivery delivery;
  private final Optional<String> managerOpenid;
  private final List<String> taboo;
  private final List<Canned> canned;
  private final ComplaintRepository complaints = new ComplaintRepository();
  private final CustomerRepository customers = new CustomerRepository();
  private final TicketRepository tickets;
  private final ConversationRepository conversations = new ConversationRepository();
  private final MessageRepository messages = new MessageRepository();

  /** @throws kefu.template.TemplateException if a line the chats need is missing from {@code templates/} */
  /**
   * @param managerOpenid the manager told of each major complaint on WeChat, if any
   * @param closings told of each ticket a chat's end closes
   */
  public Chats(Templates templates, Delivery delivery, Optional<String> managerOpenid, TicketClosings closings) {
    this.tickets = new TicketRepository(closings);
    this.templates = templates.require(TEMPLATE_KEYS);
    this.delivery = delivery;
    this.managerOpenid = managerOpenid;
    this.taboo = templates.list("taboo").stream().map(Chats::compact).filter(t -> !t.isEmpty()).toList();
    this.canned = templates.keys().stream().filter(k -> k.startsWith(CANNED)).sorted()
        .map(k -> new Canned(k.substring(CANNED.length()), templates.text(k))).toList();
  }

  private static final String CANNED = "canned.";

  /** A canned reply (常用服务用语) and the shortcut that inserts it. */
  public record Canned(String shortcut, String text) {}

  /** The canned replies of {@code templates/desk.yaml}, by shortcut. */
  public List<Canned> canned() {
    return canned;
  }

  /** The 服务忌语 phrase {@code text} contains, if any; spaces and punctuation between its words do not hide it. */
  public Optional<String> taboo(String text) {
    String compact = compact(text);
    return taboo.stream().filter(compact::contains).findFirst();
  }

  private static String compact(String text) {
    return text.replaceAll("[\\s\\p{Punct}\\p{IsPunctuation}]", "");
  }

  /** The taboo phrases, for the console to warn before a reply is sent. */
  public List<String> tabooPhrases() {
    return taboo;
  }

  /**
   * Gives the waiting ticket to {@code agent}, who greets the customer; from now on the bot is silent in the
   * conversation. False if another agent accepted it first; then call {@link #tellFirst}.
   */
  public boolean accept(Connection c, Ticket ticket, Agent agent, Instant now) throws SQLException {
    if (!tickets.assign(c, ticket.id(), agent.id(), now)) {
      return false;
    }
    conversations.assign(c, ticket.conversationId(), Optional.of(agent.id()));
    say(c, ticket, Optional.of(agent.id()), templates.render("reply.chat.joined", Map.of("agent", agent.name())), now);
    return true;
  }

  /**
   * Tells the customer now first in the queue so, if taking {@code accepted} (the earliest of those just taken)
   * moved them up. Each customer reaches the head once, so this costs one of WeChat's few messages per customer.
   */
  public void tellFirst(Connection c, Ticket accepted, Instant now) throws SQLException {
    Optional<Ticket> first = tickets.waiting(c).stream().findFirst();
    if (first.isPresent() && accepted.createdAt().compareTo(first.get().createdAt()) <= 0) {
      say(c, first.get(), Optional.empty(), templates.text("reply.queue.first"), now);
    }
  }

  /**
   * Passes the chat to {@code to}, who is credited with serving it too; {@code by} leaves {@code note} for them and
   * the customer is asked to wait a moment. False if the chat was closed meanwhile.
   */
  public boolean transfer(Connection c, Ticket ticket, Agent by, Agent to, String note, Instant now) throws SQLException {
    if (!tickets.transfer(c, ticket.id(), to.id(), by.id(), note, now)) {
      return false;
    }
    conversations.assign(c, ticket.conversationId(), Optional.of(to.id()));
    say(c, ticket, Optional.of(by.id()), templates.render("reply.chat.transferred", Map.of("agent", to.name())), now);
    return true;
  }

  /**
   * The agent's {@code text} to the customer, stored in the conversation and queued for the channel; {@code suggestion}
   * is the knowledge-base entry it started from, when the agent took one from answer assist.
   */
  public Message write(Connection c, Ticket ticket, Agent agent, String text, Optional<String> suggestion, Instant now)
      throws SQLException {
    if (ticket.kind() == Ticket.Kind.COMPLAINT) {
      complaints.replied(c, ticket.id(), now);
    }
    Message message = say(c, ticket, Optional.of(agent.id()), text, now);
    if (suggestion.isPresent()) {
      messages.fromSuggestion(c, message.id(), suggestion.get());
    }
    return message;
  }

  /**
   * Records the complaint by 五清楚 (on a handoff ticket, it becomes a complaint). A complaint newly marked major is
   * reported: true then, and the manager, if configured, gets a WeChat message at once; the caller alerts the
   * supervisors' consoles once the transaction commits.
   */
  public boolean recordComplaint(Connection c, Ticket ticket, ComplaintForm form, Instant now) throws SQLException {
    tickets.markComplaint(c, ticket.id(), now);
    complaints.record(c, ticket.id(), form.severity(), form.told(), form.asked(), form.handling(), form.result(), form.replyDueAt(), now);
    if (form.severity() != Complaint.Severity.MAJOR || !complaints.reported(c, ticket.id(), now)) {
      return false;
    }
    if (managerOpenid.isPresent()) {
      tellManager(c, managerOpenid.get(), templates.render("manager.major-complaint", Map.of("ticket", ticket.id(), "told", form.told())), now);
    }
    return true;
  }

  /** What an agent writes in the complaint form; {@code replyDueAt} is the next reply promised to the customer. */
  public record ComplaintForm(Complaint.Severity severity, String told, String asked, String handling, String result,
      Optional<Instant> replyDueAt) {}

  /**
   * Tells the customer the recorded result (复清楚). A complaint whose chat had ended closes now. False if no result
   * is recorded yet.
   */
  public boolean tellResult(Connection c, Ticket ticket, Agent agent, Instant now) throws SQLException {
    Optional<Complaint> complaint = complaints.byTicket(c, ticket.id()).filter(p -> !p.result().isBlank());
    if (complaint.isEmpty()) {
      return false;
    }
    say(c, ticket, Optional.of(agent.id()), templates.render("reply.complaint-result", Map.of("result", complaint.get().result())), now);
    complaints.replied(c, ticket.id(), now);
    complaints.resultTold(c, ticket.id(), now);
    if (ticket.status() == Ticket.Status.RESOLVED) {
      tickets.close(c, ticket.id(), Optional.of(agent.id()), now);
    }
    return true;
  }

  /**
   * Sends the manager a message on WeChat, through the outbox like any other: the manager is a follower of the
   * account, and the message is kept in their own conversation.
   */
  void tellManager(Connection c, String openid, String text, Instant now) throws SQLException {
    long managerId = customers.lockOrCreate(c, openid, now).id();
    long conversationId = conversations.openFor(c, managerId, Conversation.WECHAT_INBOX, now).id();
    Message message = messages.append(c, new MessageRepository.Draft(conversationId, Message.Direction.OUT, "text", text, null), now);
    delivery.queue(c, managerId, message, now);
  }

  /**
   * Ends the chat: the customer is thanked and asked for a rating of this ticket, and the bot answers again.
   * False if it was closed already.
   */
  public boolean close(Connection c, Ticket ticket, Agent agent, Instant now) throws SQLException {
    return end(c, ticket, Optional.of(agent.id()), "reply.chat.closed", now);
  }

  /** Closes the chats nobody has written in since {@code quietSince}, politely; the tickets closed. */
  public List<Ticket> closeQuiet(Connection c, Instant quietSince, Instant now) throws SQLException {
    List<Ticket> quiet = new ArrayList<>();
    // The chats under way are few (a handful per agent), so each conversation is read on its own.
    for (Ticket ticket : tickets.assigned(c)) {
      if (conversations.byId(c, ticket.conversationId()).filter(v -> v.lastMessageAt().isBefore(quietSince)).isPresent()) {
        end(c, ticket, Optional.empty(), "reply.chat.idle-closed", now);
        quiet.add(ticket);
      }
    }
    return quiet;
  }

  /**
   * Apologises to the customers waiting since before {@code waitingSince} and not asked yet, and offers them to keep
   * waiting (1) or be called back (2); the tickets offered.
   */
  public List<Ticket> offerLongWaits(Connection c, Instant waitingSince, Instant now) throws SQLException {
    List<Ticket> offered = new ArrayList<>();
    for (Ticket ticket : tickets.waitingTooLong(c, waitingSince)) {
      if (tickets.waitOffered(c, ticket.id(), now)) {
        say(c, ticket, Optional.empty(), templates.text("reply.queue.too-long"), now);
        offered.add(ticket);
      }
    }
    return offered;
  }

  /** Ends the chat ({@code by} the agent, or empty when it fell quiet) with {@code line} and the rating request. */
  private boolean end(Connection c, Ticket ticket, Optional<Long> by, String line, Instant now) throws SQLException {
    // The customer before the ticket, as their turn takes them: the rating request marks the customer's row.
    CustomerRepository.lock(c, ticket.customerId());
    if (!tickets.endChat(c, ticket, by, now)) {
      return false;
    }
    conversations.assign(c, ticket.conversationId(), Optional.empty());
    say(c, ticket, by, templates.text(line), now);
    say(c, ticket, Optional.empty(), templates.text("reply.rating.ask"), now);
    tickets.ratingAsked(c, ticket.id(), now);
    return true;
  }

  private Message say(Connection c, Ticket ticket, Optional<Long> agentId, String text, Instant now) throws SQLException {
    Message message = messages.append(c, new MessageRepository.Draft(ticket.conversationId(), Message.Direction.OUT, "text",
        text, null, agentId.orElse(null)), now);
    delivery.queue(c, ticket.customerId(), message, now);
    return message;
  }
}
