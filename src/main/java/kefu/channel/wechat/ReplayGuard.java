package kefu.channel.wechat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import kefu.store.Coordination;
import kefu.store.CoordinationException;
import org.slf4j.LoggerFactory;

/**
 * Refuses a signed request that carries another message than the first one signed with the same timestamp and
 * nonce, on any node: the signature does not cover a plaintext message's body, so without this a request seen
 * once could be sent again within its five minutes with any message in it. The same message again is
 * WeChat's retry, which {@link RetryGuard} recognises. Blocks on the coordination store: call it on a worker thread.
 *
 * <p>While the coordination store is down every request counts as the first, as for {@link RetryGuard}: customers
 * keep getting answers, and the signature still limits a replay to the five minutes.
 */
final class ReplayGuard {
  private static final ThrottledWarning storeDown = new ThrottledWarning(LoggerFactory.getLogger(ReplayGuard.class));

  /** A signature is valid from five minutes before its timestamp to five minutes after. */
  private static final Duration REMEMBER = WechatWebhook.MAX_SKEW.multipliedBy(2);

  private final Coordination coordination;

  ReplayGuard(Coordination coordination) {
    this.coordination = coordination;
  }

  /**
   * Whether the request signed {@code signature} may carry the message of {@code fields}: its signature is new, or
   * was first seen with the same message.
   */
  boolean allows(String signature, Map<String, String> fields) {
    String key = "wechat:signed:" + signature;
    String digest = digest(fields);
    try {
      return coordination.setIfAbsent(key, digest, REMEMBER) || coordination.get(key).map(digest::equals).orElse(true);
    } catch (CoordinationException e) {
      storeDown.warn("Signed WeChat requests are not checked for replays while the coordination store is down ({})", e.getMessage());
      return true;
    }
  }

  /** The message's fields, hashed: a retry sealed again with the same nonce still has the same. */
  private static String digest(Map<String, String> fields) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      new TreeMap<>(fields).forEach((name, value) -> {
        sha.update(name.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(value.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      });
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
