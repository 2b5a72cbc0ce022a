package kefu.survey;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import kefu.dialog.Reply;
import kefu.kb.analysis.TextNormalizer;
import kefu.rating.Rating;
import kefu.template.Templates;

/**
 * A survey's questions as the customer reads them in the chat: a rating as five choices to tap (a {@code msgmenu}
 * through the API) or answer by number, a comment as a plain question; and what the customer's reply answers.
 */
final class SurveyQuestions {
  /** The id a tapped choice comes back with: the prefix and the level, apart from the numbers of the bot's suggestions. */
  static final String CHOICE = "survey:";

  private final Templates templates;
  private final List<String> levels;
  private final Set<String> stopWords;
  private final Set<String> noComment;

  SurveyQuestions(Surveys surveys) {
    this.templates = surveys.templates();
    this.levels = surveys.levels().stream().map(SurveyQuestions::compact).toList();
    this.stopWords = templates.list("survey.stop-words").stream().map(SurveyQuestions::compact).collect(Collectors.toSet());
    this.noComment = templates.list("survey.no-comment").stream().map(SurveyQuestions::compact).collect(Collectors.toSet());
  }

  /** The question at {@code position} as a reply, after {@code lead} (the intro, or the line that comes back to it). */
  Reply ask(Survey.Question question, Optional<String> lead) {
    String head = lead.map(l -> l + "\n").orElse("") + question.ask();
    if (question.kind() == Survey.Kind.COMMENT) {
      return new Reply.Text(head);
    }
    List<Reply.Choice> choices = new ArrayList<>();
    List<String> lines = new ArrayList<>(List.of(head));
    for (int level = 1; level <= levels.size(); level++) {
      String label = templates.list("survey.levels").get(level - 1);
      choices.add(new Reply.Choice(CHOICE + level, label));
      lines.add(templates.render("survey.choice", Map.of("number", level, "label", label)));
    }
    String tail = templates.text("survey.tail");
    lines.add(tail);
    return new Reply.Choices(head, choices, tail, String.join("\n", lines));
  }

  /** The level of a rating reply: a tapped choice, a digit alone, or a level's words alone. */
  Optional<Rating> rating(Optional<String> choice, String compact) {
    if (choice.isPresent()) {
      return choice.filter(id -> id.startsWith(CHOICE)).flatMap(id -> level(id.substring(CHOICE.length())));
    }
    Optional<Rating> typed = level(compact);
    if (typed.isPresent()) {
      return typed;
    }
    int said = levels.indexOf(compact);
    return said < 0 ? Optional.empty() : Optional.of(Rating.ofLevel(said + 1));
  }

  private static Optional<Rating> level(String text) {
    return text.matches("[1-5]") ? Optional.of(Rating.ofLevel(Integer.parseInt(text))) : Optional.empty();
  }

  /** Whether the whole reply stops the survey (退出). */
  boolean stops(String compact) {
    return stopWords.contains(compact);
  }

  /** Whether the whole reply to the comment question says there is none (无). */
  boolean noComment(String compact) {
    return noComment.contains(compact);
  }

  /** The text normalised (width, case, Traditional → Simplified) without punctuation and spaces, as words are compared. */
  static String compact(String text) {
    return TextNormalizer.normalize(text).replace(" ", "");
  }

  /** The level's words: 非常满意 … 非常不满意. */
  String level(Rating rating) {
    return templates.list("survey.levels").get(rating.level() - 1);
  }

  String text(String key) {
    return templates.text(key);
  }

  Templates templates() {
    return templates;
  }
}
