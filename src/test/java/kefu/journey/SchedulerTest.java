package kefu.journey;

import static kefu.journey.Journeys.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kefu.TestStore;
import kefu.config.BusinessCalendar;
import kefu.config.KefuConfig;
import kefu.store.SqlWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler on H2 with the shipped plans, driven by {@code runDue(now)} at the times a test names. */
class SchedulerTest {
  private static final LocalDate MONDAY = LocalDate.of(2026, 12, 7);
  private static final Set<DayOfWeek> MON_FRI = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

  @TempDir
  Path dir;
  private TestStore.Open store;

  private TestStore.Open store() {
    if (store == null) {
      store = TestStore.H2.open(dir);
    }
    return store;
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private <T> T sql(SqlWork<T> work) throws Exception {
    return store().db().inTransaction(work);
  }

  private Scheduler scheduler(BusinessCalendar calendar, KefuConfig.Journey journey, Plans plans, boolean templates) {
    KefuConfig config = Journeys.config(dir, store().settings(), calendar, journey);
    return Journeys.scheduler(store().vertx(), store().db(), plans, config, new Journeys.Channel(templates));
  }

  private Scheduler scheduler() {
    return scheduler(Journeys.EVERY_DAY, KefuConfig.Journey.DEFAULTS, Journeys.SHIPPED, false);
  }

  private long studio(String reference) throws Exception {
    return sql(c -> Journeys.record(c, reference, "studio", Optional.empty(), false, Optional.empty()));
  }

  private long milestone(long record, String kind, LocalDate date) throws Exception {
    return sql(c -> Journeys.milestone(c, record, kind, date, at("2026-12-01 08:00")));
  }

  private List<Journeys.Step> steps(long milestone) throws Exception {
    return sql(c -> Journeys.steps(c, milestone));
  }

  private Journeys.Step step(long milestone) throws Exception {
    List<Journeys.Step> steps = steps(milestone);
    assertThat(steps).hasSize(1);
    return steps.get(0);
  }

  @Test
  void eachShippedPlanPutsItsStepsOnTheManualsDays() throws Exception {
    long studio = studio("S-001");
    long booking = milestone(studio, "booking", MONDAY);
    long shoot = milestone(studio, "shoot", MONDAY);
    long proofs = milestone(studio, "proofs", MONDAY);
    long pickup = milestone(studio, "pickup", MONDAY);
    long wedding = milestone(studio, "wedding", LocalDate.of(2026, 12, 12));
    long equipment = sql(c -> Journeys.record(c, "E-001", "equipment", Optional.empty(), false, Optional.empty()));
    long repair = milestone(equipment, "repair_closed", MONDAY);
    long warranty = milestone(equipment, "warranty_end", LocalDate.of(2027, 3, 1));
    long consumables = milestone(equipment, "consumables", LocalDate.of(2026, 12, 20));
    long purchase = milestone(equipment, "purchase", MONDAY);

    Scheduler.Run run = scheduler().runDue(at("2026-12-01 08:00"));

    assertThat(run.planned()).isEqualTo(14);
    assertThat(run.sent() + run.tasked() + run.skipped()).isZero();
    assertThat(step(booking).dueAt()).isEqualTo(at("2026-12-08 10:00"));
    assertThat(step(shoot).dueAt()).isEqualTo(at("2026-12-08 10:00"));
    assertThat(step(proofs).dueAt()).isEqualTo(at("2026-12-17 10:00"));
    assertThat(step(pickup).dueAt()).isEqualTo(at("2026-12-12 10:00"));
    assertThat(step(wedding).dueAt()).isEqualTo(at("2026-12-12 10:00"));
    assertThat(step(repair).dueAt()).isEqualTo(at("2026-12-08 10:00"));
    assertThat(step(consumables).dueAt()).isEqualTo(at("2026-12-13 10:00"));
    assertThat(step(purchase).dueAt()).isEqualTo(at("2026-12-08 10:00"));
    // Listed two months ahead, then contacted weekly from one month ahead up to the warranty's end.
    assertThat(steps(warranty)).extracting(s -> s.step() + "#" + s.occurrence() + " " + s.dueAt()).containsExactly(
        "contact#0 " + at("2027-01-30 10:00"), "contact#1 " + at("2027-02-06 10:00"), "contact#2 " + at("2027-02-13 10:00"),
        "contact#3 " + at("2027-02-20 10:00"), "contact#4 " + at("2027-02-27 10:00"), "list#0 " + at("2026-12-31 09:30"));
    assertThat(steps(warranty)).allSatisfy(s -> assertThat(s.status()).isEqualTo("planned"));

    assertThat(scheduler().runDue(at("2026-12-01 08:01")).planned()).as("planned once").isZero();
  }

  @Test
  void quietHoursLunchRestHolidaysAndMakeUpDaysMoveSteps() throws Exception {
    Path templates = dir.resolve("templates");
    Files.createDirectories(templates.resolve(Plans.DIR));
    Files.writeString(templates.resolve(Plans.DIR).resolve("late.yaml"), """
        starts-on: shoot
        steps:
          - key: evening
            at: +1d at 22:00
            kind: call
            script: journey.studio.shoot-call
          - key: lunch
            at: +1d at 12:15
            kind: call
            script: journey.studio.shoot-call
          - key: early
            at: +2d
            kind: call
            script: journey.studio.shoot-call
        """);
    Plans late = Plans.load(templates, Journeys.TEMPLATES);
    KefuConfig.Journey withLunch = new KefuConfig.Journey(KefuConfig.Journey.DEFAULTS.quiet(),
        Optional.of(new KefuConfig.Rest(LocalTime.of(12, 0), LocalTime.of(13, 30))), Duration.ofHours(12));
    long record = studio("S-002");
    long shoot = milestone(record, "shoot", MONDAY);
    scheduler(Journeys.EVERY_DAY, withLunch, late, false).runDue(at("2026-12-01 08:00"));
    assertThat(steps(shoot)).extracting(s -> s.step() + " " + s.dueAt()).containsExactly(
        "early " + at("2026-12-09 09:00"), "evening " + at("2026-12-09 09:00"), "lunch " + at("2026-12-08 13:30"));

    // Monday to Friday, Tuesday 12-08 and Monday 12-14 holidays, Saturday 12-12 a make-up working day (调休).
    BusinessCalendar office = Journeys.calendar(MON_FRI, Set.of(LocalDate.of(2026, 12, 8), LocalDate.of(2026, 12, 14)),
        Set.of(LocalDate.of(2026, 12, 12)));
    long studio = studio("S-003");
    long booking = milestone(studio, "booking", MONDAY);
    long wedding = milestone(studio, "wedding", LocalDate.of(2026, 12, 13));
    long equipment = sql(c -> Journeys.record(c, "E-003", "equipment", Optional.empty(), false, Optional.empty()));
    long purchase = milestone(equipment, "purchase", LocalDate.of(2026, 12, 11));
    long repair = milestone(equipment, "repair_closed", LocalDate.of(2026, 12, 12));
    scheduler(office, KefuConfig.Journey.DEFAULTS, Journeys.SHIPPED, false).runDue(at("2026-12-01 08:00"));
    assertThat(step(booking).dueAt()).as("a holiday: the next working day").isEqualTo(at("2026-12-09 10:00"));
    assertThat(step(wedding).dueAt()).as("a greeting keeps its Sunday").isEqualTo(at("2026-12-13 10:00"));
    assertThat(step(purchase).dueAt()).as("+1 working day from Friday: the make-up Saturday").isEqualTo(at("2026-12-12 10:00"));
    assertThat(step(repair).dueAt()).as("Sunday, then a holiday Monday").isEqualTo(at("2026-12-15 10:00"));
  }

  @Test
  void aChangedDateMovesThePendingStepsAndACancelledMilestoneStopsThem() throws Exception {
    long record = studio("S-004");
    long booking = milestone(record, "booking", MONDAY);
    long shoot = milestone(record, "shoot", LocalDate.of(2026, 12, 10));
    long proofs = milestone(record, "proofs", LocalDate.of(2026, 12, 20));
    Scheduler scheduler = scheduler();
    assertThat(scheduler.runDue(at("2026-12-08 10:05")).tasked()).isEqualTo(1);

    sql(c -> {
      Journeys.moveMilestone(c, booking, LocalDate.of(2026, 12, 9), at("2026-12-08 11:00"));
      Journeys.moveMilestone(c, shoot, LocalDate.of(2026, 12, 12), at("2026-12-08 11:00"));
      Journeys.cancelMilestone(c, proofs, "客户改期，另行通知", at("2026-12-08 11:00"));
      return null;
    });
    Scheduler.Run run = scheduler.runDue(at("2026-12-08 11:01"));

    assertThat(run.planned()).isEqualTo(2);
    assertThat(step(booking).status()).as("what was done stays done").isEqualTo("tasked");
    assertThat(step(booking).dueAt()).isEqualTo(at("2026-12-08 10:00"));
    assertThat(step(shoot).dueAt()).isEqualTo(at("2026-12-13 10:00"));
    assertThat(step(shoot).status()).isEqualTo("planned");
    assertThat(step(proofs).status()).isEqualTo("cancelled");
    assertThat(step(proofs).reason().orElseThrow()).contains("milestone cancelled: 客户改期，另行通知");
    assertThat(scheduler.runDue(at("2026-12-31 10:00")).tasked()).as("only the moved shoot step").isEqualTo(1);
    assertThat(step(proofs).status()).isEqualTo("cancelled");
  }

  @Test
  void afterDowntimeItCatchesUpButNeverSendsAtASillyTime() throws Exception {
    Optional<Instant> wrote = Optional.of(at("2026-12-07 15:00"));
    long soon = sql(c -> Journeys.record(c, "E-010", "equipment",
        Optional.of(Journeys.follower(c, "o-soon", wrote, true)), false, Optional.empty()));
    long late = sql(c -> Journeys.record(c, "E-011", "equipment",
        Optional.of(Journeys.follower(c, "o-late", wrote, true)), false, Optional.empty()));
    long soonRepair = milestone(soon, "repair_closed", MONDAY);
    long lateRepair = milestone(late, "repair_closed", MONDAY.minusDays(1));
    long couple = sql(c -> Journeys.record(c, "S-011", "studio",
        Optional.of(Journeys.follower(c, "o-couple", wrote, true)), false, Optional.empty()));
    long wedding = milestone(couple, "wedding", MONDAY);
    Scheduler scheduler = scheduler();
    scheduler.runDue(at("2026-12-01 08:00"));

    // Down from before Monday 10:00 until Monday 23:30: quiet hours, nothing goes.
    assertThat(scheduler.runDue(at("2026-12-07 23:30"))).isEqualTo(new Scheduler.Run(0, 0, 0, 0));
    // Back at 09:00: the wedding greeting is a day late (skipped), yesterday's repair survey 23 hours (a call)...
    Scheduler.Run morning = scheduler.runDue(at("2026-12-08 09:00"));
    assertThat(morning).isEqualTo(new Scheduler.Run(0, 0, 1, 1));
    assertThat(step(wedding).status()).isEqualTo("skipped");
    assertThat(step(wedding).reason().orElseThrow()).contains("due 23 h ago, beyond journey.max-lateness (12 h); skipped, as its plan says");
    assertThat(step(lateRepair).status()).isEqualTo("tasked");
    assertThat(step(lateRepair).reason().orElseThrow()).contains("due 23 h ago, beyond journey.max-lateness (12 h); not sent so late, call task");
    // ... and today's, due at 10:00, goes at 14:00 when the node is back after a second outage: 4 hours is not too late.
    assertThat(step(soonRepair).status()).isEqualTo("planned");
    assertThat(scheduler.runDue(at("2026-12-08 14:00")).sent()).isEqualTo(1);
    assertThat(step(soonRepair).status()).isEqualTo("done");
    long customer = sql(c -> customerOf(c, soon));
    List<String> sent = sql(c -> Journeys.sentTo(c, customer));
    assertThat(sent).hasSize(1);
  }

  private static long customerOf(Connection c, long record) throws java.sql.SQLException {
    return kefu.store.Sql.one(c, "SELECT customer_id FROM customer_records WHERE id = ?", row -> row.longValue("customer_id"), record).orElseThrow();
  }
}
