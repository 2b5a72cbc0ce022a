package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import kefu.CrashCounts;
import kefu.LogLines;
import kefu.TestConfigs;
import kefu.TestNode;
import kefu.TestServices;
import kefu.WechatCrowd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The outbox through an outage of Redis, which holds WeChat's access token: due replies wait, and go once it is back. */
class RedisOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int CUSTOMERS = 30;
  /** Messages acknowledged while Redis is down, before it comes back: two for each customer. */
  private static final int DURING_OUTAGE = 2 * CUSTOMERS;
  private static final String OF = "SELECT o.status FROM outbox o JOIN customers c ON c.id = o.customer_id WHERE c.openid = ?";

  @TempDir Path dir;
  private int port;
  private Process redis;

  @BeforeEach
  void startRedis() throws Exception {
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    redis = startRedisOn(port);
  }

  @AfterEach
  void stopRedis() throws Exception {
    redis.destroy();
    redis.waitFor();
  }

  @Test
  void aReplyDueWhileRedisIsDownWaitsAndGoesOnceWhenItIsBack() throws Exception {
    // Proves: with Redis stopped, a reply that must go through the API (reply budget 0) is not given up as
    // unknown — its call never left, for want of the access token — and is sent once Redis is back, once.
    String url = "redis://127.0.0.1:" + port;
    try (LogLines log = new LogLines(OutboxSender.class);
        TestNode node = TestNode.start(TestNode.shared(dir, "outage", TestConfigs.embedded(dir).db(), TestConfigs.redis(url),
            Duration.ZERO))) {
      assertThat(node.post(node.wechat().text("o-before", "你好")).body()).isEqualTo("success");
      await().atMost(WAIT).until(() -> node.sent("o-before").size() == 1);

      redis.destroy();
      redis.waitFor();
      assertThat(node.post(node.wechat().text("o-during", "你好")).body()).isEqualTo("success");
      await().atMost(WAIT).until(() -> log.messages().stream().anyMatch(line -> line.contains("sending stopped for now")));
      assertThat(node.one(String.class, OF, "o-during")).isEqualTo("pending");

      redis = startRedisOn(port);
      await().atMost(WAIT).until(() -> "sent".equals(node.one(String.class, OF, "o-during")));
      assertThat(node.sent("o-during")).hasSize(1);
    }
  }

  @Test
  void redisStoppedUnderLoadHoldsTheDueRepliesAndSendsEachOnceWhenItIsBack() throws Exception {
    // Proves: Redis stopped while 30 customers keep writing (each message sent again until answered, as WeChat
    // does) loses no message acknowledged, and every reply due meanwhile — all through the API, with a zero reply
    // budget, so all waiting for the access token in Redis — is sent once Redis is back, none twice.
    //
    // The outage lasts while the load goes on — until every customer had two more messages acknowledged and the
    // sender had found Redis gone — rather than a fixed 30 s: the periods that matter are the sender's (its poll each
    // second finds the token unreachable and the messages wait) and the retry guard's (every retry counts as a first
    // arrival, and a message's MsgId alone keeps it from being stored twice). The sender's lease does not outlive the
    // outage however long it lasts: this Redis keeps nothing across a restart, so the sender must take the lease again,
    // and look for messages cut off mid-send, before it sends — the path a 30 s outage would also take.
    String url = "redis://127.0.0.1:" + port;
    try (LogLines log = new LogLines(OutboxSender.class);
        TestNode node = TestNode.start(TestNode.shared(dir, "outage-load", TestConfigs.embedded(dir).db(), TestConfigs.redis(url),
            Duration.ZERO));
        WechatCrowd crowd = new WechatCrowd(node.config().wechat(), node.port(), "o-load-", CUSTOMERS, 18, Duration.ofMinutes(3))) {
      await().atMost(WAIT).until(() -> crowd.acknowledged().size() >= CUSTOMERS);

      redis.destroy();
      redis.waitFor();
      int before = crowd.acknowledged().size();
      await().atMost(WAIT).until(() -> crowd.acknowledged().size() >= before + DURING_OUTAGE
          && log.messages().stream().anyMatch(line -> line.contains("sending stopped for now")));

      redis = startRedisOn(port);
      crowd.finish();
      StandInClient sent = new StandInClient(HttpClient.newHttpClient(), node.port());
      await().atMost(WAIT).untilAsserted(() -> {
        CrashCounts counts = CrashCounts.of("o-load-", crowd.acknowledged(), sent.sent(), node.config().db());
      System.out.printf("RedisOutageTest: at least %d acknowledged during the outage; %s%n", DURING_OUTAGE, counts);
        assertThat(counts.unanswered()).as("%s", counts).isZero();
      });
      CrashCounts counts = CrashCounts.of("o-load-", crowd.acknowledged(), sent.sent(), node.config().db());
      System.out.printf("RedisOutageTest: at least %d acknowledged during the outage; %s%n", DURING_OUTAGE, counts);
      assertThat(List.of(counts.lost(), counts.twice(), counts.unanswered())).as("lost, twice, unanswered: %s", counts)
          .containsExactly(0, 0, 0);
    }
  }

  private static Process startRedisOn(int port) throws IOException {
    Process server = new ProcessBuilder(TestServices.redisServer().toString(), "--port", Integer.toString(port),
        "--bind", "127.0.0.1", "--save", "", "--appendonly", "no").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    await().atMost(WAIT).ignoreExceptions().until(() -> {
      try (Jedis jedis = new Jedis("127.0.0.1", port)) {
        return "PONG".equals(jedis.ping());
      }
    });
    return server;
  }
}
