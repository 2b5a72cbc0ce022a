package kefu.survey;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kefu.template.Templates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The surveys of templates/surveys: 001's repair survey as shipped, and a file with a mistake refused with its file and line. */
class SurveysTest {
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));

  @Test
  void theRepairSurveyOfManual001AsksItsFiveRatingsAndAComment() {
    Survey repair = Surveys.load(Path.of("templates"), TEMPLATES).named("repair").orElseThrow();
    assertThat(repair.title()).isEqualTo("维修服务回访");
    assertThat(repair.questions()).extracting(Survey.Question::label)
        .containsExactly("客服专员服务态度", "上门服务速度", "技术员现场服务态度", "技术员维修水平", "总体满意度", "意见或建议");
    assertThat(repair.questions()).extracting(Survey.Question::kind).containsExactly(Survey.Kind.RATING, Survey.Kind.RATING,
        Survey.Kind.RATING, Survey.Kind.RATING, Survey.Kind.RATING, Survey.Kind.COMMENT);
  }

  @Test
  void aSurveyWithAMistakeIsRefusedWithItsFileAndLine(@TempDir Path dir) throws IOException {
    String good = "title: 回访\nquestions:\n  - key: speed\n    kind: rating\n    label: 上门服务速度\n    ask: 请您评价上门速度：\n";
    assertThat(refusal(dir, "ok.yaml", good)).isEqualTo("loads");
    Path file = dir.resolve("surveys/bad.yaml");
    assertThat(refusal(dir, "bad.yaml", good.replace("kind: rating", "kind: stars"))).isEqualTo(file + ":4: kind must be rating or comment, not \"stars\"");
    assertThat(refusal(dir, "bad.yaml", good + "    colour: red\n")).isEqualTo(file + ":7: unknown field \"colour\"; allowed here: ask, key, kind, label");
    assertThat(refusal(dir, "bad.yaml", good.replace("    ask: 请您评价上门速度：\n", ""))).isEqualTo(file + ":3: missing ask:");
    assertThat(refusal(dir, "bad.yaml", good + good.substring(good.indexOf("  - key"))))
        .isEqualTo(file + ":7: question key \"speed\" is used twice in this survey");
    assertThat(refusal(dir, "bad.yaml", good.replace("questions:", "question:"))).isEqualTo(file + ":2: unknown field \"question\"; allowed here: questions, title");
    assertThat(refusal(dir, "bad.yaml", good.replace("    kind: rating", "  kind: [rating"))).startsWith(file + ":").contains("not valid YAML");
    assertThat(refusal(dir, "bad.yaml", good.replace("上门服务速度", "上".repeat(31)))).isEqualTo(file + ":5: label has 31 characters; at most 30");
    assertThat(refusal(dir, "Bad Name.yaml", good)).isEqualTo(dir.resolve("surveys/Bad Name.yaml")
        + ": a survey's file name may only have a-z, 0-9, - and _ (plans name the survey by it)");
  }

  /** The refusal of a templates directory holding {@code text} as its one survey {@code name}; "loads" if none. */
  private static String refusal(Path dir, String name, String text) throws IOException {
    Path surveys = dir.resolve(Surveys.DIR);
    if (Files.isDirectory(surveys)) {
      try (var files = Files.list(surveys)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
    }
    Files.createDirectories(surveys);
    Files.writeString(surveys.resolve(name), text);
    try {
      return Surveys.load(dir, TEMPLATES).named(name.replace(".yaml", "")).map(s -> "loads").orElse("missing");
    } catch (SurveyException e) {
      return e.getMessage();
    }
  }

  @Test
  void theLevelsAreTheManualsFive() {
    assertThat(Surveys.load(Path.of("templates"), TEMPLATES).levels()).isEqualTo(List.of("非常满意", "满意", "一般", "不满意", "非常不满意"));
  }
}
