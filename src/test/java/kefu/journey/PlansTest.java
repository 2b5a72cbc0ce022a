package kefu.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlansTest {

  @Test
  void theShippedPlansOfBothManualsLoad() {
    assertThat(Journeys.SHIPPED.all()).extracting(Plan::name).containsExactly("equipment-consumables", "equipment-new-customer",
        "equipment-renewal", "equipment-repair", "studio-booking", "studio-pickup", "studio-proofs", "studio-shoot", "studio-wedding");
    Plan renewal = Journeys.SHIPPED.named("equipment-renewal").orElseThrow();
    assertThat(renewal.startsOn()).isEqualTo("warranty_end");
    assertThat(renewal.steps().get(1).weeklyUntil()).contains("renewal_decided");
    assertThat(renewal.steps().get(1).offset()).isEqualTo(new Offset(-30, false, Optional.of(LocalTime.of(10, 0))));
  }

  @Test
  void offsetsAreReadAsPlansWriteThem() {
    assertThat(Offset.parse("+1d at 10:00")).isEqualTo(new Offset(1, false, Optional.of(LocalTime.of(10, 0))));
    assertThat(Offset.parse("-60d")).isEqualTo(new Offset(-60, false, Optional.empty()));
    assertThat(Offset.parse("+2 working days")).isEqualTo(new Offset(2, true, Optional.empty()));
    assertThat(Offset.parse("+1 working day at 9:30")).isEqualTo(new Offset(1, true, Optional.of(LocalTime.of(9, 30))));
    assertThatThrownBy(() -> Offset.parse("tomorrow")).hasMessageContaining("is not an offset like +1d at 10:00");
    assertThatThrownBy(() -> Offset.parse("+1d at 25:00")).hasMessageContaining("is not a time of day");
    assertThatThrownBy(() -> Offset.parse("-2 working days")).hasMessageContaining("working days count forward");
  }

  @Test
  void aPlanWithAMistakeIsRefusedWithItsFileAndLine(@TempDir Path dir) throws IOException {
    String good = "starts-on: booking\nsteps:\n  - key: call\n    at: +1d at 10:00\n    kind: call\n    script: journey.studio.booking-call\n";
    assertThat(refusal(dir, "ok.yaml", good)).isEqualTo("loads");
    assertThat(refusal(dir, "offset.yaml", good.replace("+1d at 10:00", "next day")))
        .contains(dir.resolve("journeys/offset.yaml") + ":4: \"next day\" is not an offset like +1d at 10:00");
    assertThat(refusal(dir, "field.yaml", good + "    colour: red\n"))
        .contains(dir.resolve("journeys/field.yaml") + ":7: unknown field \"colour\"");
    assertThat(refusal(dir, "kind.yaml", good.replace("kind: call", "kind: letter")))
        .contains(":5: kind must be one of message, survey, call, not \"letter\"");
    assertThat(refusal(dir, "yaml.yaml", good.replace("    kind: call", "  kind: [call")))
        .startsWith(dir.resolve("journeys/yaml.yaml") + ":").contains("not valid YAML");
    assertThat(refusal(dir, "message.yaml", good.replace("kind: call", "kind: message")))
        .contains(dir.resolve("journeys/message.yaml") + ":3: a message step needs message: (the templates/ key of what the customer reads)");
    assertThat(refusal(dir, "weekly.yaml", good + "    repeat: weekly until renewal_decided\n"))
        .contains(dir.resolve("journeys/weekly.yaml") + ":7: a weekly step repeats up to the milestone's date: give it a negative offset like -30d");
    assertThat(refusal(dir, "twice.yaml", good + good.substring(good.indexOf("  - key"))))
        .contains(dir.resolve("journeys/twice.yaml") + ":7: step key \"call\" is used twice in this plan");
    assertThat(refusal(dir, "text.yaml", good.replace("journey.studio.booking-call", "journey.nowhere")))
        .contains(dir.resolve("journeys/text.yaml") + ": no text in templates/ for journey.nowhere");
    String survey = good.replace("kind: call", "kind: survey\n    message: journey.equipment.repair-survey");
    assertThat(refusal(dir, "survey.yaml", survey))
        .contains(dir.resolve("journeys/survey.yaml") + ":3: a survey step needs survey: (the name of a file in templates/surveys, without .yaml)");
    assertThat(refusal(dir, "asks.yaml", good + "    survey: repair\n")).contains(dir.resolve("journeys/asks.yaml") + ":7: only a survey step has survey:");
    assertThat(refusal(dir, "nosuch.yaml", survey + "    survey: nosuch\n"))
        .contains(dir.resolve("journeys/nosuch.yaml") + ": step call asks the survey nosuch, which templates/surveys does not have");
  }

  @Test
  void theRepairPlanAsksTheRepairSurvey() {
    assertThat(Journeys.SHIPPED.surveyOf("equipment-repair", "survey")).contains("repair");
    assertThat(Journeys.SHIPPED.surveyOf("studio-booking", "call")).isEmpty();
  }

  /** The refusal of a templates directory holding {@code text} as its one plan {@code name}; "loads" if none. */
  private static String refusal(Path dir, String name, String text) throws IOException {
    Path plans = dir.resolve(Plans.DIR);
    if (Files.isDirectory(plans)) {
      try (var files = Files.list(plans)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
    }
    Files.createDirectories(plans);
    Files.writeString(plans.resolve(name), text);
    try {
      Plans.load(dir, Journeys.TEMPLATES);
      return "loads";
    } catch (PlanException e) {
      return e.getMessage();
    }
  }
}
