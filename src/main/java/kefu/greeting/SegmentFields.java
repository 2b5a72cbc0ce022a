package kefu.greeting;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Segment} as the console's segment builder writes it — named text fields, each optional — and as a campaign
 * keeps it (those fields as JSON): one reading for both, so a kept campaign means what its builder showed.
 */
public final class SegmentFields {
  /** The fields, in the builder's order. */
  public static final List<String> NAMES = List.of("line", "member", "tags", "milestone", "milestone-from", "milestone-to", "plan",
      "step", "birthday-month", "contact", "contact-days", "score-from", "score-to");

  /** A field that does not make sense; {@link #field()} names it, for the page to say what to correct. */
  public static final class Invalid extends IllegalArgumentException {
    private final String field;

    Invalid(String field) {
      super("segment field " + field + " is not valid");
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  private SegmentFields() {}

  /** The known, non-blank fields of {@code given}, stripped: what a campaign keeps. */
  public static Map<String, String> kept(Map<String, String> given) {
    Map<String, String> kept = new LinkedHashMap<>();
    for (String name : NAMES) {
      String value = given.getOrDefault(name, "");
      if (value != null && !value.isBlank()) {
        kept.put(name, value.strip());
      }
    }
    return kept;
  }

  /** The segment the fields describe. */
  public static Segment segment(Map<String, String> given) {
    Map<String, String> f = kept(given);
    Optional<Boolean> member = Optional.ofNullable(f.get("member")).map(m -> switch (m) {
      case "yes" -> true;
      case "no" -> false;
      default -> throw new Invalid("member");
    });
    List<String> tags = f.containsKey("tags")
        ? Arrays.stream(f.get("tags").split("[,，、\\s]+")).filter(t -> !t.isBlank()).toList() : List.of();
    Optional<Segment.Milestone> milestone = Optional.empty();
    if (f.containsKey("milestone")) {
      try {
        milestone = Optional.of(new Segment.Milestone(f.get("milestone"), LocalDate.parse(f.getOrDefault("milestone-from", "")),
            LocalDate.parse(f.getOrDefault("milestone-to", ""))));
      } catch (DateTimeParseException | IllegalArgumentException e) {
        throw new Invalid("milestone");
      }
    }
    if (f.containsKey("plan") != f.containsKey("step")) {
      throw new Invalid("plan");
    }
    Optional<Segment.PlanStep> step = f.containsKey("plan") ? Optional.of(new Segment.PlanStep(f.get("plan"), f.get("step"))) : Optional.empty();
    Optional<Integer> birthday = Optional.ofNullable(f.get("birthday-month")).map(m -> number("birthday-month", m, 1, 12));
    Optional<Segment.LastMessage> contact = Optional.empty();
    if (f.containsKey("contact")) {
      if (!List.of("within", "not-within").contains(f.get("contact"))) {
        throw new Invalid("contact");
      }
      contact = Optional.of(new Segment.LastMessage(f.get("contact").equals("within"),
          number("contact-days", f.getOrDefault("contact-days", ""), 1, 3650)));
    }
    Optional<Segment.Scores> scores = Optional.empty();
    if (f.containsKey("score-from") || f.containsKey("score-to")) {
      try {
        scores = Optional.of(new Segment.Scores(new BigDecimal(f.getOrDefault("score-from", "0.7")),
            new BigDecimal(f.getOrDefault("score-to", "1.1"))));
      } catch (IllegalArgumentException e) {
        throw new Invalid("score");
      }
    }
    return new Segment(Optional.ofNullable(f.get("line")), member, tags, milestone, step, birthday, contact, scores);
  }

  /** The fields kept as JSON. */
  public static String json(Map<String, String> given) {
    return new JsonObject(new LinkedHashMap<>(kept(given))).encode();
  }

  /** The fields a campaign kept. */
  public static Map<String, String> fromJson(String json) {
    Map<String, String> fields = new LinkedHashMap<>();
    new JsonObject(json).forEach(e -> fields.put(e.getKey(), String.valueOf(e.getValue())));
    return fields;
  }

  private static int number(String field, String text, int lowest, int highest) {
    try {
      int n = Integer.parseInt(text.strip());
      if (n >= lowest && n <= highest) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new Invalid(field);
  }
}
