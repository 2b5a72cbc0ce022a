package kefu.survey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import kefu.template.Templates;

/** The surveys of {@code templates/surveys/}, with the lines around their questions from {@code templates/survey.yaml}. */
public final class Surveys {
  /** Where the surveys live in the templates directory. */
  public static final String DIR = "surveys";
  static final List<String> TEMPLATE_KEYS = List.of("survey.levels", "survey.choice", "survey.tail", "survey.back", "survey.thanks",
      "survey.stopped", "survey.stop-words", "survey.no-comment", "survey.complaint", "survey.complaint-rating",
      "survey.complaint-comment");

  private final Map<String, Survey> surveys;
  private final Templates templates;

  private Surveys(Map<String, Survey> surveys, Templates templates) {
    this.surveys = Map.copyOf(surveys);
    this.templates = templates;
  }

  /**
   * Reads every {@code *.yaml} in {@code templatesDir/surveys}; none there is no survey at all.
   *
   * @throws SurveyException naming the file and line of the first mistake
   * @throws kefu.template.TemplateException if a line around the questions is missing from {@code templates/}
   */
  public static Surveys load(Path templatesDir, Templates templates) {
    templates.require(TEMPLATE_KEYS);
    if (templates.list("survey.levels").size() != 5) {
      throw new SurveyException("templates/survey.yaml: survey.levels must name the five levels, 非常满意 first");
    }
    Path dir = templatesDir.resolve(DIR);
    Map<String, Survey> read = new LinkedHashMap<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
          Survey survey = SurveyReader.read(file, Files.readString(file, StandardCharsets.UTF_8));
          read.put(survey.name(), survey);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the surveys in " + dir, e);
      }
    }
    return new Surveys(read, templates);
  }

  /** Every survey, by name. */
  public List<Survey> all() {
    return surveys.values().stream().sorted(Comparator.comparing(Survey::name)).toList();
  }

  /** The survey of the file {@code name}.yaml. */
  public Optional<Survey> named(String name) {
    return Optional.ofNullable(surveys.get(name));
  }

  Templates templates() {
    return templates;
  }

  /** The five levels' words, 非常满意 first. */
  public List<String> levels() {
    return templates.list("survey.levels");
  }
}
