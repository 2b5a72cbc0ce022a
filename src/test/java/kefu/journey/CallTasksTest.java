package kefu.journey;

import static kefu.journey.Journeys.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import kefu.TestStore;
import kefu.config.KefuConfig;
import kefu.store.Sql;
import kefu.store.SqlWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The call tasks of 今日回访 and the coverage figures, on H2 and PostgreSQL, with the scheduler opening the tasks at the
 * times a test names and every outcome recorded at a time it names: overdue after three days, retries the same day,
 * a customer declining, one agent owning a customer's series, and the 三个必保 figures worked out by hand.
 */
class CallTasksTest {
  private static final LocalDate MONDAY = LocalDate.of(2026, 12, 7);
  /** When Monday's milestones' next-day calls are opened. */
  private static final Instant TUESDAY_MORNING = at("2026-12-08 10:05");

  @TempDir
  Path dir;
  private TestStore.Open store;
  private Scheduler scheduler;
  private final CallTasks calls = new CallTasks(Journeys.SHIPPED, Journeys.TEMPLATES, KefuConfig.Journey.DEFAULTS, Journeys.SHANGHAI);

  private void open(TestStore kind) {
    store = kind.open(dir);
    KefuConfig config = Journeys.config(dir, store.settings(), Journeys.EVERY_DAY, KefuConfig.Journey.DEFAULTS);
    scheduler = Journeys.scheduler(store.vertx(), store.db(), Journeys.SHIPPED, config, new Journeys.Channel(false));
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private <T> T sql(SqlWork<T> work) throws Exception {
    return store.db().inTransaction(work);
  }

  private long record(String reference, String line, boolean member, Optional<Long> owner) throws Exception {
    return sql(c -> Journeys.record(c, reference, line, Optional.empty(), member, owner));
  }

  private long milestone(long record, String kind, LocalDate date) throws Exception {
    return sql(c -> Journeys.milestone(c, record, kind, date, at("2026-12-01 08:00")));
  }

  /** A studio customer of {@code agent} booked on Monday, whose call the scheduler opened on Tuesday; the record. */
  private long calledTuesday(String reference, boolean member, long agent) throws Exception {
    long record = record(reference, "studio", member, Optional.of(agent));
    milestone(record, "booking", MONDAY);
    scheduler.runDue(TUESDAY_MORNING);
    return record;
  }

  private CallTasks.Task task(long record, String plan) throws Exception {
    return sql(c -> calls.ofRecord(c, record)).stream().filter(t -> t.plan().equals(plan)).findFirst().orElseThrow();
  }

  private List<CallTasks.Task> due(Optional<Long> agent, LocalDate today) throws Exception {
    return sql(c -> calls.due(c, agent, today));
  }

  private boolean take(CallTasks.Task task, long agent, Instant at) throws Exception {
    return sql(c -> calls.take(c, task, agent, at));
  }

  private List<Journeys.Step> steps(long milestone) throws Exception {
    return sql(c -> Journeys.steps(c, milestone));
  }

  private CallTasks.Recorded record(CallTasks.Task task, long agent, CallTasks.Outcome outcome, String notes, Instant at) throws Exception {
    return sql(c -> calls.record(c, task, agent, outcome, Optional.of(notes).filter(n -> !n.isEmpty()), Optional.empty(), at));
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aTaskNotDoneWithinThreeDaysOfItsDueDateIsOverdue(TestStore kind) throws Exception {
    open(kind);
    long agent = sql(c -> Journeys.agent(c, "xiaoli"));
    long record = calledTuesday("S-100", true, agent);

    CallTasks.Task task = task(record, "studio-booking");
    assertThat(task.dueOn()).isEqualTo(LocalDate.of(2026, 12, 8));
    assertThat(task.ownerAgentId()).contains(agent);
    assertThat(task.script()).startsWith("您好！我是婚纱影楼客服部的（您的名字），请问是王小姐吗？");
    assertThat(task.deadline()).isEqualTo(at("2026-12-12 00:00"));
    assertThat(task.overdue(at("2026-12-11 23:59"))).as("the third day after its due date is still in time").isFalse();
    assertThat(task.overdue(at("2026-12-12 00:00"))).isTrue();
    assertThat(due(Optional.of(agent), LocalDate.of(2026, 12, 7))).as("not yet due").isEmpty();
    assertThat(due(Optional.of(agent), LocalDate.of(2026, 12, 14))).extracting(CallTasks.Task::id)
        .as("overdue tasks stay in the list").containsExactly(task.id());

    record(task, agent, CallTasks.Outcome.REACHED, "客户已安排好拍照时间", at("2026-12-13 09:00"));
    assertThat(task(record, "studio-booking").overdue(at("2026-12-14 09:00"))).as("done late is no longer overdue").isFalse();
    assertThat(due(Optional.of(agent), LocalDate.of(2026, 12, 14))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aCallNotAnsweredComesBackLaterTheSameDayUpToTheRetries(TestStore kind) throws Exception {
    open(kind);
    long agent = sql(c -> Journeys.agent(c, "xiaoli"));
    long record = calledTuesday("S-110", false, agent);

    assertThat(record(task(record, "studio-booking"), agent, CallTasks.Outcome.NOT_REACHED, "无人接听", at("2026-12-08 10:30")))
        .isEqualTo(CallTasks.Recorded.RETRY);
    CallTasks.Task once = task(record, "studio-booking");
    assertThat(once.open()).isTrue();
    assertThat(once.attempts()).isEqualTo(1);
    assertThat(once.retryAt()).contains(at("2026-12-08 11:30"));
    assertThat(once.waiting(at("2026-12-08 11:29"))).isTrue();
    assertThat(once.waiting(at("2026-12-08 11:30"))).isFalse();
    assertThat(calls.retriesLeft(once)).isEqualTo(1);

    assertThat(record(once, agent, CallTasks.Outcome.NOT_REACHED, "", at("2026-12-08 14:00"))).isEqualTo(CallTasks.Recorded.RETRY);
    CallTasks.Task twice = task(record, "studio-booking");
    assertThat(twice.notes()).as("earlier notes are kept").contains("无人接听");
    assertThat(calls.retriesLeft(twice)).isZero();
    assertThat(record(twice, agent, CallTasks.Outcome.NOT_REACHED, "三次未接通", at("2026-12-08 16:00")))
        .isEqualTo(CallTasks.Recorded.CLOSED);

    CallTasks.Task closed = task(record, "studio-booking");
    assertThat(closed.status()).isEqualTo("done");
    assertThat(closed.outcome()).contains("not_reached");
    assertThat(closed.attempts()).isEqualTo(3);
    assertThat(closed.doneBy()).contains(agent);
    assertThatThrownBy(() -> record(closed, agent, CallTasks.Outcome.REACHED, "迟到的结果", at("2026-12-08 17:00")))
        .isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aCustomerWhoDeclinesHasTheirPendingStepsStoppedWithTheReason(TestStore kind) throws Exception {
    open(kind);
    long agent = sql(c -> Journeys.agent(c, "xiaoli"));
    long record = record("S-120", "studio", true, Optional.of(agent));
    long other = record("S-121", "studio", true, Optional.of(agent));
    milestone(record, "booking", MONDAY);
    milestone(record, "shoot", MONDAY);
    long proofs = milestone(record, "proofs", LocalDate.of(2026, 12, 10));
    long otherShoot = milestone(other, "shoot", MONDAY);
    scheduler.runDue(TUESDAY_MORNING);

    assertThat(record(task(record, "studio-booking"), agent, CallTasks.Outcome.DECLINED, "客户表示不需要再回访", at("2026-12-08 11:00")))
        .isEqualTo(CallTasks.Recorded.DECLINED);

    assertThat(task(record, "studio-booking").outcome()).contains("declined");
    assertThat(task(record, "studio-shoot").status()).as("the other open call stops").isEqualTo("cancelled");
    Journeys.Step proofsStep = steps(proofs).get(0);
    assertThat(proofsStep.status()).isEqualTo("skipped");
    assertThat(proofsStep.reason().orElseThrow()).contains("客户在电话回访中拒绝继续回访").contains("客户表示不需要再回访");
    assertThat(task(other, "studio-shoot").open()).as("another customer's calls go on").isTrue();
    assertThat(steps(otherShoot).get(0).status()).isEqualTo("tasked");

    // A milestone recorded after the refusal plans steps, and they stop too when due.
    long pickup = milestone(record, "pickup", LocalDate.of(2026, 12, 15));
    assertThat(scheduler.runDue(at("2026-12-20 10:05")).tasked()).isZero();
    Journeys.Step pickupStep = steps(pickup).get(0);
    assertThat(pickupStep.status()).isEqualTo("skipped");
    assertThat(pickupStep.reason()).contains("客户已在电话回访中表示不再接受回访");
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void theFirstToTakeACustomerOwnsTheSeriesAndASupervisorMovesItWhole(TestStore kind) throws Exception {
    open(kind);
    long xiaoli = sql(c -> Journeys.agent(c, "xiaoli"));
    long wangfang = sql(c -> Journeys.agent(c, "wangfang"));
    long record = record("S-130", "studio", true, Optional.empty());
    milestone(record, "booking", MONDAY);
    milestone(record, "shoot", MONDAY);
    long pickup = milestone(record, "pickup", LocalDate.of(2026, 12, 10));
    scheduler.runDue(TUESDAY_MORNING);
    LocalDate tuesday = LocalDate.of(2026, 12, 8);

    assertThat(due(Optional.of(xiaoli), tuesday)).as("nobody's yet: offered to every agent").hasSize(2);
    assertThat(due(Optional.of(wangfang), tuesday)).hasSize(2);
    assertThat(take(task(record, "studio-booking"), xiaoli, at("2026-12-08 10:10"))).isTrue();

    Optional<Long> owner = sql(c -> Sql.one(c, "SELECT owner_agent_id FROM customer_records WHERE id = ?",
        row -> row.longValue("owner_agent_id"), record));
    assertThat(owner).contains(xiaoli);
    assertThat(task(record, "studio-shoot").ownerAgentId()).as("the rest of the series comes along").contains(xiaoli);
    assertThat(due(Optional.of(wangfang), tuesday)).isEmpty();
    assertThat(take(task(record, "studio-shoot"), wangfang, at("2026-12-08 10:11"))).as("taken already").isFalse();
    // Later steps of the customer are the owner's from the start.
    scheduler.runDue(at("2026-12-15 10:05"));
    assertThat(task(record, "studio-pickup").ownerAgentId()).contains(xiaoli);

    CallTasks.Task booking = task(record, "studio-booking");
    sql(c -> {
      calls.assign(c, booking, wangfang, at("2026-12-15 11:00"));
      return null;
    });
    assertThat(due(Optional.of(wangfang), LocalDate.of(2026, 12, 15))).extracting(CallTasks.Task::plan)
        .containsExactlyInAnyOrder("studio-booking", "studio-shoot", "studio-pickup");
    assertThat(due(Optional.of(xiaoli), LocalDate.of(2026, 12, 15))).isEmpty();
    assertThat(due(Optional.empty(), LocalDate.of(2026, 12, 15))).as("a supervisor sees every agent's").hasSize(3);
    assertThat(steps(pickup)).hasSize(1);
    // Recording an outcome of a task nobody owns takes it first.
    long fresh = record("S-131", "studio", false, Optional.empty());
    milestone(fresh, "booking", LocalDate.of(2026, 12, 14));
    scheduler.runDue(at("2026-12-15 10:06"));
    record(task(fresh, "studio-booking"), xiaoli, CallTasks.Outcome.REACHED, "已联系", at("2026-12-15 10:30"));
    assertThat(task(fresh, "studio-booking").ownerAgentId()).contains(xiaoli);
  }

  /**
   * Seven customers whose steps fall due on Tuesday 8 December, the figures read on Sunday the 13th at noon. By hand,
   * studio-booking: R1 (member) reached Wednesday by xiaoli, R3 a wrong number (xiaoli), R4 (member) never called, R7
   * (member) declined Tuesday (wangfang), R6's milestone cancelled before its day — 4 due, 2 done both in time, 1
   * failed, 1 overdue, members 2 of 3 (66 %), R4 incomplete. studio-shoot: R2 (member) reached on the 13th, past its
   * deadline and without notes; R7's stopped by the refusal — 1 due, 1 done, 0 in time, 1 skipped, members 1 of 1,
   * 1 incomplete. equipment-repair: R5's survey went as a message in the window — 1 due, done, in time, 1 message.
   */
  @ParameterizedTest
  @EnumSource(TestStore.class)
  void theCoverageFiguresAreTheOnesWorkedOutByHand(TestStore kind) throws Exception {
    open(kind);
    long xiaoli = sql(c -> Journeys.agent(c, "xiaoli"));
    long wangfang = sql(c -> Journeys.agent(c, "wangfang"));
    long r1 = record("S-201", "studio", true, Optional.of(xiaoli));
    long r2 = record("S-202", "studio", true, Optional.of(wangfang));
    long r3 = record("S-203", "studio", false, Optional.of(xiaoli));
    long r4 = record("S-204", "studio", true, Optional.of(xiaoli));
    long r5 = sql(c -> Journeys.record(c, "E-205", "equipment",
        Optional.of(Journeys.follower(c, "o-205", Optional.of(at("2026-12-07 20:00")), true)), false, Optional.empty()));
    long r6 = record("S-206", "studio", true, Optional.of(xiaoli));
    long r7 = record("S-207", "studio", true, Optional.of(wangfang));
    for (long r : List.of(r1, r3, r4, r7)) {
      milestone(r, "booking", MONDAY);
    }
    milestone(r2, "shoot", MONDAY);
    milestone(r7, "shoot", MONDAY);
    milestone(r5, "repair_closed", MONDAY);
    long cancelled = milestone(r6, "booking", MONDAY);
    sql(c -> {
      Journeys.cancelMilestone(c, cancelled, "客户改期", at("2026-12-07 12:00"));
      return null;
    });
    // A step due outside the period counts nowhere.
    milestone(record("S-208", "studio", true, Optional.of(xiaoli)), "booking", LocalDate.of(2026, 12, 8));
    assertThat(scheduler.runDue(TUESDAY_MORNING)).extracting(Scheduler.Run::sent, Scheduler.Run::tasked).containsExactly(1, 6);

    record(task(r1, "studio-booking"), xiaoli, CallTasks.Outcome.REACHED, "客户满意", at("2026-12-09 10:00"));
    record(task(r3, "studio-booking"), xiaoli, CallTasks.Outcome.WRONG_NUMBER, "空号", at("2026-12-08 11:00"));
    record(task(r7, "studio-booking"), wangfang, CallTasks.Outcome.DECLINED, "不需要回访", at("2026-12-08 15:00"));
    record(task(r2, "studio-shoot"), wangfang, CallTasks.Outcome.REACHED, "", at("2026-12-13 11:00"));

    Coverage.Figures figures = sql(c -> new Coverage(Journeys.SHANGHAI).of(c, LocalDate.of(2026, 12, 8), LocalDate.of(2026, 12, 8),
        at("2026-12-13 12:00")));

    assertThat(figures.rows()).containsExactly(
        new Coverage.Row("equipment-repair", "survey", 1, 1, 1, 1, 0, 0, 0, 0, 0, 0),
        new Coverage.Row("studio-booking", "call", 4, 2, 2, 0, 1, 1, 0, 3, 2, 1),
        new Coverage.Row("studio-shoot", "call", 1, 1, 0, 0, 0, 0, 1, 1, 1, 1));
    assertThat(figures.rows().get(1).memberCoverage()).isEqualTo(66);
    assertThat(figures.rows().get(1).open()).isEqualTo(1);
    assertThat(figures.total()).isEqualTo(new Coverage.Row("", "", 6, 4, 3, 1, 1, 1, 1, 4, 3, 2));
    assertThat(figures.total().memberCoverage()).isEqualTo(75);
    assertThat(figures.byWhom()).containsExactly(
        new Coverage.ByWhom("studio-booking", "call", xiaoli, 2),
        new Coverage.ByWhom("studio-booking", "call", wangfang, 1),
        new Coverage.ByWhom("studio-shoot", "call", wangfang, 1));
    assertThat(figures.missing()).extracting(m -> m.reference() + " " + m.plan() + " " + m.state())
        .containsExactly("S-204 studio-booking overdue");
  }
}
