package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import kefu.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 今日回访 and the coverage page through the console's HTTP, on a node whose clock the test moves: calls opened by the
 * scheduler, then four days later what each agent and the supervisor see, the outcome form and its refusals, the
 * reassigning of a customer's series, and the record's page listing its steps and calls.
 */
class CallDeskTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @TempDir static Path dir;
  static TestNode node;
  static DeskClient desk;
  static long xiaoli;
  static long wangfang;
  static LocalDate today;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(TestNode.config(dir, Optional.empty()));
    desk = new DeskClient(node.port());
    Path configFile = DeskClient.configFile(dir, node.config().db().url());
    DeskClient.addUser(configFile, "xiaoli", "小李", "agent");
    DeskClient.addUser(configFile, "wangfang", "王芳", "agent");
    DeskClient.addUser(configFile, "lina", "李娜", "supervisor");
    xiaoli = node.one(Long.class, "SELECT id FROM agents WHERE login = 'xiaoli'");
    wangfang = node.one(Long.class, "SELECT id FROM agents WHERE login = 'wangfang'");
    LocalDate started = LocalDate.now(node.clock());
    // Yesterday's booking is called today, the others' tomorrow; then the clock moves on four days, when today's
    // call is overdue (three days after its due date) and tomorrow's is not.
    record("S-OLD", "studio", true, Optional.of(xiaoli), "booking", started.minusDays(1));
    for (String reference : new String[] {"S-MINE", "S-DECLINE"}) {
      record(reference, "studio", true, Optional.of(xiaoli), "booking", started);
    }
    record("S-OPEN", "studio", false, Optional.empty(), "booking", started);
    record("S-POOL", "studio", false, Optional.empty(), "booking", started);
    record("S-THEIRS", "studio", true, Optional.of(wangfang), "booking", started);
    record("E-SURVEY", "equipment", false, Optional.of(xiaoli), "repair_closed", started);
    node.journeys().runDue(at(started, "10:05"));
    node.journeys().runDue(at(started.plusDays(1), "10:05"));
    assertThat(node.count("SELECT COUNT(*) FROM call_tasks")).isEqualTo(7);
    today = started.plusDays(4);
    node.clock().advance(Duration.between(node.clock().instant(), at(today, "10:30")));
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static Instant at(LocalDate day, String time) {
    return day.atTime(LocalTime.parse(time)).atZone(SHANGHAI).toInstant();
  }

  private static void record(String reference, String line, boolean member, Optional<Long> owner, String kind, LocalDate date)
      throws Exception {
    OffsetDateTime t = OffsetDateTime.parse("2026-01-01T00:00:00Z");
    node.execute("INSERT INTO customer_records (reference, line, name, phone, member, owner_agent_id, link_code, created_at, updated_at)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", reference, line, "林晓彤", "13800138000", member, owner.orElse(null),
        "c" + reference, t, t);
    long record = node.one(Long.class, "SELECT id FROM customer_records WHERE reference = ?", reference);
    node.execute("INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at) VALUES (?, ?, ?, 'api', ?, ?)",
        record, kind, date, t, t);
  }

  private static long task(String reference) throws Exception {
    return node.one(Long.class, "SELECT t.id FROM call_tasks t JOIN customer_records r ON r.id = t.record_id WHERE r.reference = ?",
        reference);
  }

  private static String row(String page, long task) {
    int at = page.indexOf("data-call=\"" + task + "\"");
    assertThat(at).as("task %s listed", task).isPositive();
    return page.substring(page.lastIndexOf("<tr", at), page.indexOf("</tr>", at));
  }

  @Test
  void anAgentSeesTheirOwnAndUnclaimedCallsWithTheOverdueInRed() throws Exception {
    DeskClient.Session agent = desk.logIn("xiaoli");
    String page = desk.get("/desk/calls", agent.cookie()).body();

    assertThat(page).contains("今日回访", today.toString());
    assertThat(row(page, task("S-OLD"))).contains("class=\"overdue\"", "已逾期", "138****8000", "会员");
    assertThat(row(page, task("E-SURVEY"))).doesNotContain("overdue").contains("维修后回访");
    assertThat(row(page, task("S-OPEN"))).contains("未领取");
    assertThat(page).doesNotContain("data-call=\"" + task("S-THEIRS") + "\"").doesNotContain("转交");
    assertThat(desk.get("/desk/calls/" + task("S-THEIRS"), agent.cookie()).statusCode()).as("another agent's customer").isEqualTo(403);
    assertThat(desk.get("/desk/calls/" + task("S-THEIRS"), desk.logIn("wangfang").cookie()).statusCode()).isEqualTo(200);
    assertThat(desk.get("/desk/coverage", agent.cookie()).statusCode()).as("for supervisors").isEqualTo(404);
  }

  @Test
  void aCallsPageHasTheFileTheScriptAndForASurveyTheSurveysLink() throws Exception {
    DeskClient.Session agent = desk.logIn("xiaoli");
    long survey = task("E-SURVEY");
    String page = desk.get("/desk/calls/" + survey, agent.cookie()).body();

    assertThat(page).contains("<a href=\"/desk/surveys/answer?task=" + survey + "\" id=\"call-survey\">填写问卷</a>");
    assertThat(page).contains("您好，这里是售后服务回访部，请问林晓彤在吗？", "13800138000", "维修完成", "outcome-form");
    assertThat(desk.get("/desk/calls/" + task("S-MINE"), agent.cookie()).body()).contains("请问是林晓彤吗？").doesNotContain("填写问卷");
    assertThat(desk.get("/desk/calls/999999", agent.cookie()).statusCode()).isEqualTo(404);
  }

  @Test
  void theOutcomeFormRecordsAndRefusesPlainly() throws Exception {
    DeskClient.Session agent = desk.logIn("xiaoli");
    long mine = task("S-MINE");
    String outcome = "/desk/calls/" + mine + "/outcome";

    Map<String, String> reached = Map.of("outcome", "reached", "notes", "客户已安排好拍照时间", "feedback", "对门市讲解很满意");
    assertThat(desk.post(outcome, agent.cookie(), Map.of("outcome", "reached", "notes", "伪造", "_csrf", "forged")).statusCode())
        .as("a forged post").isEqualTo(403);
    assertThat(desk.post(outcome, desk.logIn("wangfang"), reached).statusCode()).as("another agent's call").isEqualTo(403);
    assertThat(desk.post(outcome, agent, Map.of("outcome", "maybe")).statusCode()).isEqualTo(400);
    assertThat(desk.post(outcome, agent, Map.of("outcome", "reached", "notes", "长".repeat(2001))).statusCode()).isEqualTo(400);
    assertThat(node.one(String.class, "SELECT status FROM call_tasks WHERE id = ?", mine)).as("nothing stored").isEqualTo("open");

    HttpResponse<String> saved = desk.post(outcome, agent, reached);
    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(saved.headers().firstValue("Location")).contains("/desk/calls?notice=closed");
    assertThat(desk.get("/desk/calls?notice=closed", agent.cookie()).body()).contains("回访结果已保存，谢谢！")
        .doesNotContain("data-call=\"" + mine + "\"");
    assertThat(desk.post(outcome, agent, reached).headers().firstValue("Location")).as("posted twice").contains("/desk/calls?notice=gone");
    long record = node.one(Long.class, "SELECT id FROM customer_records WHERE reference = 'S-MINE'");
    String recordPage = desk.get("/desk/records/" + record, agent.cookie()).body();
    assertThat(row(recordPage, mine)).contains("已完成", "已联系上", "小李", "客户已安排好拍照时间", "对门市讲解很满意");
    assertThat(recordPage).contains("id=\"steps\"", "预约后回访", "已转为回访任务", "电话回访", "按回访计划，此步骤为电话回访");

    long decline = task("S-DECLINE");
    HttpResponse<String> noReason = desk.post("/desk/calls/" + decline + "/outcome", agent, Map.of("outcome", "declined"));
    assertThat(noReason.headers().firstValue("Location")).contains("/desk/calls/" + decline + "?notice=reason");
    assertThat(desk.get("/desk/calls/" + decline + "?notice=reason", agent.cookie()).body()).contains("请填写客户拒绝的原因");
    assertThat(node.one(String.class, "SELECT status FROM call_tasks WHERE id = ?", decline)).isEqualTo("open");
    assertThat(desk.post("/desk/calls/" + decline + "/outcome", agent, Map.of("outcome", "declined", "notes", "客户表示不需要回访"))
        .headers().firstValue("Location")).contains("/desk/calls?notice=declined");
    assertThat(node.one(String.class, "SELECT outcome || ':' || notes FROM call_tasks WHERE id = ?", decline)).isEqualTo("declined:客户表示不需要回访");
  }

  @Test
  void aSupervisorSeesEveryAgentsCallsAndGivesACustomersSeriesToAnother() throws Exception {
    DeskClient.Session supervisor = desk.logIn("lina");
    String page = desk.get("/desk/calls", supervisor.cookie()).body();

    assertThat(page).contains("各客服的回访任务", "data-call=\"" + task("S-THEIRS") + "\"", "data-call=\"" + task("S-OLD") + "\"");
    String xiaoliLine = page.substring(page.indexOf("data-agent=\"" + xiaoli + "\""));
    assertThat(xiaoliLine.substring(0, xiaoliLine.indexOf("</tr>"))).contains("小李").containsPattern("<td>\\d+</td><td>1</td>");
    assertThat(desk.get("/desk/calls?agent=" + wangfang, supervisor.cookie()).body())
        .contains("data-call=\"" + task("S-THEIRS") + "\"").doesNotContain("data-call=\"" + task("S-OLD") + "\"");

    long pool = task("S-POOL");
    assertThat(desk.post("/desk/calls/" + pool + "/assign", desk.logIn("xiaoli"), Map.of("agent", String.valueOf(wangfang))).statusCode())
        .isEqualTo(403);
    assertThat(desk.post("/desk/calls/" + pool + "/assign", supervisor, Map.of("agent", "424242")).statusCode()).isEqualTo(400);
    assertThat(desk.post("/desk/calls/" + pool + "/assign", supervisor, Map.of("agent", String.valueOf(wangfang)))
        .headers().firstValue("Location")).contains("/desk/calls?notice=assigned");
    assertThat(node.one(Long.class, "SELECT owner_agent_id FROM customer_records WHERE reference = 'S-POOL'")).isEqualTo(wangfang);
    assertThat(node.one(Long.class, "SELECT owner_agent_id FROM call_tasks WHERE id = ?", pool)).isEqualTo(wangfang);

    String coverage = desk.get("/desk/coverage?from=" + today.minusDays(4) + "&to=" + today, supervisor.cookie()).body();
    assertThat(coverage).contains("回访统计", "预约后回访", "尚未回访的会员客户", "S-OLD");
    assertThat(desk.get("/desk/coverage?from=" + today + "&to=" + today.minusDays(1), supervisor.cookie()).statusCode()).isEqualTo(400);
    assertThat(desk.get("/desk/coverage?from=昨天", supervisor.cookie()).statusCode()).isEqualTo(400);
    assertThat(node.get("/metrics").body()).contains("kefu_journey_steps{figure=\"due\",plan=\"studio-booking\",step=\"call\"}",
        "kefu_journey_member_coverage{plan=\"studio-booking\",step=\"call\"}", "# HELP kefu_journey_steps follow-up steps by figure: due; done");
  }
}
