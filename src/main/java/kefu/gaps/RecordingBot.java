package kefu.gaps;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.dialog.Bot;
import kefu.dialog.ForwardingBot;
import kefu.dialog.Decision;
import kefu.dialog.Said;
import kefu.dialog.Turn;
import kefu.kb.Candidate;
import kefu.kb.Match;
import kefu.kb.Outcome;
import kefu.kb.analysis.TextNormalizer;
import kefu.ticket.Ticket;

/**
 * The bot, recording with each turn, in the turn's own transaction, what its figures and the questions the knowledge
 * base lacks are made of: each question searched and what the customer did next — a question that ended in the
 * fallback, a suggestion list the next message did not pick from, an answer followed at once by a request for a
 * person or by the same question again.
 */
public final class RecordingBot extends ForwardingBot {
  private final Duration followWithin;
  private final BotQuestions questions = new BotQuestions();
  private final GapRepository gaps = new GapRepository();

  /**
   * @param followWithin how soon the customer's next message must come to count as what followed the bot's turn: the
   *     dialogue's idle timeout, after which it starts afresh
   */
  public RecordingBot(Bot bot, Duration followWithin) {
    super(bot);
    this.followWithin = followWithin;
  }

  @Override
  public List<Said> record(Connection c, Turn turn, Decision decision, Instant now) throws SQLException {
    List<Said> said = super.record(c, turn, decision, now);
    long conversationId = turn.conversation().id();
    // Events (follow, unfollow, a link opened) say nothing of the bot's last answer; a menu click for a person does.
    // The bot's last question is read only where the conversation says one may await what follows.
    boolean awaiting = turn.conversation().questionAt().isPresent();
    if (awaiting && (!turn.inbound().type().startsWith("event:") || decision.ticket().isPresent())) {
      Optional<BotQuestions.Asked> before = questions.awaitingFollow(c, conversationId);
      if (before.isPresent()) {
        followed(c, conversationId, before.get(), turn, decision, now);
      }
    }
    Optional<Match> match = decision.searched();
    Optional<String> text = turn.inbound().text();
    if (match.isPresent() && text.isPresent()) {
      String question = text.get();
      questions.add(c, conversationId, question, match.get(), decision.ticket().isPresent(), now);
      if (match.get().outcome() == Outcome.FALLBACK) {
        Optional<Candidate> nearest = match.get().best();
        gaps.add(c, conversationId, question, GapKind.FALLBACK, nearest.map(Candidate::entryId),
            nearest.map(Candidate::confidence), now);
      }
    }
    return said;
  }

  /** Records what the customer did after the bot's last turn, and the question as a gap if that shows one. */
  private void followed(Connection c, long conversationId, BotQuestions.Asked before, Turn turn, Decision decision,
      Instant now) throws SQLException {
    BotQuestions.Follow follow = follow(before, turn, decision, now);
    questions.follow(c, conversationId, before, follow);
    boolean suggested = before.outcome().equals("suggest") || before.outcome().equals("confirm");
    boolean answered = before.outcome().equals("answer");
    Optional<GapKind> gap = suggested && follow != BotQuestions.Follow.PICK ? Optional.of(GapKind.IGNORED)
        : answered && follow == BotQuestions.Follow.HANDOFF ? Optional.of(GapKind.HANDOFF)
        : answered && follow == BotQuestions.Follow.AGAIN ? Optional.of(GapKind.AGAIN)
        : Optional.empty();
    if (gap.isPresent()) {
      gaps.add(c, conversationId, before.question(), gap.get(), before.entryId(), before.confidence(), now);
    }
  }

  private BotQuestions.Follow follow(BotQuestions.Asked before, Turn turn, Decision decision, Instant now) {
    if (before.askedAt().plus(followWithin).isBefore(now)) {
      return BotQuestions.Follow.OTHER;
    }
    if (decision.picked().isPresent()) {
      return BotQuestions.Follow.PICK;
    }
    Optional<Ticket.Reason> reason = decision.ticket().map(t -> t.reason());
    if (reason.filter(r -> r == Ticket.Reason.ASKED || r == Ticket.Reason.COMPLAINT).isPresent()) {
      return BotQuestions.Follow.HANDOFF;
    }
    Optional<String> text = turn.inbound().text();
    if (decision.searched().isPresent() && text.isPresent() && same(before, text.get(), decision.searched().get())) {
      return BotQuestions.Follow.AGAIN;
    }
    return BotQuestions.Follow.OTHER;
  }

  /** The same question: the same words, or a question the engine takes for the entry it just answered. */
  private static boolean same(BotQuestions.Asked before, String text, Match match) {
    return TextNormalizer.normalize(text).equals(TextNormalizer.normalize(before.question()))
        || before.entryId().isPresent() && match.best().map(Candidate::entryId).equals(before.entryId());
  }
}
