package kefu.journey;

import static kefu.journey.Journeys.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
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
import kefu.store.Sql;
import kefu.store.SqlWork;
import kefu.template.Templates;
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

  private List<String> sentTo(long customer) throws Exception {
    return sql(c -> Journeys.sentTo(c, customer));
  }

  private List<Journeys.Task> tasks(long record) throws Exception {
    return sql(c -> Journeys.tasks(c, record));
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
        Optional.of(new KefuConfig.Rest(LocalTime.of(12, 0), LocalTime.of(13, 30))), Duration.ofHours(12), 2, Duration.ofHours(24),
        Optional.empty(), Optional.empty());
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
    assertThat(step(proofs).reason().orElseThrow()).contains("服务节点已取消：客户改期，另行通知");
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
    assertThat(step(wedding).reason().orElseThrow()).isEqualTo("已超过应执行时间 23 小时（上限 12 小时），按计划不再补发");
    assertThat(step(lateRepair).status()).isEqualTo("tasked");
    assertThat(step(lateRepair).reason().orElseThrow()).isEqualTo("已超过应执行时间 23 小时（上限 12 小时），不再补发消息，转为电话回访");
    // ... and today's, due at 10:00, goes at 14:00 when the node is back after a second outage: 4 hours is not too late.
    assertThat(step(soonRepair).status()).isEqualTo("planned");
    assertThat(scheduler.runDue(at("2026-12-08 14:00")).sent()).isEqualTo(1);
    assertThat(step(soonRepair).status()).isEqualTo("done");
    long customer = sql(c -> customerOf(c, soon));
    List<String> sent = sentTo(customer);
    assertThat(sent).hasSize(1);
  }

  @Test
  void anEditedPlanMovesAndAddsTheStepsStillToCome() throws Exception {
    Path templates = dir.resolve("templates");
    Path file = Files.createDirectories(templates.resolve(Plans.DIR)).resolve("visit.yaml");
    String step = "  - key: %s\n    at: %s\n    kind: call\n    script: journey.studio.shoot-call\n";
    Files.writeString(file, "starts-on: shoot\nsteps:\n" + step.formatted("first", "+1d at 10:00") + step.formatted("gone", "+3d"));
    long shoot = milestone(studio("S-070"), "shoot", MONDAY);
    scheduler(Journeys.EVERY_DAY, KefuConfig.Journey.DEFAULTS, Plans.load(templates, Journeys.TEMPLATES), false)
        .runDue(at("2026-12-01 08:00"));

    Files.writeString(file, "starts-on: shoot\nsteps:\n" + step.formatted("first", "+2d at 11:00") + step.formatted("added", "+5d"));
    Scheduler.Run run = scheduler(Journeys.EVERY_DAY, KefuConfig.Journey.DEFAULTS, Plans.load(templates, Journeys.TEMPLATES), false)
        .runDue(at("2026-12-01 08:05"));

    assertThat(run.planned()).isEqualTo(3);
    assertThat(steps(shoot)).extracting(s -> s.step() + " " + s.status() + " " + s.dueAt()).containsExactly(
        "added planned " + at("2026-12-12 09:00"), "first planned " + at("2026-12-09 11:00"), "gone skipped " + at("2026-12-10 09:00"));
  }

  @Test
  void aStepThatFailsDoesNotHoldUpTheOthersAndIsGivenUpAfterFiveAttempts() throws Exception {
    Path templates = dir.resolve("templates");
    Files.createDirectories(templates.resolve(Plans.DIR));
    Files.writeString(templates.resolve("broken.yaml"), "journey:\n  broken: \"{nobody}您好！\"\n  call: 您好！\n");
    // The shipped words of the steps' reasons.
    Files.copy(Path.of("templates/journey.yaml"), templates.resolve("journey.yaml"));
    Files.writeString(templates.resolve(Plans.DIR).resolve("broken.yaml"), """
        starts-on: shoot
        steps:
          - key: broken
            at: +1d at 10:00
            kind: message
            message: journey.broken
            script: journey.call
          - key: call
            at: +1d at 10:00
            kind: call
            script: journey.call
        """);
    Templates texts = Templates.load(templates);
    KefuConfig config = Journeys.config(dir, store().settings(), Journeys.EVERY_DAY, KefuConfig.Journey.DEFAULTS);
    Journeys.Channel channel = new Journeys.Channel(false);
    Sender sender = Sender.through(channel, false);
    Scheduler scheduler = new Scheduler(store().vertx(), store().db(), Plans.load(templates, texts), texts, sender,
        Journeys.MESSAGE_ONLY, config, Clock.system(Journeys.SHANGHAI));
    long customer = sql(c -> Journeys.follower(c, "o-broken", Optional.of(at("2026-12-07 18:00")), true));
    long shoot = milestone(sql(c -> Journeys.record(c, "S-080", "studio", Optional.of(customer), false, Optional.empty())),
        "shoot", MONDAY);

    assertThat(scheduler.runDue(at("2026-12-08 10:00")).tasked()).as("the call goes on").isEqualTo(1);
    for (int lease = 1; lease <= 5; lease++) {
      scheduler.runDue(at("2026-12-08 10:00").plus(Scheduler.CLAIM_LEASE.plusMinutes(1).multipliedBy(lease)));
    }

    Journeys.Step broken = steps(shoot).get(0);
    assertThat(broken.status()).isEqualTo("skipped");
    assertThat(broken.attempts()).isEqualTo(6);
    assertThat(broken.reason().orElseThrow()).isEqualTo("连续 5 次处理失败，已停止（原因见系统日志）");
    assertThat(sentTo(customer)).isEmpty();
  }

  @Test
  void oldMilestonesFromAnImportAreHistoryNotCalls() throws Exception {
    long record = studio("S-060");
    long oldBooking = milestone(record, "booking", LocalDate.of(2026, 10, 1));
    long recentShoot = milestone(record, "shoot", LocalDate.of(2026, 12, 5));

    Scheduler.Run run = scheduler().runDue(at("2026-12-08 10:00"));

    assertThat(step(oldBooking).status()).isEqualTo("skipped");
    assertThat(step(oldBooking).reason()).contains("导入时此步骤的日期已过去 3 天以上，作为历史不再回访");
    assertThat(step(recentShoot).status()).as("two days late: still called").isEqualTo("tasked");
    assertThat(run.tasked()).isEqualTo(1);
  }

  @Test
  void aFollowUpInsideTheWindowOffersTheConsentPageWhenANoticeIsConfigured() throws Exception {
    long customer = sql(c -> Journeys.follower(c, "o-offer", Optional.of(at("2026-12-07 18:00")), true));
    milestone(sql(c -> Journeys.record(c, "E-30", "equipment", Optional.of(customer), false, Optional.empty())), "repair_closed", MONDAY);
    KefuConfig.Journey offering = new KefuConfig.Journey(KefuConfig.Journey.DEFAULTS.quiet(), Optional.empty(), Duration.ofHours(12),
        2, Duration.ofHours(24), Optional.of("tplNotice"), Optional.of("https://kefu.example.com/subscribe"));

    scheduler(Journeys.EVERY_DAY, offering, Journeys.SHIPPED, false).runDue(at("2026-12-08 10:00"));

    assertThat(sentTo(customer)).singleElement().asString()
        .startsWith("王小姐您好！感谢您12月7日使用我们的维修服务（工单E-30）。")
        .endsWith("\n如您希望之后继续收到我们的服务提醒，请点此授权：https://kefu.example.com/subscribe");
  }

  @Test
  void eachStepGoesTheWayWechatsRulesAllowAndSaysWhy() throws Exception {
    Instant now = at("2026-12-08 10:00");
    long owner = sql(c -> Journeys.agent(c, "xiaoli"));
    // Wrote yesterday: inside the 48-hour window.
    long inWindow = sql(c -> Journeys.follower(c, "o-window", Optional.of(at("2026-12-07 18:00")), true));
    // Wrote last month: outside it.
    long outside = sql(c -> Journeys.follower(c, "o-outside", Optional.of(at("2026-11-01 18:00")), true));
    long gone = sql(c -> Journeys.follower(c, "o-gone", Optional.of(at("2026-12-07 18:00")), false));
    long serviceRepair = milestone(sql(c -> Journeys.record(c, "E-20", "equipment", Optional.of(inWindow), false, Optional.of(owner))),
        "repair_closed", MONDAY);
    long templateRepair = milestone(sql(c -> Journeys.record(c, "E-21", "equipment", Optional.of(outside), false, Optional.of(owner))),
        "repair_closed", MONDAY);
    long greetingOutside = milestone(sql(c -> Journeys.record(c, "S-22", "studio", Optional.of(outside), false, Optional.of(owner))),
        "wedding", LocalDate.of(2026, 12, 8));
    long unlinked = sql(c -> Journeys.record(c, "E-23", "equipment", Optional.empty(), false, Optional.of(owner)));
    long unlinkedRepair = milestone(unlinked, "repair_closed", MONDAY);
    long unfollowed = milestone(sql(c -> Journeys.record(c, "E-24", "equipment", Optional.of(gone), false, Optional.empty())),
        "repair_closed", MONDAY);

    Scheduler.Run run = scheduler(Journeys.EVERY_DAY, KefuConfig.Journey.DEFAULTS, Journeys.SHIPPED, true).runDue(now);

    assertThat(run).isEqualTo(new Scheduler.Run(5, 2, 3, 0));
    assertThat(step(serviceRepair).channel()).contains("service");
    assertThat(step(serviceRepair).reason().orElseThrow())
        .isEqualTo("以客服消息发送：客户最近一次互动后的服务窗口内（2026-12-09 18:00 前可发，还可发 5 条）");
    assertThat(sentTo(inWindow)).containsExactly(
        "王小姐您好！感谢您12月7日使用我们的维修服务（工单E-20）。请问机器现在使用情况如何？\n"
            + "为了不断提高服务质量，想请您花一分钟对本次服务作个评价；如有任何问题或建议，也请直接回复本消息，我们会及时跟进。");
    assertThat(step(templateRepair).channel()).contains("template");
    assertThat(step(templateRepair).reason().orElseThrow()).isEqualTo(
        "不能发客服消息：客户已超过 48 小时未发消息；不能发订阅通知：未配置订阅通知模板；以模板消息发送（服务通知）");
    assertThat(sentTo(outside)).hasSize(1);
    assertThat(step(greetingOutside).channel()).contains("call_task");
    assertThat(step(greetingOutside).reason().orElseThrow()).endsWith(
        "不能发模板消息：此步骤不是服务通知；转为电话回访，由负责客服拨打");
    assertThat(step(unlinkedRepair).reason()).contains("档案未关联微信，转为电话回访");
    assertThat(step(unfollowed).reason()).contains("客户已取消关注公众号，转为电话回访");
    assertThat(tasks(unlinked)).singleElement().satisfies(task -> {
      assertThat(task.owner()).as("the record's own agent").contains(owner);
      assertThat(task.dueOn()).isEqualTo(LocalDate.of(2026, 12, 8));
      assertThat(task.script()).isEqualTo("journey.equipment.repair-call");
      assertThat(task.status()).isEqualTo("open");
    });
  }

  @Test
  void withoutATemplateAServiceNoticeOutsideTheWindowIsACall() throws Exception {
    long outside = sql(c -> Journeys.follower(c, "o-outside", Optional.of(at("2026-11-01 18:00")), true));
    long repair = milestone(sql(c -> Journeys.record(c, "E-30", "equipment", Optional.of(outside), false, Optional.empty())),
        "repair_closed", MONDAY);

    scheduler().runDue(at("2026-12-08 10:00"));

    assertThat(step(repair).status()).isEqualTo("tasked");
    assertThat(step(repair).reason().orElseThrow()).contains("不能发模板消息：未配置模板消息；转为电话回访");
  }

  @Test
  void conditionsSkipStepsWithTheirReason() throws Exception {
    Path templates = dir.resolve("templates");
    Files.createDirectories(templates.resolve(Plans.DIR));
    Files.writeString(templates.resolve(Plans.DIR).resolve("members.yaml"), """
        starts-on: pickup
        steps:
          - key: gift
            at: +1d at 10:00
            kind: call
            script: journey.studio.pickup-call
            members-only: true
        """);
    Plans members = Plans.load(templates, Journeys.TEMPLATES);
    long member = sql(c -> Journeys.record(c, "S-40", "studio", Optional.empty(), true, Optional.empty()));
    long other = sql(c -> Journeys.record(c, "S-41", "studio", Optional.empty(), false, Optional.empty()));
    long memberPickup = milestone(member, "pickup", MONDAY);
    long otherPickup = milestone(other, "pickup", MONDAY);
    scheduler(Journeys.EVERY_DAY, KefuConfig.Journey.DEFAULTS, members, false).runDue(at("2026-12-08 10:00"));
    assertThat(step(memberPickup).status()).isEqualTo("tasked");
    assertThat(step(otherPickup).status()).isEqualTo("skipped");
    assertThat(step(otherPickup).reason()).contains("此步骤仅限会员，该客户不是会员");

    // Picked up before the proofs call: asking when they pick up is pointless.
    long early = studio("S-42");
    long proofs = milestone(early, "proofs", MONDAY);
    milestone(early, "pickup", LocalDate.of(2026, 12, 12));
    // Renewal decided after two weekly calls: the rest are skipped.
    long equipment = sql(c -> Journeys.record(c, "E-43", "equipment", Optional.empty(), false, Optional.empty()));
    long warranty = milestone(equipment, "warranty_end", LocalDate.of(2027, 3, 1));
    Scheduler scheduler = scheduler();
    scheduler.runDue(at("2026-12-17 10:00"));
    assertThat(step(proofs).status()).isEqualTo("skipped");
    assertThat(step(proofs).reason()).contains("到此步骤的日期已“取件”，无需再回访");
    scheduler.runDue(at("2027-02-06 10:00"));
    milestone(equipment, "renewal_decided", LocalDate.of(2027, 2, 8));
    scheduler.runDue(at("2027-02-28 10:00"));
    assertThat(steps(warranty)).extracting(s -> s.step() + "#" + s.occurrence() + " " + s.status()).containsExactly(
        "contact#0 tasked", "contact#1 tasked", "contact#2 skipped", "contact#3 skipped", "contact#4 skipped", "list#0 tasked");
    assertThat(steps(warranty).get(2).reason()).contains("客户已有决定（客户已决定是否续保），不再跟进");
  }

  @Test
  void aStepClaimedByANodeThatWasKilledRunsOnceAfterTheRestart() throws Exception {
    long customer = sql(c -> Journeys.follower(c, "o-crash", Optional.of(at("2026-12-07 18:00")), true));
    long repair = milestone(sql(c -> Journeys.record(c, "E-50", "equipment", Optional.of(customer), false, Optional.empty())),
        "repair_closed", MONDAY);
    Scheduler killed = scheduler();
    killed.runDue(at("2026-12-08 08:00"));
    // The claim is committed, then the node dies before finishing: nothing was queued.
    assertThat(killed.claim(at("2026-12-08 10:00"))).hasSize(1);
    assertThat(step(repair).status()).isEqualTo("claimed");

    Scheduler restarted = scheduler();
    assertThat(restarted.takeBack()).isEqualTo(1);
    assertThat(restarted.runDue(at("2026-12-08 10:01")).sent()).isEqualTo(1);
    assertThat(restarted.runDue(at("2026-12-08 10:02")).sent()).isZero();

    assertThat(step(repair).status()).isEqualTo("done");
    assertThat(step(repair).attempts()).isEqualTo(2);
    assertThat(sentTo(customer)).hasSize(1);
  }

  @Test
  void aClaimLeftByAStoppedNodeIsTakenOverAfterTheLeaseAndTheSlowNodeDoesNotSendIt() throws Exception {
    long customer = sql(c -> Journeys.follower(c, "o-slow", Optional.of(at("2026-12-07 18:00")), true));
    long repair = milestone(sql(c -> Journeys.record(c, "E-51", "equipment", Optional.of(customer), false, Optional.empty())),
        "repair_closed", MONDAY);
    KefuConfig config = Journeys.config(dir, store().settings(), Journeys.EVERY_DAY, KefuConfig.Journey.DEFAULTS);
    Scheduler slow = Journeys.scheduler(store().vertx(), store().db(), Journeys.SHIPPED, Journeys.node(config, "node-a"),
        new Journeys.Channel(false));
    Scheduler other = Journeys.scheduler(store().vertx(), store().db(), Journeys.SHIPPED, Journeys.node(config, "node-b"),
        new Journeys.Channel(false));
    slow.runDue(at("2026-12-08 08:00"));
    List<Scheduler.Claimed> claimed = slow.claim(at("2026-12-08 10:00"));

    assertThat(other.runDue(at("2026-12-08 10:05")).sent()).as("within the lease: not taken").isZero();
    assertThat(other.runDue(at("2026-12-08 10:11")).sent()).as("after it").isEqualTo(1);
    assertThat(slow.finish(claimed, at("2026-12-08 10:12"))).as("the slow node finds it taken").isZero();

    assertThat(step(repair).status()).isEqualTo("done");
    assertThat(sentTo(customer)).hasSize(1);
  }

  private static long customerOf(Connection c, long record) throws SQLException {
    return Sql.one(c, "SELECT customer_id FROM customer_records WHERE id = ?", row -> row.longValue("customer_id"), record).orElseThrow();
  }
}
