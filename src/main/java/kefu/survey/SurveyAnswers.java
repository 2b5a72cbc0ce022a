package kefu.survey;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.rating.Rating;
import kefu.store.Sql;

/**
 * The survey answers for the console: a call task's phone form and what it saves, every survey of a record with its
 * answers, flagging a comment for a person; and, for reports, the means per agent and dimension. Every method runs in
 * the caller's transaction; call {@link SurveyComplaints#opened} once one that returns true has committed.
 */
public final class SurveyAnswers implements SurveyScores {
  private final Surveys surveys;
  private final SurveyOfStep ofStep;
  private final SurveyQuestions questions;
  private final SurveyFeedback feedback;
  private final SurveyRuns runs = new SurveyRuns();

  public SurveyAnswers(Surveys surveys, SurveyOfStep ofStep, SurveyComplaints complaints) {
    this.surveys = surveys;
    this.ofStep = ofStep;
    this.questions = new SurveyQuestions(surveys);
    this.feedback = new SurveyFeedback(surveys, questions, complaints, runs);
  }

  /**
   * A call task's survey as the phone form shows it.
   *
   * @param levels the level (1–5) given to each rating question so far, by question key
   * @param comments the comment given to each comment question so far, by question key
   * @param ticketId the complaint the answers opened, if they did
   */
  public record PhoneForm(long taskId, long recordId, String reference, Survey survey, Map<String, Integer> levels,
      Map<String, String> comments, Optional<Long> ticketId) {}

  private record Task(long recordId, String reference, String plan, String step) {}

  /** The phone form of call task {@code taskId}; empty if there is no such task or its step asks no survey. */
  public Optional<PhoneForm> phoneForm(Connection c, long taskId) throws SQLException {
    Optional<Task> task = task(c, taskId);
    Optional<Survey> survey = task.flatMap(t -> ofStep.survey(t.plan(), t.step())).flatMap(surveys::named);
    if (survey.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Integer> levels = new HashMap<>();
    Map<String, String> comments = new HashMap<>();
    Optional<SurveyRuns.Run> run = runs.ofTask(c, taskId);
    for (SurveyRuns.Answer answer : run.isPresent() ? runs.answers(c, run.get().id()) : List.<SurveyRuns.Answer>of()) {
      answer.level().ifPresent(level -> levels.put(answer.question(), level));
      answer.comment().ifPresent(comment -> comments.put(answer.question(), comment));
    }
    return Optional.of(new PhoneForm(taskId, task.get().recordId(), task.get().reference(), survey.get(), levels, comments,
        run.flatMap(SurveyRuns.Run::ticketId)));
  }

  private static Optional<Task> task(Connection c, long taskId) throws SQLException {
    return Sql.one(c, "SELECT t.record_id, r.reference, s.plan, s.step FROM call_tasks t JOIN journey_steps s ON s.id = t.step_id"
        + " JOIN customer_records r ON r.id = t.record_id WHERE t.id = ?",
        row -> new Task(row.longValue("record_id"), row.string("reference"), row.string("plan"), row.string("step")), taskId);
  }

  /**
   * Saves what {@code agentId} took on the phone for the form's task: each rating and comment given (a question left
   * out keeps no answer); whether a low score opened a complaint.
   */
  public boolean savePhone(Connection c, PhoneForm form, long agentId, Map<String, Rating> ratings, Map<String, String> comments,
      Instant now) throws SQLException {
    SurveyRuns.Run run = runs.forTask(c, form.taskId(), form.recordId(), form.survey().name(), agentId, now);
    for (Survey.Question question : form.survey().questions()) {
      Optional<Rating> rating = Optional.ofNullable(ratings.get(question.key()));
      Optional<String> comment = Optional.ofNullable(comments.get(question.key())).filter(text -> !text.isBlank());
      if (rating.isPresent() || comment.isPresent()) {
        runs.answer(c, run.id(), question.key(), rating, comment, now);
      }
    }
    return feedback.review(c, run.id(), now);
  }

  /**
   * A survey asked of a record, as the console lists it.
   *
   * @param linked whether the record has a WeChat follower, for whom feedback can open a complaint ticket
   */
  public record Shown(long runId, String title, String channel, String status, Instant startedAt, List<ShownAnswer> answers,
      Optional<Long> ticketId, boolean linked) {}

  /**
   * One question's answer: the level's words and score of a rating, or the comment; {@code flaggable} when it is a
   * comment an agent may still send to a person.
   */
  public record ShownAnswer(String question, String label, String answer, String score, String comment, boolean low, boolean flagged,
      boolean flaggable) {}

  /** Every survey asked of the record, newest first, each with every question (unanswered ones blank). */
  public List<Shown> ofRecord(Connection c, long recordId) throws SQLException {
    List<Shown> shown = new ArrayList<>();
    for (SurveyRuns.Run run : runs.ofRecord(c, recordId)) {
      Optional<Survey> survey = surveys.named(run.survey());
      List<SurveyRuns.Answer> answers = runs.answers(c, run.id());
      List<ShownAnswer> rows = new ArrayList<>();
      for (Survey.Question question : survey.map(Survey::questions).orElse(List.of())) {
        Optional<SurveyRuns.Answer> answer = answers.stream().filter(a -> a.question().equals(question.key())).findFirst();
        Optional<Rating> rating = answer.flatMap(SurveyRuns.Answer::level).map(Rating::ofLevel);
        Optional<String> comment = answer.flatMap(SurveyRuns.Answer::comment);
        boolean flagged = answer.map(SurveyRuns.Answer::flagged).orElse(false);
        rows.add(new ShownAnswer(question.key(), question.label(), rating.map(questions::level).orElse(""),
            rating.map(r -> r.score().toPlainString()).orElse(""), comment.orElse(""),
            rating.filter(r -> r.score().compareTo(SurveyFeedback.LOW) <= 0).isPresent(), flagged,
            comment.isPresent() && !flagged && run.customerId().isPresent()));
      }
      shown.add(new Shown(run.id(), survey.map(Survey::title).orElse(run.survey()), run.channel(), Sql.name(run.status()),
          run.startedAt(), rows, run.ticketId(), run.customerId().isPresent()));
    }
    return shown;
  }

  /** Flags the comment for a person: it opens the survey's complaint if it has none; false if there is no such comment to flag. */
  public boolean flag(Connection c, long runId, String question, long agentId, Instant now) throws SQLException {
    if (!runs.flag(c, runId, question, agentId, now)) {
      return false;
    }
    feedback.review(c, runId, now);
    return true;
  }

  /** The five levels' words, 非常满意 first, as the phone form offers them. */
  public List<String> levels() {
    return surveys.levels();
  }

  /** The record a survey was asked of. */
  public Optional<Long> recordOf(Connection c, long runId) throws SQLException {
    return runs.byId(c, runId).map(SurveyRuns.Run::recordId);
  }

  @Override
  public List<DimensionMean> means(Connection c, Instant from, Instant to) throws SQLException {
    List<DimensionMean> means = new ArrayList<>();
    Sql.list(c, "SELECT r.agent_id, r.survey, a.question, AVG(a.score) AS mean, COUNT(*) AS n FROM survey_answers a"
        + " JOIN survey_runs r ON r.id = a.run_id WHERE a.score IS NOT NULL AND a.answered_at >= ? AND a.answered_at < ?"
        + " GROUP BY r.agent_id, r.survey, a.question ORDER BY r.agent_id, r.survey, a.question", row -> {
          String survey = row.string("survey");
          String dimension = row.string("question");
          String label = surveys.named(survey).flatMap(s -> s.question(dimension)).map(Survey.Question::label).orElse(dimension);
          return means.add(new DimensionMean(row.optionalLong("agent_id"), survey, dimension, label,
              BigDecimal.valueOf(row.optionalDouble("mean").orElse(0.0)).setScale(2, RoundingMode.HALF_UP), row.integer("n")));
        }, from, to);
    return means;
  }
}
