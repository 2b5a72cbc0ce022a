package kefu;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import kefu.channel.simulator.SimulatedWechat;
import kefu.channel.wechat.WechatCrypto;
import kefu.channel.wechat.WechatXml;
import kefu.config.KefuConfig;

/**
 * Customers of a WeChat official account writing to a node's {@code /wechat} all the time, each message sent again
 * as WeChat sends it when it got no answer (connection refused or cut, no answer within 5 s, an error status): the
 * same body, so the same MsgId. Each customer follows the account first (a subscribe event), then writes "你好" again
 * and again, one message after the other.
 *
 * <p>WeChat gives up after three retries in about 15 s; a customer here tries until answered, so that what a test
 * counts does not hang on how fast a node restarts. A message WeChat gave up on was never acknowledged, which promised
 * nothing; one acknowledged is what the tests hold the node to.
 */
public final class WechatCrowd implements AutoCloseable {
  /** WeChat's wait for an answer before it sends the message again. */
  private static final Duration WECHAT_WAIT = Duration.ofSeconds(5);
  /** Between tries, so that a node down is not hammered; WeChat's own pause is its 5 s wait. */
  private static final long RETRY_PAUSE_MILLIS = 300;
  /** A customer's pause between one answered message and the next: the load is steady, not a flood. */
  private static final int THINK_MILLIS = 200;

  /**
   * A message WeChat got HTTP 200 for: its key (the MsgId, or "subscribe"), the passive reply's text if any, and why
   * each earlier try got no answer, in order.
   */
  public record Acknowledged(String openid, String key, Optional<String> passiveReply, List<String> unanswered) {}

  private final SimulatedWechat wechat;
  private final URI webhook;
  private final Instant giveUpAt;
  private final List<Thread> customers = new ArrayList<>();
  private final Queue<Acknowledged> acknowledged = new ConcurrentLinkedQueue<>();
  private final Map<String, Throwable> failed = new ConcurrentHashMap<>();
  private final AtomicInteger retries = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(WECHAT_WAIT).build();
  private volatile boolean finishing;

  /**
   * Starts {@code count} customers (openids {@code prefix}0 …) writing to the plaintext webhook on {@code port},
   * signed with {@code config}'s token; a message still unanswered after {@code patience} is given up as failed.
   */
  public WechatCrowd(KefuConfig.Wechat config, int port, String prefix, int count, long seed, Duration patience) {
    this.wechat = new SimulatedWechat(config.token(), new WechatCrypto(config), Clock.systemUTC());
    this.webhook = URI.create("http://127.0.0.1:" + port + "/wechat?");
    this.giveUpAt = Instant.now().plus(patience);
    for (int i = 0; i < count; i++) {
      String openid = prefix + i;
      Random random = new Random(seed + i);
      Thread customer = new Thread(() -> write(openid, random), "customer-" + openid);
      customer.setDaemon(true);
      customers.add(customer);
      customer.start();
    }
  }

  /** Each customer finishes the message in hand, retried until answered, and writes no more; waits for all. */
  public void finish() throws InterruptedException {
    finishing = true;
    for (Thread customer : customers) {
      customer.join(Math.max(1, Duration.between(Instant.now(), giveUpAt).plusSeconds(10).toMillis()));
    }
    if (!failed.isEmpty()) {
      throw new AssertionError(failed.size() + " customers could not get a message answered: " + failed, failed.values().iterator().next());
    }
  }

  /** Every message answered with HTTP 200 so far. */
  public List<Acknowledged> acknowledged() {
    return List.copyOf(acknowledged);
  }

  /** How many times a message was sent again. */
  public int retries() {
    return retries.get();
  }

  private void write(String openid, Random random) {
    try {
      deliver(openid, "subscribe", wechat.event(openid, "subscribe", null));
      while (!finishing) {
        SimulatedWechat.Request message = wechat.text(openid, "你好");
        deliver(openid, WechatXml.parse(message.body()).get("MsgId"), message);
        Thread.sleep(random.nextInt(THINK_MILLIS)); // pacing the load, not waiting for the node
      }
    } catch (Exception | AssertionError e) {
      failed.put(openid, e);
    }
  }

  /** Sends {@code message} until it is answered with HTTP 200, as WeChat retries it. */
  private void deliver(String openid, String key, SimulatedWechat.Request message) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(webhook + message.query()))
        .header("Content-Type", "text/xml; charset=utf-8").timeout(WECHAT_WAIT)
        .POST(HttpRequest.BodyPublishers.ofString(message.body(), StandardCharsets.UTF_8)).build();
    List<String> unanswered = new ArrayList<>();
    String why;
    do {
      try {
        HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          acknowledged.add(new Acknowledged(openid, key, Optional.ofNullable(wechat.open(answer.body()).get("Content")), unanswered));
          return;
        }
        why = "HTTP " + answer.statusCode();
      } catch (IOException e) {
        why = e.getClass().getSimpleName(); // refused, cut, or no answer in time: WeChat sends it again
      }
      unanswered.add(why);
      retries.incrementAndGet();
      Thread.sleep(RETRY_PAUSE_MILLIS);
    } while (Instant.now().isBefore(giveUpAt));
    throw new AssertionError("message " + key + " of " + openid + " still unanswered: " + why);
  }

  @Override
  public void close() {
    finishing = true;
    customers.forEach(Thread::interrupt);
  }
}
