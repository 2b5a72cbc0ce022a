package kefu.desk;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.conversation.ConversationRepository;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.dialog.DialogState;
import kefu.template.Templates;

/**
 * What an agent does with a chat: accepts a waiting customer, writes to them, and closes the chat with a request
 * for a rating. Every method runs inside the caller's transaction; call {@link Delivery#wake()} after it commits.
 */
public final class Chats {
  static final List<String> TEMPLATE_KEYS = List.of("reply.chat.joined", "reply.chat.closed", "reply.rating.ask", "reply.queue.first",
      "reply.chat.transferred");

  private final Templates templates;
  private final Delivery delivery;
  private final TicketRepository tickets = new TicketRepository();
  private final ConversationRepository conversations = new ConversationRepository();
  private final MessageRepository messages = new MessageRepository();

  /** @throws kefu.template.TemplateException if a line the chats need is missing from {@code templates/} */
  public Chats(Templates templates, Delivery delivery) {
    this.templates = templates.require(TEMPLATE_KEYS);
    this.delivery = delivery;
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

  /** The agent's {@code text} to the customer, stored in the conversation and queued for the channel. */
  public Message write(Connection c, Ticket ticket, Agent agent, String text, Instant now) throws SQLException {
    return say(c, ticket, Optional.of(agent.id()), text, now);
  }

  /**
   * Ends the chat: the customer is thanked and asked for a rating of this ticket, and the bot answers again.
   * False if it was closed already.
   */
  public boolean close(Connection c, Ticket ticket, Agent agent, Instant now) throws SQLException {
    if (!tickets.close(c, ticket.id(), Optional.of(agent.id()), now)) {
      return false;
    }
    conversations.assign(c, ticket.conversationId(), Optional.empty());
    say(c, ticket, Optional.of(agent.id()), templates.text("reply.chat.closed"), now);
    say(c, ticket, Optional.empty(), templates.text("reply.rating.ask"), now);
    conversations.afterTurn(c, ticket.conversationId(), DialogState.ratingOf(ticket.id()).toJson(), now);
    return true;
  }

  private Message say(Connection c, Ticket ticket, Optional<Long> agentId, String text, Instant now) throws SQLException {
    Message message = messages.append(c, new MessageRepository.Draft(ticket.conversationId(), Message.Direction.OUT, "text",
        text, null, agentId.orElse(null)), now);
    delivery.queue(c, ticket.customerId(), message, now);
    return message;
  }
}
