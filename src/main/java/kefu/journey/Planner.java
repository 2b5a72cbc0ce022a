package kefu.journey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.config.SendingHours;
import kefu.store.Sql;

/**
 * Turns milestones into planned steps and keeps them in step with the milestone and the plans: a new one gets its
 * plans' steps, a changed date (or an edited plan) moves the steps still planned, a cancelled one stops them with its
 * reason. Steps already claimed,
 * sent or tasked are history and stay as they are.
 */
final class Planner {
  /** A step as the plans want it for a milestone. */
  record Due(String plan, String step, int occurrence, Instant dueAt, boolean anyDay) {
    String key() {
      return plan + "/" + step + "/" + occurrence;
    }
  }

  private record Milestone(long id, long recordId, String kind, LocalDate date, Optional<String> cancelled, Instant updatedAt,
      String line) {}

  private record Existing(long id, String status, Instant dueAt) {}

  /**
   * A step already this far past when its milestone is first planned is history, not a task: an import of old
   * orders must not bury agents in calls (the manuals' visits are done within three days).
   */
  static final Duration HISTORY = Duration.ofDays(3);

  private final Plans plans;
  private final Reasons reasons;
  private final SendingHours hours;

  Planner(Plans plans, SendingHours hours, Reasons reasons) {
    this.plans = plans;
    this.hours = hours;
    this.reasons = reasons;
  }

  /** The steps the plans want for a milestone of {@code kind} on {@code date} of a record of {@code line}. */
  List<Due> due(String kind, String line, LocalDate date) {
    List<Due> due = new ArrayList<>();
    for (Plan plan : plans.startedBy(kind, line)) {
      for (Plan.Step step : plan.steps()) {
        if (step.weeklyUntil().isPresent()) {
          int occurrence = 0;
          for (LocalDate day = date.plusDays(step.offset().days()); day.isBefore(date); day = day.plusWeeks(1)) {
            due.add(new Due(plan.name(), step.key(), occurrence++, at(day, step), step.anyDay()));
          }
        } else {
          due.add(new Due(plan.name(), step.key(), 0, at(step.offset().from(date, hours.calendar()), step), step.anyDay()));
        }
      }
    }
    return due;
  }

  private Instant at(LocalDate day, Plan.Step step) {
    ZonedDateTime wanted = day.atTime(step.offset().time().orElse(hours.morning())).atZone(hours.zone());
    return hours.next(wanted, step.anyDay()).toInstant();
  }

  /** Milestones new or changed since their steps were planned, or planned by other plans, oldest first. */
  List<Long> changed(Connection c, int limit) throws SQLException {
    return Sql.list(c, "SELECT m.id FROM milestones m LEFT JOIN journey_milestones j ON j.milestone_id = m.id"
        + " WHERE j.milestone_id IS NULL OR j.milestone_updated <> m.updated_at OR j.plans_version <> ?"
        + " ORDER BY m.id FETCH FIRST ? ROWS ONLY", row -> row.longValue("id"), plans.version(), limit);
  }

  /**
   * Plans the milestone {@code id} as it stands, with it locked so that two nodes do it once. Returns how many steps
   * were added, moved, skipped or cancelled; 0 if it was planned as it stands already.
   */
  int plan(Connection c, long id, Instant now) throws SQLException {
    Optional<Instant> locked = Sql.one(c, "SELECT updated_at FROM milestones WHERE id = ? FOR UPDATE", row -> row.instant("updated_at"), id);
    if (locked.isEmpty() || Sql.count(c, "SELECT COUNT(*) FROM journey_milestones WHERE milestone_id = ? AND milestone_updated = ?"
        + " AND plans_version = ?", id, locked.get(), plans.version()) > 0) {
      return 0;
    }
    Milestone m = Sql.one(c, "SELECT m.id, m.record_id, m.kind, m.on_date, m.cancelled_at, m.cancel_reason, m.updated_at, r.line"
        + " FROM milestones m JOIN customer_records r ON r.id = m.record_id WHERE m.id = ?",
        row -> new Milestone(row.longValue("id"), row.longValue("record_id"), row.string("kind"), row.date("on_date"),
            row.optionalInstant("cancelled_at").isPresent()
                ? Optional.of(row.optionalString("cancel_reason").orElse(reasons.say("no-reason"))) : Optional.empty(),
            row.instant("updated_at"), row.string("line")), id).orElseThrow();
    Map<String, Existing> existing = new HashMap<>();
    for (Map.Entry<String, Existing> e : Sql.list(c, "SELECT id, plan, step, occurrence, status, due_at FROM journey_steps WHERE milestone_id = ?",
        row -> Map.entry(row.string("plan") + "/" + row.string("step") + "/" + row.integer("occurrence"),
            new Existing(row.longValue("id"), row.string("status"), row.instant("due_at"))), id)) {
      existing.put(e.getKey(), e.getValue());
    }
    int changed = 0;
    if (m.cancelled().isPresent()) {
      changed += Sql.update(c, "UPDATE journey_steps SET status = 'cancelled', reason = ?, finished_at = ?, updated_at = ?"
          + " WHERE milestone_id = ? AND status = 'planned'", reasons.say("cancelled", "why", m.cancelled().get()), now, now, id);
    } else {
      for (Due due : due(m.kind(), m.line(), m.date())) {
        Existing was = existing.remove(due.key());
        if (was == null) {
          boolean history = due.dueAt().isBefore(now.minus(HISTORY));
          Sql.insert(c, "INSERT INTO journey_steps (record_id, milestone_id, plan, step, occurrence, any_day, due_at, status, reason,"
              + " finished_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", m.recordId(), id, due.plan(),
              due.step(), due.occurrence(), due.anyDay(), due.dueAt(), history ? "skipped" : "planned",
              history ? Optional.of(reasons.say("history", "days", HISTORY.toDays())) : Optional.empty(),
              history ? Optional.of(now) : Optional.empty(), now, now);
          changed++;
        } else if (was.status().equals("planned") && !was.dueAt().equals(due.dueAt()) || was.status().equals("cancelled")) {
          // A new date is a new occasion: WeChat's refusals of the old one are not held against it.
          changed += Sql.update(c, "UPDATE journey_steps SET status = 'planned', due_at = ?, any_day = ?, reason = NULL, refused = NULL,"
              + " finished_at = NULL, updated_at = ? WHERE id = ?", due.dueAt(), due.anyDay(), now, was.id());
        }
      }
      for (Existing gone : existing.values()) {
        if (gone.status().equals("planned")) {
          changed += Sql.update(c, "UPDATE journey_steps SET status = 'skipped', reason = ?, finished_at = ?, updated_at = ? WHERE id = ?",
              reasons.say("moved"), now, now, gone.id());
        }
      }
    }
    if (Sql.update(c, "UPDATE journey_milestones SET milestone_updated = ?, plans_version = ?, planned_at = ? WHERE milestone_id = ?",
        m.updatedAt(), plans.version(), now, id) == 0) {
      Sql.update(c, "INSERT INTO journey_milestones (milestone_id, milestone_updated, plans_version, planned_at) VALUES (?, ?, ?, ?)",
          id, m.updatedAt(), plans.version(), now);
    }
    return changed;
  }
}
