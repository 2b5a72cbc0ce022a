package kefu.greeting;

import java.sql.Connection;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kefu.conversation.Article;
import kefu.conversation.Broadcasts;

/**
 * A mass channel for greetings' and campaigns' tests on the database alone: records every recipient queued and each
 * text, and leaves out those whose month is {@link #spent}; with a customer-service channel whose window is never open.
 */
final class TestBroadcasts implements Broadcasts {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  /** A customer-service channel whose window is closed to everyone. */
  static final Greetings.ServiceMessages CLOSED = new Greetings.ServiceMessages() {
    @Override
    public boolean open(Connection c, long customerId, Instant now) {
      return false;
    }

    @Override
    public void queue(Connection c, long customerId, String text, Instant now) {}

    @Override
    public void queue(Connection c, long customerId, Article article, Instant now) {}

    @Override
    public void wake() {}
  };

  final List<Long> queued = Collections.synchronizedList(new ArrayList<>());
  final List<String> texts = Collections.synchronizedList(new ArrayList<>());
  final Set<Long> spent = ConcurrentHashMap.newKeySet();

  @Override
  public YearMonth month(Instant now) {
    return YearMonth.from(now.atZone(SHANGHAI));
  }

  @Override
  public List<Long> fitting(Connection c, List<Long> ids, Purpose purpose, Instant now) {
    return ids.stream().filter(id -> !spent.contains(id)).toList();
  }

  @Override
  public int used(Connection c, long customerId, YearMonth month) {
    return 0;
  }

  @Override
  public List<Long> queue(Connection c, Purpose purpose, String label, List<Long> customerIds, String text, Instant now) {
    queued.addAll(customerIds);
    texts.add(text);
    return List.of((long) queued.size());
  }

  @Override
  public List<Long> queue(Connection c, Purpose purpose, String label, List<Long> customerIds, Article article, Instant now) {
    return queue(c, purpose, label, customerIds, article.title(), now);
  }

  @Override
  public void wake() {}

  @Override
  public Optional<Integer> preview(String openid, String text) {
    return Optional.empty();
  }
}
