package kefu.greeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import kefu.template.Templates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The greeting plans: the shipped ones load against their texts; a broken file is refused with its file and line. */
class GreetingPlansTest {
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));

  @Test
  void theShippedPlansLoad() {
    GreetingPlans plans = GreetingPlans.load(Path.of("templates"), TEMPLATES);
    assertThat(plans.all()).extracting(GreetingPlan::name).contains("member-birthday", "birthday", "wedding-anniversary",
        "membership-anniversary", "spring-festival", "qixi", "mid-autumn");
    GreetingPlan members = plans.named("member-birthday").orElseThrow();
    assertThat(members.who()).isEqualTo(GreetingPlan.Who.MEMBERS);
    assertThat(members.at()).isEqualTo(LocalTime.of(10, 0));
    assertThat(members.gift()).contains(new GreetingPlan.Gift("greeting.gift-call", 3));
    assertThat(plans.lookAhead()).isEqualTo(3);
    assertThat(members.title()).contains("会员生日关怀");
    GreetingPlan spring = plans.named("spring-festival").orElseThrow();
    assertThat(spring.article()).isTrue();
    assertThat(spring.message()).isEqualTo("greeting.spring-festival-article");
  }

  @Test
  void aMistakeIsRefusedWithItsFileAndLine(@TempDir Path dir) {
    Path file = dir.resolve("broken.yaml");
    assertThatThrownBy(() -> GreetingPlans.read(file, "occasion: birthday\nwho: members\nmesage: greeting.birthday\nat: \"10:00\"\n"))
        .isInstanceOf(GreetingPlanException.class).hasMessageStartingWith(file + ":3: unknown field \"mesage\"");
    assertThatThrownBy(() -> GreetingPlans.read(file, "occasion: easter\nwho: all\nmessage: greeting.birthday\nat: \"10:00\"\n"))
        .hasMessageStartingWith(file + ":1: occasion must be one of birthday, solar-birthday, lunar-birthday");
    assertThatThrownBy(() -> GreetingPlans.read(file, "occasion: qixi\nwho: segment\nmessage: greeting.qixi\nat: \"10:00\"\n"))
        .hasMessageStartingWith(file + ":1: who: segment needs segment:");
    assertThatThrownBy(() -> GreetingPlans.read(file, "occasion: qixi\nwho: all\nmessage: greeting.qixi\nat: ten\n"))
        .hasMessageStartingWith(file + ":4: at must be a time of day");
    assertThatThrownBy(() -> GreetingPlans.read(file, "occasion: birthday\nwho: members\nmessage: greeting.birthday\nat: \"10:00\"\n"
        + "gift-reminder:\n  script: greeting.gift-call\n  days-before: soon\n"))
        .hasMessageStartingWith(file + ":7: days-before must be a number");
    assertThatThrownBy(() -> GreetingPlans.read(file, "occasion: [birthday\n")).hasMessageStartingWith(file + ":2: not valid YAML");
    assertThatThrownBy(() -> GreetingPlans.read(file, "occasion: qixi\nwho: all\nmessage: greeting.qixi\narticle: greeting.a\nat: \"10:00\"\n"))
        .hasMessageStartingWith(file + ":1: a greeting plan has either message: (a text's key) or article: (an article's key)");
  }

  @Test
  void aPlanNamingAMissingTextIsRefused(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("greetings"));
    Files.writeString(dir.resolve("greetings/x.yaml"), "occasion: qixi\nwho: all\nmessage: greeting.nothing\nat: \"10:00\"\n");
    assertThatThrownBy(() -> GreetingPlans.load(dir, TEMPLATES)).hasMessageContaining("no text in templates/ for greeting.nothing");
  }

  @Test
  void anArticleNeedsEachOfItsPartsAndItsCoverFileInTemplates(@TempDir Path dir) throws Exception {
    Path templates = Files.createDirectories(dir.resolve("templates"));
    Files.createDirectories(templates.resolve("greetings"));
    Files.writeString(templates.resolve("greetings/x.yaml"), "occasion: qixi\nwho: all\narticle: greeting.a\nat: \"10:00\"\n");
    String article = "greeting:\n  a:\n    title: 标题\n    digest: 摘要\n    content: <p>正文</p>\n";
    Files.writeString(templates.resolve("greeting.yaml"), article + "    cover: greetings/a.jpg\n");
    assertThatThrownBy(() -> GreetingPlans.load(templates, Templates.load(templates)))
        .hasMessageContaining("no text in templates/ for greeting.a.url");
    article += "    url: https://example.com/a\n";
    Files.writeString(templates.resolve("greeting.yaml"), article + "    cover: greetings/a.jpg\n");
    assertThatThrownBy(() -> GreetingPlans.load(templates, Templates.load(templates)))
        .hasMessageContaining("the article's cover greetings/a.jpg is not a file in " + templates);
    Files.write(dir.resolve("a.jpg"), new byte[] {1});
    Files.writeString(templates.resolve("greeting.yaml"), article + "    cover: ../a.jpg\n");
    assertThatThrownBy(() -> GreetingPlans.load(templates, Templates.load(templates))).as("only a file of templates/")
        .hasMessageContaining("the article's cover ../a.jpg is not a file in " + templates);
    Files.write(templates.resolve("greetings/a.jpg"), new byte[] {1});
    Files.writeString(templates.resolve("greeting.yaml"), article + "    cover: greetings/a.jpg\n");
    assertThat(GreetingPlans.load(templates, Templates.load(templates)).all()).extracting(GreetingPlan::article).containsExactly(true);
  }
}
