package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import kefu.TestDatabases;
import kefu.TestNode;
import kefu.TestStore;
import kefu.channel.simulator.SimulatedWechat;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A message acknowledged to WeChat and stored, whose turn a stop cut off before it was answered, is answered by
 * the next start: "success" is a promise kept across a crash.
 */
class ResumeTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String CUSTOMER = "(SELECT id FROM customers WHERE openid = ?)";
  private static final String OUT_OF = "SELECT COUNT(*) FROM messages m JOIN conversations v ON v.id = m.conversation_id"
      + " WHERE m.direction = 'out' AND v.customer_id = " + CUSTOMER;

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void wechatsRetryOfAMessageAnsweredBeforeARestartGetsTheStoredReplyOnce(TestStore store, @TempDir Path dir) throws Exception {
    // Proves: WeChat's retry of a message whose passive reply was stored — but, as when the node dies between storing
    // and sending it, never reached WeChat — is not taken again by the restarted node: it carries the stored reply;
    // and with no time left in the reply budget the reply goes through the API instead, once however often WeChat
    // retries. (Before, the retry got a bare "success" and the customer no reply at all.) The retry is recognised by
    // the stored message's unique MsgId, refused inside the turn's batch, on H2 as on PostgreSQL.
    KefuConfig.Db db = store == TestStore.H2 ? TestDatabases.h2(dir) : TestDatabases.postgres();
    try {
      retriedAfterRestarts(dir, db);
    } finally {
      if (store == TestStore.POSTGRES) {
        TestDatabases.dropPostgres(db);
      }
    }
  }

  private static void retriedAfterRestarts(Path dir, KefuConfig.Db db) throws Exception {
    String openid = "o-retried";
    SimulatedWechat.Request hello;
    String reply;
    try (TestNode before = TestNode.start(TestNode.config(dir, db, TestNode.REPLY_BUDGET))) {
      hello = before.wechat().text(openid, "你好");
      reply = before.reply(hello).get("Content");
    }
    try (TestNode after = TestNode.start(TestNode.config(dir, db, TestNode.REPLY_BUDGET))) {
      assertThat(after.reply(hello)).containsEntry("Content", reply);
    }
    try (TestNode late = TestNode.start(TestNode.config(dir, db, Duration.ZERO))) {
      assertThat(late.post(hello).body()).isEqualTo("success");
      await().atMost(WAIT).until(() -> late.sent(openid).size() == 1);
      assertThat(late.post(hello).body()).isEqualTo("success");
      assertThat(late.one(String.class, "SELECT o.channel || '/' || o.status FROM outbox o JOIN customers c ON c.id = o.customer_id"
          + " WHERE c.openid = ?", openid)).as("the one reply, sent through the API").isEqualTo("service/sent");
      assertThat(late.sent(openid)).hasSize(1);
    }
  }

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
