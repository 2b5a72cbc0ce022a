package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import kefu.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repair survey taken on the phone for a call task, through the console's HTTP: the form shows the questions with
 * their five levels and the comment, saves the answers for the task's record (CSRF-protected like every form), a low
 * score opens a complaint; the record's answers are listed, and an agent flagging a comment opens one too.
 */
class SurveyDeskTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @TempDir static Path dir;
  static TestNode node;
  static DeskClient desk;

  @BeforeAll
  static void start() throws Exception {
    TestNode.copySampleKnowledgeBase(dir);
    node = TestNode.start(TestNode.config(dir, Optional.empty()));
    desk = new DeskClient(node.port());
    DeskClient.addUser(DeskClient.configFile(dir, node.config().db().url()), "wangfang", "王芳", "agent");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /**
   * A record linked to a follower who has not written for long (WeChat's window closed), its repair closed yesterday:
   * today's survey step becomes a call task. The task's id.
   */
  private static long task(String reference) throws Exception {
    OffsetDateTime created = OffsetDateTime.now(ZoneOffset.UTC);
    node.execute("INSERT INTO customers (openid, subscribed, created_at, updated_at) VALUES (?, TRUE, ?, ?)", "o-" + reference, created, created);
    long customer = node.count("SELECT id FROM customers WHERE openid = ?", "o-" + reference);
    node.execute("INSERT INTO customer_records (reference, line, customer_id, name, member, link_code, created_at, updated_at)"
        + " VALUES (?, 'equipment', ?, '李先生', FALSE, ?, ?, ?)", reference, customer, "q" + reference, created, created);
    long record = record(reference);
    LocalDate today = node.clock().instant().atZone(SHANGHAI).toLocalDate();
    node.execute("INSERT INTO milestones (record_id, kind, on_date, source, created_at, updated_at) VALUES (?, 'repair_closed', ?, 'api', ?, ?)",
        record, today.minusDays(1), created, created);
    // The node's own timer may run it first: either way the task is opened once.
    node.journeys().runDue(today.atTime(10, 30).atZone(SHANGHAI).toInstant());
    return node.one(Long.class, "SELECT id FROM call_tasks WHERE record_id = ?", record);
  }

  private static long record(String reference) throws Exception {
    return node.one(Long.class, "SELECT id FROM customer_records WHERE reference = ?", reference);
  }

  private static Map<String, String> answers(int callTaker, int arrival, int attitude, int skill, int overall, String comment) {
    Map<String, String> form = new HashMap<>(Map.of("rating.call-taker-attitude", Integer.toString(callTaker),
        "rating.arrival-speed", Integer.toString(arrival), "rating.technician-attitude", Integer.toString(attitude),
        "rating.technician-skill", Integer.toString(skill), "rating.overall", Integer.toString(overall)));
    form.put("comment.comment", comment);
    return form;
  }

  @Test
  void anAgentTakesTheSurveyOnThePhoneAndALowScoreOpensAComplaint() throws Exception {
    long task = task("P-100");
    String path = "/desk/surveys/answer?task=" + task;
    assertThat(desk.get(path, null).statusCode()).as("to the login").isEqualTo(303);
    DeskClient.Session agent = desk.logIn("wangfang");

    String form = desk.get(path, agent.cookie()).body();
    assertThat(form).contains("维修服务回访", "客服专员服务态度", "上门服务速度", "技术员现场服务态度", "技术员维修水平", "总体满意度", "意见或建议",
        "name=\"rating.technician-skill\" value=\"4\"", "非常不满意", "name=\"comment.comment\"");
    assertThat(desk.get("/desk/surveys/answer?task=999999", agent.cookie()).statusCode()).isEqualTo(404);

    assertThat(desk.post(path, agent.cookie(), answers(1, 1, 1, 4, 2, "")).statusCode()).as("no CSRF token").isEqualTo(403);
    assertThat(desk.post(path, agent, answers(1, 1, 1, 9, 2, "")).statusCode()).as("no such level").isEqualTo(400);
    assertThat(node.count("SELECT COUNT(*) FROM survey_runs WHERE task_id = ?", task)).as("nothing kept of refused posts").isZero();

    HttpResponse<String> saved = desk.post(path, agent, answers(1, 2, 1, 4, 2, "下次请提前电话联系"));
    assertThat(saved.statusCode()).isEqualTo(303);
    assertThat(saved.headers().firstValue("Location")).hasValue(path + "&saved=1");
    long run = node.one(Long.class, "SELECT id FROM survey_runs WHERE task_id = ?", task);
    assertThat(node.one(String.class, "SELECT channel FROM survey_runs WHERE id = ?", run)).isEqualTo("phone");
    assertThat(node.column(Integer.class, "SELECT level FROM survey_answers WHERE run_id = ? AND level IS NOT NULL ORDER BY question", run))
        .as("arrival, call-taker, overall, technician attitude and skill").containsExactly(2, 1, 2, 1, 4);
    long ticket = node.one(Long.class, "SELECT ticket_id FROM survey_runs WHERE id = ?", run);
    assertThat(node.one(String.class, "SELECT told FROM complaints WHERE ticket_id = ?", ticket)).contains("技术员维修水平：不满意（0.8分）");
    String again = desk.get(path + "&saved=1", agent.cookie()).body();
    assertThat(again).contains("调查结果已保存", "投诉工单 #" + ticket, "id=\"rating-technician-skill-4\" checked", "下次请提前电话联系");

    String listed = desk.get("/desk/surveys/record/" + record("P-100"), agent.cookie()).body();
    assertThat(listed).contains("电话", "技术员维修水平", "不满意", "0.8", "下次请提前电话联系", "投诉工单 #" + ticket);
  }

  @Test
  void aCommentAnAgentFlagsOpensAComplaint() throws Exception {
    long task = task("P-200");
    DeskClient.Session agent = desk.logIn("wangfang");
    assertThat(desk.post("/desk/surveys/answer?task=" + task, agent, answers(1, 1, 2, 1, 1, "发票还没有寄到")).statusCode()).isEqualTo(303);
    long run = node.one(Long.class, "SELECT id FROM survey_runs WHERE task_id = ?", task);
    assertThat(node.column(Long.class, "SELECT ticket_id FROM survey_runs WHERE id = ? AND ticket_id IS NOT NULL", run)).as("every score fine").isEmpty();
    assertThat(desk.get("/desk/surveys/record/" + record("P-200"), agent.cookie()).body()).contains("转投诉跟进");

    HttpResponse<String> flagged = desk.post("/desk/surveys/flag", agent, Map.of("run", Long.toString(run), "question", "comment"));
    assertThat(flagged.statusCode()).isEqualTo(303);
    assertThat(desk.post("/desk/surveys/flag", agent, Map.of("run", Long.toString(run), "question", "comment")).statusCode())
        .as("flagged already").isEqualTo(409);
    long ticket = node.one(Long.class, "SELECT ticket_id FROM survey_runs WHERE id = ?", run);
    assertThat(node.one(String.class, "SELECT told FROM complaints WHERE ticket_id = ?", ticket)).isEqualTo("回访满意度调查（维修服务回访）：意见或建议：发票还没有寄到");
    assertThat(desk.get("/desk/surveys/record/" + record("P-200"), agent.cookie()).body()).contains("已转投诉").doesNotContain("转投诉跟进</button>");
  }
}
