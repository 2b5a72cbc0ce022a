package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.UUID;
import kefu.App;
import kefu.TestConfigs;
import kefu.TestServices;
import kefu.channel.simulator.WechatStandIn;
import kefu.config.KefuConfig;
import kefu.dialog.Reply;
import kefu.store.RedisCoordination;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WeChat's access token across nodes: every token fetched invalidates the one before, so nodes must share one
 * through Redis (WxJava's Redis-backed config over {@link CoordinationRedisOps}) rather than each fetching its own.
 */
class AccessTokenSharingTest {
  @TempDir Path dir;

  @Test
  void twoNodesOnOneRedisFetchTheAccessTokenOnce() throws Exception {
    // Proves: the second node's API client sends with the token the first fetched; the stand-in handed out one.
    URI redis = URI.create(TestServices.redisUrl());
    KefuConfig config = TestConfigs.embedded(dir);
    App standIn = App.start(config);
    // A prefix of its own, so that no token left in Redis by another run is found; the keys expire with the token.
    String prefix = "kefu-test-" + UUID.randomUUID() + ":";
    try (RedisCoordination nodeA = new RedisCoordination(redis, prefix);
        RedisCoordination nodeB = new RedisCoordination(redis, prefix)) {
      String api = "http://127.0.0.1:" + standIn.port() + WechatStandIn.PATH;
      StandInClient wechat = new StandInClient(HttpClient.newHttpClient(), standIn.port());

      WxJavaApi.create(config.wechat(), nodeA, api, "wechat").sendService("o-node-a", new Reply.Text("节点A发出的消息"));
      WxJavaApi.create(config.wechat(), nodeB, api, "wechat").sendService("o-node-b", new Reply.Text("节点B发出的消息"));

      assertThat(wechat.texts("o-node-a")).containsExactly("节点A发出的消息");
      assertThat(wechat.texts("o-node-b")).containsExactly("节点B发出的消息");
      assertThat(wechat.tokensIssued()).isEqualTo(1);
    } finally {
      standIn.stop();
    }
  }
}
