package kefu.survey;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.rating.Rating;

/**
 * Turns a survey's answers into a complaint when they need a person (001): a score of 0.8 or less on any question, or a
 * comment an agent flagged. One ticket per survey; a record not linked to a WeChat follower has no chat to answer in,
 * so its feedback stays with the answers, where the agent who took it sees it.
 */
final class SurveyFeedback {
  /** 不满意 and below. */
  static final BigDecimal LOW = new BigDecimal("0.8");

  private final Surveys surveys;
  private final SurveyQuestions questions;
  private final SurveyComplaints complaints;
  private final SurveyRuns runs;

  SurveyFeedback(Surveys surveys, SurveyQuestions questions, SurveyComplaints complaints, SurveyRuns runs) {
    this.surveys = surveys;
    this.questions = questions;
    this.complaints = complaints;
    this.runs = runs;
  }

  /** Opens the run's complaint if its answers call for one and it has none yet; whether it opened one (call {@link SurveyComplaints#opened}). */
  boolean review(Connection c, long runId, Instant now) throws SQLException {
    SurveyRuns.Run run = runs.byId(c, runId).orElseThrow();
    Optional<Survey> survey = surveys.named(run.survey());
    if (run.ticketId().isPresent() || run.customerId().isEmpty() || survey.isEmpty()) {
      return false;
    }
    List<String> lines = new ArrayList<>();
    for (SurveyRuns.Answer answer : runs.answers(c, runId)) {
      Optional<Survey.Question> question = survey.get().question(answer.question());
      String label = question.map(Survey.Question::label).orElse(answer.question());
      Optional<Rating> rating = answer.level().map(Rating::ofLevel).filter(r -> r.score().compareTo(LOW) <= 0);
      if (rating.isPresent()) {
        lines.add(questions.templates().render("survey.complaint-rating", Map.of("label", label, "level", questions.level(rating.get()),
            "score", rating.get().score())));
      } else if (answer.flagged() && answer.comment().isPresent()) {
        lines.add(questions.templates().render("survey.complaint-comment", Map.of("label", label, "comment", answer.comment().get())));
      }
    }
    if (lines.isEmpty()) {
      return false;
    }
    String told = questions.templates().render("survey.complaint", Map.of("title", survey.get().title(), "lines", String.join("；", lines)));
    runs.ticket(c, runId, complaints.open(c, run.customerId().get(), told, now));
    return true;
  }
}
