package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.TestNode;
import kefu.cli.KefuCommand;
import kefu.config.KefuConfig;
import kefu.report.CleanXlsx;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The "done when", as someone trying kefu does it from the README: sample-data on a new database, the node
 * started with the sample's manager, and then the manager's WeChat messages of the reports made at start in WeChat's
 * stand-in (the simulator's), the supervisor's login the command printed, last week's report with its ranking, survey
 * columns and charts, its workbook opening cleanly with the ranking and one row per rating, and the ratings' CSV.
 */
class SampleReportTest {
  private static final Pattern REPORT_LINK = Pattern.compile("href=\"/desk/reports/(\\d+)\" id=\"report-\\d+\">周报");

  @Test
  void theSampleDesksLastWeekReachesTheManagerAndTheSupervisor(@TempDir Path dir) throws Exception {
    KefuConfig base = TestNode.config(dir, Optional.empty());
    KefuConfig config = base.withDesk(base.desk().withManager("o-sample-manager"))
        .withReport(new KefuConfig.Report(LocalTime.of(9, 0), LocalTime.of(9, 0), 3, Optional.of("http://kefu.example.com")));
    StringWriter out = new StringWriter();
    assertThat(new CommandLine(new KefuCommand()).setOut(new PrintWriter(out, true)).execute("sample-data", "--config",
        DeskClient.configFile(dir, config.db().url()).toString())).isEqualTo(0);
    Matcher login = Pattern.compile("sample-supervisor / (\\S+) ").matcher(out.toString());
    assertThat(login.find()).as(out.toString()).isTrue();

    try (TestNode node = TestNode.start(config)) {
      // Made at start (their time passed before the node ran), delivered to the manager inside WeChat's window.
      await().atMost(Duration.ofSeconds(60)).until(() -> node.sent("o-sample-manager").size() == 2);
      List<String> sent = node.sent("o-sample-manager").stream().map(m -> m.getJsonObject("message").getJsonObject("text")
          .getString("content")).toList();
      String weekly = sent.stream().filter(text -> text.startsWith("【服务报告】周报")).findFirst().orElseThrow();
      assertThat(weekly).containsPattern("排名第一：[^；]+（示例）").contains("查看完整报告：http://kefu.example.com/desk/reports/");
      assertThat(sent).anySatisfy(text -> assertThat(text).startsWith("【服务报告】月报"));

      DeskClient http = new DeskClient(node.port());
      HttpResponse<String> loggedIn = http.logInWith("sample-supervisor", login.group(1));
      assertThat(loggedIn.statusCode()).isEqualTo(303);
      String setCookie = loggedIn.headers().firstValue("Set-Cookie").orElseThrow();
      String cookie = setCookie.substring(0, setCookie.indexOf(';'));
      Matcher link = REPORT_LINK.matcher(http.get("/desk/reports", cookie).body());
      assertThat(link.find()).isTrue();
      String id = link.group(1);
      assertThat(weekly).endsWith("/desk/reports/" + id);

      String page = http.get("/desk/reports/" + id, cookie).body();
      assertThat(page).contains("id=\"ranking-chart\"", "id=\"score-trend\"", "id=\"volume-trend\"", "id=\"score-distribution\"",
          "id=\"hour-chart\"", "客服专员服务态度", "赵丽（示例）", "重大投诉", "能开增值税专用发票吗");
      assertThat(page.split("<tr><td>\\d+</td><td>[^<]+（示例）</td>").length - 1).as("agents ranked").isGreaterThanOrEqualTo(4);

      HttpResponse<byte[]> xlsx = HttpClient.newHttpClient().send(HttpRequest.newBuilder(http.uri("/desk/reports/" + id + "/report.xlsx"))
          .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofByteArray());
      assertThat(xlsx.statusCode()).isEqualTo(200);
      assertThat(CleanXlsx.assertOpensCleanly(xlsx.body())).isPositive();
      HttpResponse<String> csv = http.get("/desk/reports/" + id + "/ratings.csv", cookie);
      assertThat(csv.body()).startsWith("\uFEFF日期,时间,工单,客服,评价,分数\r\n");
      try (ReadableWorkbook workbook = new ReadableWorkbook(new ByteArrayInputStream(xlsx.body()))) {
        List<Row> ranking = workbook.findSheet("排名").orElseThrow().read();
        assertThat(ranking.get(0).getCellText(4)).isEqualTo("客服专员服务态度");
        assertThat(ranking.get(1).getCellAsNumber(0)).hasValueSatisfying(rank -> assertThat(rank.intValue()).isEqualTo(1));
        assertThat(ranking).anySatisfy(r -> assertThat(r.getCellText(0) + r.getCellText(1)).isEqualTo("未排名赵丽（示例）"));
        List<Row> ratings = workbook.findSheet("评价明细").orElseThrow().read();
        assertThat(ratings).hasSize((int) csv.body().lines().count());
        assertThat(ratings.get(1).getCellAsDate(0)).isPresent();
      }
    }
  }
}
