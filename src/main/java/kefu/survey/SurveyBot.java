package kefu.survey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kefu.conversation.Message;
import kefu.dialog.Bot;
import kefu.dialog.Decision;
import kefu.dialog.DialogState;
import kefu.dialog.ForwardingBot;
import kefu.dialog.Inbound;
import kefu.dialog.Reply;
import kefu.dialog.Said;
import kefu.dialog.Turn;
import kefu.rating.Rating;

/**
 * The bot, asking the survey a customer is in the middle of: a reply that answers the pending question (a tapped
 * choice, a digit, a level's words, or the comment) is kept and the next question asked; 退出 stops it; anything else
 * goes to the bot, whose answer is followed by the pending question again. Answers are stored in the turn's own
 * transaction, so what the customer answered is kept however the survey ends.
 */
public final class SurveyBot extends ForwardingBot {
  /** A comment is kept up to this many characters, as the column holds. */
  static final int MAX_COMMENT = 2000;

  private final Surveys surveys;
  private final SurveyQuestions questions;
  private final SurveyFeedback feedback;
  private final SurveyComplaints complaints;
  private final Duration expiry;
  private final SurveyRuns runs = new SurveyRuns();
  /** The question pending in each turn being taken, by the inbound message's id: read when it opens, kept when it is recorded. */
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Map<Long, Move> moves = new ConcurrentHashMap<>();
  private final Set<Long> complained = ConcurrentHashMap.newKeySet();

  /** @param expiry how long a survey waits for the customer's next answer ({@code journey.survey-expiry}) */
  public SurveyBot(Bot bot, Surveys surveys, SurveyComplaints complaints, Duration expiry) {
    super(bot);
    this.surveys = surveys;
    this.questions = new SurveyQuestions(surveys);
    this.complaints = complaints;
    this.feedback = new SurveyFeedback(surveys, questions, complaints, runs);
    this.expiry = expiry;
  }

  /** The survey a turn's customer is being asked, and its pending question. */
  private record Pending(SurveyRuns.Run run, Survey survey, Survey.Question question) {}

  /** What the turn does to the survey: answers the pending question, stops it, or asks it again after the bot's reply. */
  private record Move(Kind kind, Optional<Rating> rating, Optional<String> comment) {
    enum Kind { ANSWER, STOP, ASK_AGAIN }
  }

  @Override
  public Turn open(Connection c, Inbound in) throws SQLException {
    Turn turn = super.open(c, in);
    pend(c, turn, in.at());
    return turn;
  }

  @Override
  public Optional<Turn> resume(Connection c, Message inbound) throws SQLException {
    return look(c, super.resume(c, inbound), inbound.createdAt());
  }

  /** Reads the survey pending for the turn's customer at {@code at}, if any, for the turn's decision; the turn as it is. */
  private Optional<Turn> look(Connection c, Optional<Turn> opened, Instant at) throws SQLException {
    if (opened.isPresent()) {
      pend(c, opened.get(), at);
    }
    return opened;
  }

  /**
   * Keeps what is pending for the turn's message. What the decision made of it stays: a resumed turn is looked at again
   * in the transaction that records it.
   */
  private void pend(Connection c, Turn turn, Instant at) throws SQLException {
    long id = turn.inbound().id();
    pending.remove(id);
    if (turn.customer().surveyUntil().filter(until -> until.isAfter(at)).isEmpty()) {
      return; // no survey started for the customer is still asking: nothing to read
    }
    Optional<SurveyRuns.Run> run = runs.asking(c, turn.customer().id(), at);
    if (run.isEmpty()) {
      return;
    }
    Optional<Survey> survey = surveys.named(run.get().survey());
    Optional<Survey.Question> question = survey.flatMap(s -> s.at(run.get().position()));
    if (question.isPresent()) {
      pending.put(id, new Pending(run.get(), survey.get(), question.get()));
    }
  }

  @Override
  public Optional<Decision> decideAtOnce(Turn turn, Inbound in) {
    Pending asked = asked(turn, in);
    if (asked == null) {
      return super.decideAtOnce(turn, in);
    }
    Optional<Move> move = move(asked, turn, in);
    if (move.isPresent()) {
      moves.put(turn.inbound().id(), move.get());
      return Optional.of(reply(asked, move.get()));
    }
    return super.decideAtOnce(turn, in).map(decision -> askAgain(turn, asked, decision));
  }

  @Override
  public Decision decide(Turn turn, Inbound in) {
    Optional<Decision> atOnce = decideAtOnce(turn, in);
    if (atOnce.isPresent()) {
      return atOnce.get();
    }
    Decision decision = super.decide(turn, in);
    Pending asked = asked(turn, in);
    return asked == null ? decision : askAgain(turn, asked, decision);
  }

  /** The question pending when the customer writes to the bot (with an agent in the chat, the survey waits). */
  private Pending asked(Turn turn, Inbound in) {
    if (in.kind() != Inbound.Kind.TEXT || turn.conversation().assigneeId().isPresent()) {
      return null;
    }
    return pending.get(turn.inbound().id());
  }

  private Optional<Move> move(Pending asked, Turn turn, Inbound in) {
    String compact = SurveyQuestions.compact(in.text());
    if (questions.stops(compact)) {
      return Optional.of(new Move(Move.Kind.STOP, Optional.empty(), Optional.empty()));
    }
    if (asked.question().kind() == Survey.Kind.COMMENT) {
      Optional<String> comment = questions.noComment(compact) ? Optional.empty()
          : Optional.of(in.text().strip()).map(text -> text.length() <= MAX_COMMENT ? text : text.substring(0, MAX_COMMENT));
      return Optional.of(new Move(Move.Kind.ANSWER, Optional.empty(), comment));
    }
    if (in.choice().isEmpty() && pickingSuggestion(asked, turn, compact)) {
      return Optional.empty();
    }
    return questions.rating(in.choice(), compact).map(rating -> new Move(Move.Kind.ANSWER, Optional.of(rating), Optional.empty()));
  }

  /**
   * Whether the customer picks one of the numbered questions the bot's last reply offered after the survey last asked
   * (they asked one in between): the survey is asked again after the answer. A number beyond them, or a level's words,
   * answers the survey.
   */
  private static boolean pickingSuggestion(Pending asked, Turn turn, String compact) {
    return turn.state().picks(compact).isPresent()
        && turn.conversation().botMemory().filter(memory -> memory.savedAt().isAfter(asked.run().updatedAt())).isPresent();
  }

  private Decision reply(Pending asked, Move move) {
    if (move.kind() == Move.Kind.STOP) {
      return Decision.say(DialogState.FRESH, new Reply.Text(questions.text("survey.stopped")));
    }
    Optional<Survey.Question> next = asked.survey().at(asked.run().position() + 1);
    return Decision.say(DialogState.FRESH,
        next.isPresent() ? questions.ask(next.get(), Optional.empty()) : new Reply.Text(questions.text("survey.thanks")));
  }

  /**
   * The bot's reply, then the pending question again; not while the customer is handed to a person, nor right after
   * numbered questions the customer is to pick from (it comes after the answer they pick).
   */
  private Decision askAgain(Turn turn, Pending asked, Decision decision) {
    if (decision.ticket().isPresent() || !decision.state().choices().isEmpty()) {
      return decision;
    }
    moves.put(turn.inbound().id(), new Move(Move.Kind.ASK_AGAIN, Optional.empty(), Optional.empty()));
    List<Reply> replies = new ArrayList<>(decision.replies());
    replies.add(questions.ask(asked.question(), Optional.of(questions.text("survey.back"))));
    return new Decision(replies, decision.state(), decision.ticket(), decision.rating(), decision.action(), decision.searched(),
        decision.picked());
  }

  @Override
  public List<Said> record(Connection c, Turn turn, Decision decision, Instant now) throws SQLException {
    List<Said> said = super.record(c, turn, decision, now);
    long id = turn.inbound().id();
    Pending asked = pending.remove(id);
    Move move = moves.remove(id);
    if (asked != null && move != null && keep(c, asked, move, now)) {
      complained.add(id);
    }
    return said;
  }

  /** Keeps what the turn did to the survey; whether that opened a complaint. */
  private boolean keep(Connection c, Pending asked, Move move, Instant now) throws SQLException {
    long runId = asked.run().id();
    int position = asked.run().position();
    Instant expires = now.plus(expiry);
    switch (move.kind()) {
      case ASK_AGAIN -> {
        runs.asked(c, runId, expires, now);
        return false;
      }
      case STOP -> {
        return runs.move(c, runId, position, Optional.of(SurveyRuns.Status.STOPPED), expires, now) && feedback.review(c, runId, now);
      }
      default -> {
        boolean last = asked.survey().at(position + 1).isEmpty();
        // Moved only if still at this question: an answer that raced another is not kept twice.
        if (!runs.move(c, runId, position, last ? Optional.of(SurveyRuns.Status.DONE) : Optional.empty(), expires, now)) {
          return false;
        }
        runs.answer(c, runId, asked.question().key(), move.rating(), move.comment(), now);
        return last && feedback.review(c, runId, now);
      }
    }
  }

  @Override
  public void recorded(Turn turn, Decision decision) {
    super.recorded(turn, decision);
    if (complained.remove(turn.inbound().id())) {
      complaints.opened();
    }
  }
}
