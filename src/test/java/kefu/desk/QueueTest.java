package kefu.desk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.Map;
import java.util.Optional;
import kefu.TestNode;
import kefu.config.BusinessCalendar;
import kefu.config.ConfigLoader;
import kefu.config.KefuConfig;
import kefu.template.Templates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Customers told where they stand in the queue as they come and go: next, or how many are ahead, with a wait
 * estimated once agents have closed chats; the customer who moves to the head is told so.
 */
class QueueTest {
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));
  private static final String HANDOFF = TEMPLATES.text("reply.handoff") + "\n";

  @Test
  void outsideWorkingHoursTheCustomerLeavesAMessageAndTheBotKeepsAnswering(@TempDir Path dir) throws Exception {
    // Proves: on a holiday (today, in the business's zone) a request for a person opens a waiting ticket and the
    // customer is told when work starts again, instead of a place in the queue; small talk is still answered.
    ZoneId zone = ZoneId.of("Asia/Shanghai");
    BusinessCalendar holiday = new BusinessCalendar(zone, LocalTime.of(9, 0), LocalTime.of(18, 0),
        EnumSet.allOf(DayOfWeek.class), Set.of(LocalDate.now(zone)), Set.of());
    KefuConfig base = TestNode.config(dir, Optional.empty());
    try (TestNode node = TestNode.start(base.withDesk(base.desk().withCalendar(holiday)))) {
      String opens = DateTimeFormatter.ofPattern(TEMPLATES.text("format.opening"), Locale.CHINA)
          .format(holiday.nextOpening(Instant.now()).orElseThrow());

      assertThat(node.say("o-evening", "转人工")).isEqualTo(HANDOFF + TEMPLATES.render("reply.after-hours", Map.of("opens", opens)));
      assertThat(node.one(String.class, "SELECT t.status FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = ?",
          "o-evening")).isEqualTo("waiting");
      assertThat(node.say("o-evening", "你好")).isEqualTo(TEMPLATES.text("reply.greeting"));
    }
  }

  @Test
  void onASundayNoonTheSampleConfigurationIsAtWorkAsItsKnowledgeBaseSays(@TempDir Path dir) throws Exception {
    // Proves: the working hours the README's run command starts with (the defaults, no kefu.yaml) and those of
    // kefu.example.yaml agree with the sample knowledge base (客服每天 9:00–18:00): a customer asking for a person at
    // noon on a Sunday is queued, not told it is after hours.
    BusinessCalendar defaults = ConfigLoader.load(Optional.empty(), Map.of(ConfigLoader.CONFIG_ENV, "none")).desk().calendar();
    BusinessCalendar example = ConfigLoader.load(Optional.of(Path.of("kefu.example.yaml")), Map.of()).desk().calendar();
    KefuConfig base = TestNode.suggestingParaphrases(TestNode.config(dir, Optional.empty()));
    TestNode.copySampleKnowledgeBase(dir);
    try (TestNode node = TestNode.start(base.withDesk(base.desk().withCalendar(defaults)))) {
      node.awaitKnowledgeBase();
      ZonedDateTime now = node.clock().instant().atZone(defaults.zone());
      ZonedDateTime sundayNoon = now.with(TemporalAdjusters.next(DayOfWeek.SUNDAY)).with(LocalTime.NOON);
      node.clock().advance(Duration.between(now, sundayNoon));
      assertThat(example.isOpen(sundayNoon.toInstant())).as("kefu.example.yaml at work on Sunday noon").isTrue();

      assertThat(node.say("o-sunday", "周末营业吗")).doesNotContain("非工作时间");
      assertThat(node.say("o-sunday", "转人工")).isEqualTo(HANDOFF + TEMPLATES.text("reply.queue.next"));
    }
  }

  @Test
  void aCustomerWaitingTooLongIsOfferedACallBackAndTheQueueShowsTheirChoice(@TempDir Path dir) throws Exception {
    // Proves desk.max-wait (10 min): past it the customer gets the apology with the choice; "2" is recorded as a
    // call-back request, answered, and shown in the agents' queue.
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      DeskClient desk = new DeskClient(node.port());
      DeskClient.addUser(DeskClient.configFile(dir, node.config().db().url()),
          "wangfang", "王芳", "agent");
      node.say("o-patient", "转人工");
      node.clock().advance(Duration.ofMinutes(11));
      node.say("o-next", "转人工"); // a change in the queue: the desk looks at it again

      await().atMost(Duration.ofSeconds(20)).until(() -> node.sent("o-patient").stream()
          .anyMatch(sent -> sent.encode().contains(TEMPLATES.text("reply.queue.too-long").substring(0, 10))));
      assertThat(node.sent("o-next")).isEmpty();
      assertThat(node.say("o-patient", "2")).isEqualTo(TEMPLATES.text("reply.queue.call-back"));
      assertThat(node.count("SELECT COUNT(*) FROM tickets t JOIN customers c ON c.id = t.customer_id"
          + " WHERE c.openid = 'o-patient' AND t.status = 'waiting' AND t.callback_at IS NOT NULL")).isEqualTo(1);
      assertThat(desk.get("/desk", desk.logIn("wangfang").cookie()).body()).contains("请回电");
    }
  }

  @Test
  void theQueueShowsWhatEachCustomerLastWrote(@TempDir Path dir) throws Exception {
    // Proves the queue's 客户最近留言: a complaint in text shows in the customer's words; a customer who sent a photo
    // (handed over for it) and then complained waits for the complaint, with their words, not as 图片、语音等消息; a
    // long message shows its first 40 characters; a customer who wrote no words shows none.
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      DeskClient desk = new DeskClient(node.port());
      DeskClient.addUser(DeskClient.configFile(dir, node.config().db().url()), "wangfang", "王芳", "agent");
      String blurred = "我要投诉,样片里好几张都拍糊了";
      node.say("o-words", blurred);
      node.reply(node.wechat().message("o-photo", "image", Map.of("PicUrl", "http://mmbiz.qpic.cn/1.jpg", "MediaId", "media-1")));
      node.say("o-photo", "我要投诉,照片的颜色完全不对");
      String story = "我要投诉," + "婚纱照的精修片已经等了两个多月还没有收到,打电话也没有人接。".repeat(2);
      node.say("o-story", story);
      node.reply(node.wechat().message("o-silent", "image", Map.of("PicUrl", "http://mmbiz.qpic.cn/2.jpg", "MediaId", "media-2")));

      String page = desk.get("/desk", desk.logIn("wangfang").cookie()).body();
      assertThat(queueRow(node, page, "o-words")).contains("<td class=\"last-words\">" + blurred + "</td>");
      assertThat(queueRow(node, page, "o-photo")).contains("<td class=\"last-words\">我要投诉,照片的颜色完全不对</td>")
          .contains("<td>投诉</td><td>投诉</td>").doesNotContain("图片、语音等消息");
      assertThat(queueRow(node, page, "o-story")).contains("<td class=\"last-words\">" + story.substring(0, 40) + "…</td>");
      assertThat(queueRow(node, page, "o-silent")).contains("图片、语音等消息").contains("(未留文字)");
    }
  }

  /** The queue's row for the ticket of {@code openid}, as the page has it. */
  private static String queueRow(TestNode node, String page, String openid) throws Exception {
    long ticket = node.one(Long.class, "SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = ?", openid);
    String start = "<td>#" + ticket + "</td>";
    assertThat(page).contains(start);
    String row = page.substring(page.indexOf(start));
    return row.substring(0, row.indexOf("</tr>"));
  }

  @Test
  void customersHearTheirPlaceAsOthersComeAndGo(@TempDir Path dir) throws Exception {
    try (TestNode node = TestNode.start(TestNode.config(dir, Optional.empty()))) {
      DeskClient desk = new DeskClient(node.port());
      DeskClient.addUser(DeskClient.configFile(dir, node.config().db().url()),
          "wangfang", "王芳", "agent");

      assertThat(node.say("o-first", "转人工")).isEqualTo(HANDOFF + TEMPLATES.text("reply.queue.next"));
      assertThat(node.say("o-second", "人工")).isEqualTo(HANDOFF + TEMPLATES.render("reply.queue.ahead", Map.of("ahead", 1)));
      assertThat(node.say("o-third", "我要投诉"))
          .isEqualTo(TEMPLATES.text("reply.complaint") + "\n" + TEMPLATES.render("reply.queue.ahead", Map.of("ahead", 2)));

      DeskClient.Session wang = desk.logIn("wangfang");
      long first = node.one(Long.class, "SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.openid = 'o-first'");
      assertThat(desk.post("/desk/tickets/" + first + "/accept", wang, Map.of()).statusCode()).isEqualTo(303);
      await().atMost(Duration.ofSeconds(20)).until(() -> node.sent("o-second").stream()
          .anyMatch(sent -> sent.encode().contains(TEMPLATES.text("reply.queue.first"))));
      assertThat(node.sent("o-third")).isEmpty();
      assertThat(node.say("o-second", "转人工")).isEqualTo(HANDOFF + TEMPLATES.text("reply.queue.next"));

      // One chat closed within a minute: the estimate for a newcomer with two ahead rounds up to one minute.
      assertThat(desk.post("/desk/tickets/" + first + "/close", wang, Map.of()).statusCode()).isEqualTo(303);
      assertThat(node.say("o-fourth", "转人工"))
          .isEqualTo(HANDOFF + TEMPLATES.render("reply.queue.ahead-wait", Map.of("ahead", 2, "minutes", 1)));

      // The same figures for dashboards: three customers wait now.
      await().atMost(Duration.ofSeconds(20)).until(() -> node.get("/metrics").body().contains("kefu_desk_waiting 3.0"));
    }
  }
}
