package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import kefu.LogLines;
import kefu.TestConfigs;
import kefu.TestNode;
import kefu.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/** The outbox through an outage of Redis, which holds WeChat's access token: due replies wait, and go once it is back. */
class RedisOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
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
