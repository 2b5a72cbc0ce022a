package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import kefu.TestNode;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message acknowledged to WeChat and stored, whose turn a stop cut off before it was answered, is answered by
 * the next start: "success" is a promise kept across a crash.
 */
class ResumeTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String CUSTOMER = "(SELECT id FROM customers WHERE openid = ?)";
  private static final String OUT_OF = "SELECT COUNT(*) FROM messages m JOIN conversations v ON v.id = m.conversation_id"
      + " WHERE m.direction = 'out' AND v.customer_id = " + CUSTOMER;

  @Test
  void aMessageStoredButNotAnsweredBeforeAStopIsAnsweredOnceByTheNextStart(@TempDir Path dir) throws Exception {
    TestNode.copySampleKnowledgeBase(dir);
    KefuConfig config = TestNode.config(dir, Optional.empty(), Duration.ZERO);
    String openid = "o-resume";
    try (TestNode before = TestNode.start(config)) {
      before.awaitKnowledgeBase();
      assertThat(before.post(before.wechat().text(openid, "你们店在哪里")).body()).isEqualTo("success");
      await().atMost(WAIT).until(() -> before.sent(openid).size() == 1);
      // What a kill between a question's two transactions leaves: the message stored, and nothing after it.
      before.execute("DELETE FROM outbox WHERE customer_id = " + CUSTOMER, openid);
      before.execute("DELETE FROM messages WHERE direction = 'out' AND conversation_id IN"
          + " (SELECT id FROM conversations WHERE customer_id = " + CUSTOMER + ")", openid);
      before.execute("UPDATE conversations SET bot_state = NULL, bot_state_at = NULL WHERE customer_id = " + CUSTOMER, openid);
    }

    try (TestNode after = TestNode.start(config)) {
      await().atMost(WAIT).until(() -> after.sent(openid).size() == 1);
      assertThat(after.count(OUT_OF, openid)).isEqualTo(1);
      assertThat(after.one(Long.class, "SELECT COUNT(*) FROM messages m JOIN conversations v ON v.id = m.conversation_id"
          + " WHERE m.direction = 'in' AND v.customer_id = " + CUSTOMER, openid)).as("the question, stored once").isEqualTo(1);
    }
  }
}
