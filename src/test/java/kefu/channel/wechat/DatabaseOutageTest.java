package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kefu.TestDatabases;
import kefu.TestNode;
import kefu.TestServices;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PostgreSQL's connections cut under load: what WeChat was told is stored, and each stored message is answered. */
class DatabaseOutageTest {
  private static final int MESSAGES = 40;
  private static final String IN = "SELECT COUNT(*) FROM messages m JOIN conversations v ON v.id = m.conversation_id"
      + " JOIN customers u ON u.id = v.customer_id WHERE m.direction = 'in' AND u.openid LIKE 'o-cut-%'";
  private static final String CUSTOMERS_ANSWERED = "SELECT COUNT(DISTINCT u.id) FROM messages m"
      + " JOIN conversations v ON v.id = m.conversation_id JOIN customers u ON u.id = v.customer_id"
      + " WHERE m.direction = 'out' AND u.openid LIKE 'o-cut-%'";

  @Test
  void connectionsTerminatedUnderLoadLoseNothingAcknowledgedAndLeaveNothingUnanswered(@TempDir Path dir) throws Exception {
    // Proves: with the node's PostgreSQL connections terminated three times while 40 customers write at once
    // (pg_terminate_backend, as a failover or an administrator would), every message WeChat got HTTP 200 for is stored,
    // those it did not get one for may be sent again, and every stored one is answered, once the turns retried.
    KefuConfig.Db db = TestDatabases.postgres();
    try (TestNode node = TestNode.start(TestNode.config(dir, db, Duration.ZERO))) {
      List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        answers.add(node.postAsync(node.wechat().text("o-cut-" + i, "你好")));
        if (i % 13 == 6) {
          terminateOthers();
        }
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).exceptionally(e -> null).get(120, TimeUnit.SECONDS);
      long acknowledged = 0;
      for (CompletableFuture<HttpResponse<String>> answer : answers) {
        if (!answer.isCompletedExceptionally() && answer.get().statusCode() == 200) {
          acknowledged++;
        }
      }
      assertThat(acknowledged).as("acknowledged").isPositive();
      long stored = node.count(IN);
      assertThat(stored).as("stored, at least every one acknowledged").isGreaterThanOrEqualTo(acknowledged);
      await().atMost(Duration.ofSeconds(90)).until(() -> node.count(CUSTOMERS_ANSWERED) == stored);
    } finally {
      TestDatabases.dropPostgres(db);
    }
  }

  /** Terminates every other session of the test database: the node's pool loses its connections at once. */
  private static void terminateOthers() throws Exception {
    try (Connection c = DriverManager.getConnection(TestServices.postgresUrl()); Statement s = c.createStatement()) {
      s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    }
  }
}
