package kefu.desk;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import kefu.rating.Rating;
import kefu.store.Database;
import kefu.survey.Survey;
import kefu.survey.SurveyAnswers;
import kefu.survey.SurveyComplaints;
import kefu.web.Pages;

/**
 * The surveys in the console: a call task's survey taken on the phone ({@code /desk/surveys/answer?task=…}, the same
 * questions as in the chat with their five levels and the comment), the surveys of a record with their answers, and
 * an agent flagging a comment for a person.
 */
public final class SurveyRoutes {
  /** A comment is kept up to this many characters, as the column holds. */
  static final int MAX_COMMENT = 2000;

  private final Database database;
  private final DeskPages pages;
  private final SurveyAnswers answers;
  private final SurveyComplaints complaints;
  private final LocalTimes times;
  private final Vertx vertx;
  private final Clock clock;

  /** @param complaints told once a saved answer or a flag opened a complaint */
  public SurveyRoutes(Vertx vertx, Database database, Pages pages, SurveyAnswers answers, SurveyComplaints complaints, ZoneId zone,
      Clock clock) {
    this.vertx = vertx;
    this.database = database;
    this.pages = new DeskPages(vertx, pages);
    this.answers = answers;
    this.complaints = complaints;
    this.times = new LocalTimes(zone);
    this.clock = clock;
  }

  /** Adds the routes; the console's session and CSRF checks must come first ({@link DeskConsole#routes} before these). */
  public void routes(Router router) {
    router.get("/desk/surveys/answer").handler(this::form);
    router.post("/desk/surveys/answer").handler(this::save);
    router.get("/desk/surveys/record/:id").handler(this::ofRecord);
    router.post("/desk/surveys/flag").handler(this::flag);
  }

  private static long number(String text) {
    try {
      return Long.parseLong(Optional.ofNullable(text).orElse(""));
    } catch (NumberFormatException e) {
      throw new HttpException(404);
    }
  }

  private void form(RoutingContext ctx) {
    long task = number(ctx.queryParams().get("task"));
    database.transaction(c -> answers.phoneForm(c, task)).onSuccess(form -> {
      if (form.isEmpty()) {
        ctx.fail(404);
        return;
      }
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("form", form.get());
      model.put("questions", form.get().survey().questions().stream().map(q -> new Asked(q.key(), q.label(), q.ask(),
          q.kind() == Survey.Kind.RATING, form.get().levels().getOrDefault(q.key(), 0), form.get().comments().getOrDefault(q.key(), ""))).toList());
      model.put("levels", answers.levels());
      model.put("saved", "1".equals(ctx.queryParams().get("saved")));
      pages.send(ctx, 200, "desk/survey-answer", model);
    }).onFailure(ctx::fail);
  }

  /** A question as the phone form shows it, with the level (0: none) or comment saved so far. */
  public record Asked(String key, String label, String ask, boolean rating, int level, String comment) {}

  /** Saves the answers taken on the phone: a level 1–5 or nothing for each rating, a comment for each comment question. */
  private void save(RoutingContext ctx) {
    long task = number(ctx.queryParams().get("task"));
    Form fields = new Form(ctx);
    long me = DeskConsole.session(ctx).agent().id();
    database.transaction(c -> {
      SurveyAnswers.PhoneForm form = answers.phoneForm(c, task).orElseThrow(() -> new HttpException(404));
      Map<String, Rating> ratings = new HashMap<>();
      Map<String, String> comments = new HashMap<>();
      for (Survey.Question question : form.survey().questions()) {
        if (question.kind() == Survey.Kind.RATING) {
          fields.given("rating." + question.key()).map(SurveyRoutes::level).ifPresent(r -> ratings.put(question.key(), r));
        } else {
          comments.put(question.key(), fields.text("comment." + question.key(), MAX_COMMENT));
        }
      }
      return answers.savePhone(c, form, me, ratings, comments, clock.instant());
    }).compose(complained -> vertx.executeBlocking(() -> {
      if (complained) {
        complaints.opened();
      }
      return complained;
    }, false)).onSuccess(done -> DeskPages.redirect(ctx, "/desk/surveys/answer?task=" + task + "&saved=1")).onFailure(ctx::fail);
  }

  private static Rating level(String text) {
    if (!text.matches("[1-5]")) {
      throw new HttpException(400);
    }
    return Rating.ofLevel(Integer.parseInt(text));
  }

  /** A survey as the record's page lists it, its time as agents read it. */
  public record Listed(SurveyAnswers.Shown survey, String startedAt) {}

  private void ofRecord(RoutingContext ctx) {
    long record = number(ctx.pathParam("id"));
    database.transaction(c -> answers.ofRecord(c, record)).onSuccess(shown -> {
      Map<String, Object> model = DeskPages.model(DeskConsole.session(ctx));
      model.put("recordId", record);
      model.put("surveys", shown.stream().map(s -> new Listed(s, times.dayTime(s.startedAt()))).toList());
      pages.send(ctx, 200, "desk/survey-record", model);
    }).onFailure(ctx::fail);
  }

  /** An agent sends a comment to a person: it opens the survey's complaint, if it has none yet. */
  private void flag(RoutingContext ctx) {
    Form fields = new Form(ctx);
    long run = fields.number("run");
    String question = fields.text("question", 1, 64);
    long me = DeskConsole.session(ctx).agent().id();
    database.transaction(c -> {
      long record = answers.recordOf(c, run).orElseThrow(() -> new HttpException(404));
      if (!answers.flag(c, run, question, me, clock.instant())) {
        throw new HttpException(409);
      }
      return record;
    }).compose(record -> vertx.executeBlocking(() -> {
      complaints.opened();
      return record;
    }, false)).onSuccess(record -> DeskPages.redirect(ctx, "/desk/surveys/record/" + record)).onFailure(ctx::fail);
  }
}
