package kefu.journey;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import kefu.template.Templates;

/** The follow-up plans of {@code templates/journeys/}, checked against the texts they name. */
public final class Plans {
  /** Where the plans live in the templates directory. */
  public static final String DIR = "journeys";
  /** Where the surveys that survey steps ask live in the templates directory. */
  private static final String SURVEYS = "surveys";

  private final List<Plan> plans;
  private final String version;

  /** @param version changes whenever a plan does: milestones planned by another version are planned again */
  Plans(List<Plan> plans, String version) {
    this.plans = List.copyOf(plans);
    this.version = version;
  }

  /**
   * Reads every {@code *.yaml} in {@code templatesDir/journeys}; none there is no plan at all.
   *
   * @throws PlanException naming the file and line of the first mistake, or a text key no template defines
   */
  public static Plans load(Path templatesDir, Templates templates) {
    Path dir = templatesDir.resolve(DIR);
    if (!Files.isDirectory(dir)) {
      return new Plans(List.of(), "none");
    }
    List<Plan> plans = new ArrayList<>();
    MessageDigest digest = sha256();
    Set<String> known = Set.copyOf(templates.keys());
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted(Comparator.naturalOrder()).toList()) {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        digest.update((file.getFileName() + "\n" + text + "\n").getBytes(StandardCharsets.UTF_8));
        Plan plan = PlanReader.read(file, text);
        Set<String> keys = new LinkedHashSet<>();
        plan.steps().forEach(step -> {
          keys.add(step.script());
          step.message().ifPresent(keys::add);
        });
        List<String> missing = keys.stream().filter(k -> !known.contains(k)).toList();
        if (!missing.isEmpty()) {
          throw new PlanException(file + ": no text in templates/ for " + String.join(", ", missing));
        }
        for (Plan.Step step : plan.steps()) {
          if (step.survey().filter(s -> !Files.isRegularFile(templatesDir.resolve(SURVEYS).resolve(s + ".yaml"))).isPresent()) {
            throw new PlanException(file + ": step " + step.key() + " asks the survey " + step.survey().get() + ", which templates/"
                + SURVEYS + " does not have");
          }
        }
        plans.add(plan);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the plans in " + dir, e);
    }
    return new Plans(plans, HexFormat.of().formatHex(digest.digest()));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  /** A digest of every plan file: it changes whenever a plan does. */
  String version() {
    return version;
  }

  /** The plans a milestone of {@code kind} starts for a record of {@code line}. */
  List<Plan> startedBy(String kind, String line) {
    return plans.stream().filter(p -> p.startsOn().equals(kind) && p.line().map(line::equals).orElse(true)).toList();
  }

  /** The survey that the step {@code step} of the plan {@code plan} asks; empty if it asks none (or is gone). */
  public Optional<String> surveyOf(String plan, String step) {
    return named(plan).flatMap(p -> p.steps().stream().filter(s -> s.key().equals(step)).findFirst()).flatMap(Plan.Step::survey);
  }

  /** The plan named {@code name}; empty if its file was removed since its steps were planned. */
  Optional<Plan> named(String name) {
    return plans.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The step {@code key} of the plan {@code plan}; empty if either was removed since the step was planned. */
  Optional<Plan.Step> step(String plan, String key) {
    return named(plan).flatMap(p -> p.steps().stream().filter(s -> s.key().equals(key)).findFirst());
  }

  List<Plan> all() {
    return plans;
  }
}
