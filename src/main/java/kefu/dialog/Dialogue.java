package kefu.dialog;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import kefu.conversation.Conversation;
import kefu.conversation.ConversationRepository;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.customer.Customer;
import kefu.customer.CustomerRepository;
import kefu.config.BusinessCalendar;
import kefu.config.KefuConfig;
import kefu.kb.Entry;
import kefu.kb.FaqEngine;
import kefu.kb.Match;
import kefu.rating.Rating;
import kefu.rating.RatingRepository;
import kefu.template.Templates;
import kefu.ticket.Queue;
import kefu.ticket.Ticket;
import kefu.ticket.TicketEvents;
import kefu.ticket.TicketPrompt;
import kefu.ticket.TicketRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bot's side of a conversation: for each thing a customer does, what to answer (from the knowledge base and
 * {@code templates/}) and what to remember for the next turn.
 *
 * <p>A turn has three steps, so that no database transaction waits on the FAQ engine: {@link #open} stores the
 * inbound message and reads the state, {@link #decide} chooses the replies, {@link #record} stores them with the
 * new state, any ticket and any rating. What needs no search ({@link #decideAtOnce}: small talk, events, choices)
 * may be decided and recorded in the transaction that opened the turn. Blocks: call it on worker threads.
 */
public final class Dialogue implements Bot {
  private static final Logger log = LoggerFactory.getLogger(Dialogue.class);

  /** Punctuation that ends a question, dropped where the question stands inside a sentence. */
  private static final Pattern QUESTION_MARKS = Pattern.compile("[?？!！。.\\s]+$");
  static final List<String> TEMPLATE_KEYS = List.of(
      "reply.welcome", "reply.greeting", "reply.thanks", "reply.goodbye", "reply.fallback", "reply.handoff",
      "reply.complaint", "reply.media", "reply.faq-menu", "reply.rating.ask", "reply.rating.thanks",
      "reply.suggest.head", "reply.suggest.item", "reply.suggest.tail", "reply.chat.closed", "reply.fallback-handoff",
      "reply.queue.ahead", "reply.queue.ahead-wait", "reply.queue.next", "reply.after-hours", "format.opening",
      "reply.queue.keep-waiting", "reply.queue.call-back", "reply.queue.left", "reply.queue.complaint-kept", "reply.media-received",
      "reply.suggest.menu-tail", "reply.confirm.text", "reply.confirm.head", "reply.confirm.tail", "reply.confirm.denied");

  private final Templates templates;
  private final Intents intents;
  private final FaqEngine faq;
  private final Duration idleTimeout;
  private final int handoffAfterFallbacks;
  private final boolean handoffOnMedia;
  private final BusinessCalendar calendar;
  private final DateTimeFormatter opening;
  private final TicketEvents desk;
  private final CustomerRepository customers = new CustomerRepository();
  private final ConversationRepository conversations = new ConversationRepository();
  private final MessageRepository messages = new MessageRepository();
  private final TicketRepository tickets = new TicketRepository();
  private final Queue queue = new Queue();
  private final RatingRepository ratings = new RatingRepository();

  /** @throws kefu.template.TemplateException if a reply the dialogue needs is missing from {@code templates/} */
  public Dialogue(Templates templates, FaqEngine faq, KefuConfig.Dialog config, BusinessCalendar calendar, TicketEvents desk) {
    this.templates = templates.require(TEMPLATE_KEYS);
    this.intents = new Intents(templates);
    this.faq = faq;
    this.idleTimeout = config.idleTimeout();
    this.handoffAfterFallbacks = config.handoffAfterFallbacks();
    this.handoffOnMedia = config.handoffOnMedia();
    this.calendar = calendar;
    this.opening = DateTimeFormatter.ofPattern(templates.text("format.opening"), Locale.CHINA);
    this.desk = desk;
  }

  /** The answer the apology for a long wait asks for: 1 keep waiting, 2 be called back. */
  static final String WAIT_CHOICE = "wait-choice";
  /** The answer a rating request asks for. */
  static final String RATING = "rating";

  /**
   * Stores what the customer did in their open conversation and reads what the bot remembers of them. A retry that got
   * past de-duplication is refused by the message's unique MsgId ({@link MessageRepository.AlreadyStored}), which
   * costs nothing where a look-up first would cost every message a read.
   */
  @Override
  public Turn open(Connection c, Inbound in) throws SQLException {
    Customer customer = customers.lockOrCreate(c, in.openid(), in.at());
    Conversation conversation = conversations.openFor(c, customer.id(), Conversation.WECHAT_INBOX, in.at());
    Optional<CustomerRepository.Activity> activity = activity(in);
    if (activity.isPresent()) {
      customers.recordActivity(c, customer.id(), activity.get(), in.at());
    }
    // The conversation's last-message time moves once, with the bot's memory, when the turn is recorded.
    Message inbound = messages.add(c, new MessageRepository.Draft(conversation.id(), Message.Direction.IN, in.type(),
        in.text().isEmpty() ? null : in.text(), in.channelMessageId().orElse(null)), in.at());
    return new Turn(customer, conversation, inbound, state(c, customer, conversation, in.at()),
        queued(c, customer.id(), in.kind() == Inbound.Kind.TEXT ? in.text() : ""));
  }

  /**
   * The kind of ticket the customer waits with, if {@code text} would leave the queue: the one query only such texts
   * need.
   */
  private Optional<Ticket.Kind> queued(Connection c, long customerId, String text) throws SQLException {
    if (!intents.leavesQueue(Intents.compact(text))) {
      return Optional.empty();
    }
    return tickets.open(c, customerId).filter(t -> t.status() == Ticket.Status.WAITING).map(Ticket::kind);
  }

  /**
   * What the bot remembers, unless the conversation has been quiet too long: its own memory, or the question the
   * desk put to the customer since (a rating after the chat, whether to keep waiting), which their message answers.
   */
  private DialogState state(Connection c, Customer customer, Conversation conversation, Instant now) throws SQLException {
    Instant fresh = now.minus(idleTimeout);
    Optional<Conversation.BotMemory> memory = conversation.botMemory().filter(m -> !m.savedAt().isBefore(fresh));
    // The ticket is read only if the desk asked the customer something since the conversation went quiet.
    boolean prompted = customer.promptedAt().filter(at -> !at.isBefore(fresh)).isPresent();
    Optional<TicketPrompt> prompt = (prompted ? tickets.lastPrompt(c, customer.id()) : Optional.<TicketPrompt>empty())
        .filter(p -> !p.at().isBefore(fresh))
        .filter(p -> memory.isEmpty() || memory.get().savedAt().isBefore(p.at()));
    if (prompt.isPresent()) {
      return switch (prompt.get().kind()) {
        case RATING -> DialogState.ratingOf(prompt.get().ticketId());
        case WAIT_CHOICE -> DialogState.FRESH.awaiting(WAIT_CHOICE);
      };
    }
    return memory.map(m -> DialogState.fromJson(m.json())).orElse(DialogState.FRESH);
  }

  /**
   * The turn of a stored message no turn followed (a node stopped between storing and answering it), with the
   * customer locked until the transaction ends; empty if it has been answered meanwhile.
   */
  @Override
  public Optional<Turn> resume(Connection c, Message inbound) throws SQLException {
    long customerId = conversations.byId(c, inbound.conversationId()).orElseThrow().customerId();
    CustomerRepository.lock(c, customerId);
    Conversation conversation = conversations.byId(c, inbound.conversationId()).orElseThrow();
    if (conversation.botMemory().filter(memory -> !memory.savedAt().isBefore(inbound.createdAt())).isPresent()) {
      return Optional.empty();
    }
    Customer customer = customers.byId(c, customerId).orElseThrow();
    return Optional.of(new Turn(customer, conversation, inbound, state(c, customer, conversation, inbound.createdAt()),
        queued(c, customerId, inbound.type().equals("text") ? inbound.text().orElse("") : "")));
  }

  /** What WeChat counts of it for the allowances to write back; a link opened or a location report counts for nothing. */
  private static Optional<CustomerRepository.Activity> activity(Inbound in) {
    return switch (in.kind()) {
      case TEXT, MEDIA -> Optional.of(CustomerRepository.Activity.MESSAGE);
      case SUBSCRIBE -> Optional.of(CustomerRepository.Activity.FOLLOW);
      case UNSUBSCRIBE -> Optional.of(CustomerRepository.Activity.UNFOLLOW);
      case MENU_CLICK -> Optional.of(CustomerRepository.Activity.EVENT);
      // Scanning the account's QR code, like a menu click, lets the account write a few messages.
      case OTHER_EVENT -> in.type().equals("event:scan") ? Optional.of(CustomerRepository.Activity.EVENT) : Optional.empty();
    };
  }

  /** Chooses the replies. Touches no database; may take the FAQ engine's time. */
  @Override
  public Decision decide(Turn turn, Inbound in) {
    return decideAtOnce(turn, in).orElseGet(() -> faq(in.text(), turn.state()));
  }

  /**
   * The decision, if it needs no search of the knowledge base: events, small talk, a person asked for, a choice
   * picked, an answer awaited. Cheap enough to take inside the transaction that stored the message.
   */
  @Override
  public Optional<Decision> decideAtOnce(Turn turn, Inbound in) {
    DialogState state = turn.state();
    if (turn.conversation().assigneeId().isPresent() && in.isMessage()) {
      return Optional.of(withAgent(in, state));
    }
    return switch (in.kind()) {
      case SUBSCRIBE -> Optional.of(Decision.say(DialogState.FRESH, text("reply.welcome")));
      case UNSUBSCRIBE, OTHER_EVENT -> Optional.of(Decision.say(state));
      case MEDIA -> Optional.of(handoffOnMedia ? Decision.handOver(List.of(), "reply.media", Ticket.Kind.HANDOFF, Ticket.Reason.MEDIA)
          : Decision.say(DialogState.FRESH, text("reply.media-received")));
      case MENU_CLICK -> Optional.of(menu(in.menuKey().orElse(""), state));
      case TEXT -> text(in, state, turn.queued());
    };
  }

  /** An agent is in the conversation: the bot stays silent and the agent answers, unless the customer ends the chat. */
  private Decision withAgent(Inbound in, DialogState state) {
    if (in.kind() == Inbound.Kind.TEXT && intents.endsChat(Intents.compact(in.text()))) {
      return new Decision(List.of(text("reply.chat.closed"), text("reply.rating.ask")), DialogState.FRESH.awaiting(RATING),
          Optional.empty(), Optional.empty(), Optional.of(TicketAction.END_CHAT));
    }
    return Decision.say(state);
  }

  private Decision menu(String key, DialogState state) {
    return switch (key) {
      case "faq" -> Decision.say(DialogState.FRESH, text("reply.faq-menu"));
      case "handoff" -> handoff(Ticket.Reason.ASKED);
      case "rating" -> Decision.say(state.awaiting(RATING), text("reply.rating.ask"));
      default -> {
        log.warn("Menu key {} has no action: add it to templates/wechat/menu.yaml's actions", key);
        yield Decision.say(state);
      }
    };
  }

  /** What a text gets without a search; empty when it is a question for the knowledge base. */
  private Optional<Decision> text(Inbound in, DialogState state, Optional<Ticket.Kind> queued) {
    String compact = Intents.compact(in.text());
    if (state.awaiting().filter(RATING::equals).isPresent()) {
      Optional<Rating> rating = Rating.parse(compact);
      if (rating.isPresent()) {
        // A rating that also complains is both: it is recorded, and the complaint goes to a person (五清楚 starts there).
        Optional<TicketRequest> complaint = intents.complains(Rating.besides(compact))
            ? Optional.of(new TicketRequest(Ticket.Kind.COMPLAINT, Ticket.Reason.COMPLAINT, "reply.complaint"))
            : Optional.empty();
        return Optional.of(
            new Decision(List.of(text("reply.rating.thanks")), DialogState.FRESH, complaint, rating, Optional.empty()));
      }
    }
    if (queued.isPresent() && intents.leavesQueue(compact)) {
      // A complaint stays with the staff until the customer is told the result (跟清楚); only a plain request is withdrawn.
      return Optional.of(queued.get() == Ticket.Kind.COMPLAINT ? Decision.say(DialogState.FRESH, text("reply.queue.complaint-kept"))
          : new Decision(List.of(text("reply.queue.left")), DialogState.FRESH, Optional.empty(), Optional.empty(),
              Optional.of(TicketAction.LEAVE_QUEUE)));
    }
    if (state.awaiting().filter(WAIT_CHOICE::equals).isPresent()) {
      Optional<TicketAction> choice = Intents.choice(compact).filter(n -> n <= 2)
          .map(n -> n == 1 ? TicketAction.KEEP_WAITING : TicketAction.CALL_BACK);
      if (choice.isPresent()) {
        String line = choice.get() == TicketAction.KEEP_WAITING ? "reply.queue.keep-waiting" : "reply.queue.call-back";
        return Optional.of(new Decision(List.of(text(line)), DialogState.FRESH, Optional.empty(), Optional.empty(), choice));
      }
    }
    if (state.awaiting().filter(DialogState.CONFIRM::equals).isPresent() && state.choices().size() == 1) {
      // Anything but yes or no is taken as a new question.
      if (intents.saysYes(compact)) {
        Optional<Entry> entry = faq.entry(state.choices().get(0));
        if (entry.isPresent()) {
          return Optional.of(answer(entry.get()).picked(entry.get().id()));
        }
      } else if (intents.saysNo(compact)) {
        return Optional.of(Decision.say(DialogState.FRESH, text("reply.confirm.denied")));
      }
    }
    Optional<Integer> picked = in.choice().flatMap(Dialogue::number).or(() -> Intents.choice(compact));
    if (picked.isPresent() && picked.get() <= state.choices().size()) {
      Optional<Entry> entry = faq.entry(state.choices().get(picked.get() - 1));
      if (entry.isPresent()) {
        return Optional.of(answer(entry.get()).picked(entry.get().id()));
      }
    }
    if (intents.complains(compact)) {
      return Optional.of(Decision.handOver(List.of(), "reply.complaint", Ticket.Kind.COMPLAINT, Ticket.Reason.COMPLAINT));
    }
    if (intents.asksForPerson(compact)) {
      return Optional.of(handoff(Ticket.Reason.ASKED));
    }
    Optional<Intents.SmallTalk> talk = intents.smallTalk(compact);
    if (talk.isPresent()) {
      return Optional.of(Decision.say(DialogState.FRESH, text(switch (talk.get()) {
        case GREETING -> "reply.greeting";
        case THANKS -> "reply.thanks";
        case GOODBYE -> "reply.goodbye";
      })));
    }
    return Optional.empty();
  }

  private static Optional<Integer> number(String choiceId) {
    try {
      return Optional.of(Integer.parseInt(choiceId));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Decision faq(String question, DialogState state) {
    Match match;
    try {
      match = faq.search(question);
    } catch (IllegalStateException e) {
      log.warn("Knowledge base not ready; a question got the fallback reply");
      return fallback(state);
    }
    List<Entry> found = match.offers().stream().flatMap(c -> faq.entry(c.entryId()).stream()).toList();
    Decision decided = switch (match.outcome()) {
      case ANSWER -> found.isEmpty() ? fallback(state) : answer(found.get(0));
      case CONFIRM -> found.isEmpty() ? fallback(state) : confirm(found.get(0));
      case SUGGEST -> suggest(found);
      case FALLBACK -> fallback(state);
    };
    return decided.searched(match);
  }

  /** The bot cannot answer; once it has failed the customer often enough in a row, a person takes over. */
  private Decision fallback(DialogState state) {
    DialogState after = state.afterFallback();
    if (handoffAfterFallbacks > 0 && after.fallbacks() >= handoffAfterFallbacks) {
      return Decision.handOver(List.of(), "reply.fallback-handoff", Ticket.Kind.HANDOFF, Ticket.Reason.FALLBACK);
    }
    return Decision.say(after, text("reply.fallback"));
  }

  private Decision answer(Entry entry) {
    Decision answered = Decision.say(DialogState.FRESH, new Reply.Text(entry.answer()));
    if (!entry.handoff()) {
      return answered;
    }
    // An entry marked handoff is answered and then passed on: a person must follow it up.
    return Decision.handOver(answered.replies(), "reply.handoff", Ticket.Kind.HANDOFF, Ticket.Reason.ENTRY);
  }

  private Decision suggest(List<Entry> entries) {
    List<Reply.Choice> choices = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      String number = Integer.toString(i + 1);
      choices.add(new Reply.Choice(number, entries.get(i).question()));
      lines.add(templates.render("reply.suggest.item", Map.of("number", number, "question", entries.get(i).question())));
    }
    String head = templates.text("reply.suggest.head");
    String numbered = String.join("\n",
        Stream.of(List.of(head), lines, List.of(templates.text("reply.suggest.tail"))).flatMap(List::stream).toList());
    return Decision.say(DialogState.FRESH.withChoices(entries.stream().map(Entry::id).toList()),
        new Reply.Choices(head, choices, templates.text("reply.suggest.menu-tail"), numbered));
  }

  /**
   * One entry stands out: the bot asks whether the customer means it, as a one-item menu or as plain text (there
   * without the question's own question mark, which the sentence around it supplies: 您是想问「定金要交多少」吗？).
   */
  private Decision confirm(Entry entry) {
    String asked = QUESTION_MARKS.matcher(entry.question()).replaceAll("");
    String text = templates.render("reply.confirm.text", Map.of("question", asked));
    return Decision.say(DialogState.FRESH.confirming(entry.id()), new Reply.Choices(templates.text("reply.confirm.head"),
        List.of(new Reply.Choice("1", entry.question())), templates.text("reply.confirm.tail"), text));
  }

  private Decision handoff(Ticket.Reason reason) {
    return Decision.handOver(List.of(), "reply.handoff", Ticket.Kind.HANDOFF, reason);
  }

  private Reply text(String key) {
    return new Reply.Text(templates.text(key));
  }

  /** Stores the turn's outcome: the replies as outbound messages, the state, any ticket and rating. */
  @Override
  public List<Said> record(Connection c, Turn turn, Decision decision, Instant now) throws SQLException {
    long customerId = turn.customer().id();
    List<Reply> replies = new ArrayList<>(decision.replies());
    if (decision.ticket().isPresent()) {
      // Locked, so that two turns at once find one open ticket rather than opening two.
      CustomerRepository.lock(c, customerId);
      TicketRequest request = decision.ticket().get();
      Ticket ticket = tickets.openFor(c, customerId, turn.conversation().id(), request.kind(), request.reason(), now);
      String where = calendar.isOpen(now) ? place(queue.position(c, ticket)) : afterHours(now);
      replies.add(new Reply.Text(templates.text(request.line()) + "\n" + where));
    }
    if (decision.rating().isPresent()) {
      // A rating asked for after a chat rates its ticket, and with it every agent who served it.
      OptionalLong rated = turn.state().ticket().map(OptionalLong::of).orElseGet(OptionalLong::empty);
      ratings.add(c, customerId, rated, decision.rating().get(), now);
    }
    DialogState state = decision.state();
    Optional<TicketAction> action = decision.action();
    if (action.isPresent() && action.get() == TicketAction.END_CHAT) {
      Optional<Ticket> ticket = tickets.open(c, customerId);
      if (ticket.isPresent()) {
        tickets.endChat(c, ticket.get(), Optional.empty(), now);
        tickets.ratingAsked(c, ticket.get().id(), now);
        state = DialogState.ratingOf(ticket.get().id());
      }
      conversations.assign(c, turn.conversation().id(), Optional.empty());
    } else if (action.isPresent()) {
      // Still waiting: an agent may have taken the ticket since the turn was opened.
      Optional<Ticket> waiting = tickets.open(c, customerId).filter(t -> t.status() == Ticket.Status.WAITING);
      if (waiting.isPresent() && action.get() == TicketAction.LEAVE_QUEUE) {
        tickets.close(c, waiting.get().id(), Optional.empty(), now);
      } else if (waiting.isPresent()) {
        tickets.answeredWaitOffer(c, waiting.get().id(), action.get() == TicketAction.CALL_BACK, now);
      }
    }
    List<Said> said = new ArrayList<>(replies.size());
    for (Reply reply : replies) {
      Message message = messages.add(c, new MessageRepository.Draft(turn.conversation().id(), Message.Direction.OUT,
          reply instanceof Reply.Choices ? "menu" : "text", reply.asText(), null), now);
      said.add(new Said(message, reply));
    }
    conversations.afterTurn(c, turn.conversation().id(), state.toJson(), now);
    return said;
  }

  /** Outside working hours: the customer may leave a message, answered when work starts again. */
  private String afterHours(Instant now) {
    return templates.render("reply.after-hours",
        Map.of("opens", calendar.nextOpening(now).map(opening::format).orElse("")));
  }

  /** The customer's place in the queue, in words: next, or how many ahead and, once it can be estimated, the wait. */
  private String place(Queue.Position position) {
    if (position.ahead() == 0) {
      return templates.text("reply.queue.next");
    }
    if (position.expectedWait().isEmpty()) {
      return templates.render("reply.queue.ahead", Map.of("ahead", position.ahead()));
    }
    long minutes = Math.max(1, (position.expectedWait().get().toSeconds() + 59) / 60);
    return templates.render("reply.queue.ahead-wait", Map.of("ahead", position.ahead(), "minutes", minutes));
  }

  /** Tells the consoles what the turn changed: the queue, or the chat an agent has with this customer. */
  @Override
  public void recorded(Turn turn, Decision decision) {
    if (decision.ticket().isPresent() || decision.action().isPresent()) {
      desk.queueChanged();
    }
    turn.conversation().assigneeId().ifPresent(agent -> desk.chatChanged(turn.conversation().id(), agent));
  }
}
