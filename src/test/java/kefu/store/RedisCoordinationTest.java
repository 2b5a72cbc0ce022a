package kefu.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import kefu.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ClientKillParams;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The contract against a real Redis, plus what only a network store can do: lose connections and refuse them. */
class RedisCoordinationTest extends CoordinationContract {
  // Shared by the class's clients and deleted afterwards, so runs can share one Redis.
  private static final String PREFIX = "kefu-test-" + UUID.randomUUID() + ":";
  private static URI redis;

  @Override
  protected Coordination newClient() {
    // Asked for each test, not once for the class, so that every skipped test says why.
    redis = withPort(URI.create(TestServices.redisUrl()));
    return new RedisCoordination(redis, PREFIX);
  }

  @AfterAll
  static void deleteKeys() {
    if (redis == null) {
      return;
    }
    try (Jedis jedis = new Jedis(redis)) {
      ScanParams ours = new ScanParams().match(PREFIX + "*").count(1000);
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = jedis.scan(cursor, ours);
        if (!page.getResult().isEmpty()) {
          jedis.del(page.getResult().toArray(String[]::new));
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    }
  }

  @Test
  void recoversAfterItsConnectionsAreKilled() {
    String clientName = "kefu-test-" + UUID.randomUUID();
    try (RedisCoordination coordination = new RedisCoordination(redis, PREFIX, clientName, Duration.ofSeconds(2))) {
      String key = name("survivor");
      String channel = name("survivor");
      List<String> received = new CopyOnWriteArrayList<>();
      coordination.set(key, "before", Duration.ofMinutes(5));
      assertThat(coordination.get(key)).contains("before");
      coordination.subscribe(channel, received::add);

      assertThat(killConnectionsNamed(clientName)).isGreaterThanOrEqualTo(2);

      coordination.set(key, "after", Duration.ofMinutes(5));
      assertThat(coordination.get(key)).contains("after");
      await()
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                a.publish(channel, "after");
                return received.contains("after");
              });
    }
  }

  @Test
  void aWrongPasswordIsACoordinationException() {
    URI wrong = URI.create("redis://kefu-nobody:wrong@" + redis.getHost() + ":" + redis.getPort());
    try (RedisCoordination coordination = new RedisCoordination(wrong, PREFIX, "kefu-test", Duration.ofSeconds(2))) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () -> assertThatThrownBy(coordination::ping).isInstanceOf(CoordinationException.class));
    }
  }

  @Test
  void anUnreachableServerIsACoordinationException() {
    URI nobody = URI.create("redis://127.0.0.1:1");
    try (RedisCoordination coordination = new RedisCoordination(nobody, PREFIX, "kefu-test", Duration.ofSeconds(2))) {
      assertTimeoutPreemptively(
          Duration.ofSeconds(10),
          () -> {
            assertThatThrownBy(coordination::ping).isInstanceOf(CoordinationException.class);
            assertThatThrownBy(() -> coordination.subscribe("channel", message -> {}))
                .isInstanceOf(CoordinationException.class);
          });
    }
  }

  /** {@code uri} with Redis's default port made explicit, since a plain Jedis rejects a URI without one. */
  private static URI withPort(URI uri) {
    int port = uri.getPort() == -1 ? 6379 : uri.getPort();
    try {
      return new URI(uri.getScheme(), uri.getUserInfo(), uri.getHost(), port, uri.getPath(), uri.getQuery(), null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Kills, from a separate connection, every connection named {@code clientName}; returns how many. */
  private static int killConnectionsNamed(String clientName) {
    try (Jedis admin = new Jedis(redis)) {
      List<Long> ids = new ArrayList<>();
      for (String line : admin.clientList().split("\n")) {
        if ((" " + line.trim() + " ").contains(" name=" + clientName + " ")) {
          for (String field : line.trim().split(" ")) {
            if (field.startsWith("id=")) {
              ids.add(Long.parseLong(field.substring(3)));
            }
          }
        }
      }
      ids.forEach(id -> admin.clientKill(ClientKillParams.clientKillParams().id(Long.toString(id))));
      return ids.size();
    }
  }
}
