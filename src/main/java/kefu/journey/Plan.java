package kefu.journey;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A follow-up plan read from {@code templates/journeys/<name>.yaml}: the steps that follow a kind of milestone.
 *
 * @param name the file's name without {@code .yaml}; part of each step's idempotency key
 * @param startsOn the milestone kind that starts it
 * @param line the business line whose records it applies to; empty: every line
 */
record Plan(String name, Path file, String startsOn, Optional<String> line, List<Step> steps) {
  private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("M月d日");

  /** What a step's message and script fill in: the customer's name, the reference, the model, the milestone's date. */
  static Map<String, String> vars(Optional<String> name, String reference, Optional<String> model, LocalDate milestoneDate) {
    return Map.of("name", name.orElse("客户"), "reference", reference, "date", DATE.format(milestoneDate), "model", model.orElse("设备"));
  }

  /** What a step is: a message to the customer, a survey, or a call an agent makes. */
  enum Kind { MESSAGE, SURVEY, CALL }

  /** Who calls when a step becomes a call task: the record's own agent (000: one agent per customer), or any. */
  enum Owner { RECORD, DESK }

  /** What a step later than {@code journey.max-lateness} becomes. */
  enum WhenLate { CALL, SKIP }

  /**
   * One step.
   *
   * @param key unique within the plan; part of the idempotency key
   * @param weeklyUntil repeated every week up to the milestone's date, until the record has this milestone (the
   *     customer decided); empty: once
   * @param message the templates/ key of the message to the customer (message and survey steps)
   * @param script the templates/ key of what an agent says when it becomes a call
   * @param serviceNotice whether it is a service notice the customer's own business triggered, which may go as a
   *     template message outside the 48-hour window
   * @param membersOnly only for member customers
   * @param skipIf milestone kinds that, reached by the step's day, make it pointless
   * @param anyDay due on its own day even when that is no working day (a greeting)
   * @param survey the survey a survey step asks (a file in templates/surveys, without .yaml), in the chat or on the phone
   */
  record Step(String key, Offset offset, Optional<String> weeklyUntil, Kind kind, Optional<String> message, String script,
      boolean serviceNotice, boolean membersOnly, Set<String> skipIf, Owner owner, boolean anyDay, WhenLate whenLate,
      Optional<String> survey) {}
}
