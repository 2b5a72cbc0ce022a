package kefu.channel.wechat;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import kefu.config.KefuConfig;
import kefu.conversation.Article;
import kefu.conversation.Broadcasts;
import kefu.customer.CustomerRepository;
import kefu.store.Sql;

/**
 * The monthly mass-message budget and the queue of mass messages (群发), in SQL: each recipient's slot of the month is a
 * row written with the send, so a fifth is never planned, by greetings or campaigns, on any node; the sending itself is
 * {@link MassSender}'s.
 */
final class MassMessages implements Broadcasts {
  /** WeChat's bounds of a list for mass/send. */
  static final int MOST_LISTED = 10_000;
  /** Rows written in one INSERT. */
  private static final int ROWS_AT_ONCE = 500;

  private final KefuConfig.Quotas quotas;
  private final ZoneId zone;
  private final MassSender sender;

  MassMessages(KefuConfig.Quotas quotas, ZoneId zone, MassSender sender) {
    this.quotas = quotas;
    this.zone = zone;
    this.sender = sender;
  }

  @Override
  public YearMonth month(Instant now) {
    return YearMonth.from(now.atZone(zone));
  }

  static int key(YearMonth month) {
    return month.getYear() * 100 + month.getMonthValue();
  }

  /** The most mass messages of {@code purpose} a follower may have in a month. */
  int cap(Purpose purpose) {
    return purpose == Purpose.GREETING ? quotas.massPerMonth() : quotas.massPerMonth() - quotas.massGreetingReserve();
  }

  @Override
  public List<Long> fitting(Connection c, List<Long> ids, Purpose purpose, Instant now) throws SQLException {
    List<Long> fitting = new ArrayList<>();
    int month = key(month(now));
    int toAll = toAll(c, month);
    for (int from = 0; from < ids.size(); from += ROWS_AT_ONCE) {
      List<Long> part = ids.subList(from, Math.min(ids.size(), from + ROWS_AT_ONCE));
      // Locked, so that another node's greeting or campaign to the same follower waits and then counts this one.
      new CustomerRepository().lockReach(c, part);
      Map<Long, Integer> used = new HashMap<>();
      for (Map.Entry<Long, Integer> row : Sql.list(c, "SELECT r.customer_id, COUNT(*) AS n FROM mass_recipients r"
          + " JOIN mass_sends s ON s.id = r.mass_send_id WHERE r.budget_month = ? AND s.status <> 'failed' AND r.customer_id IN ("
          + Sql.placeholders(part.size()) + ") GROUP BY r.customer_id",
          row -> Map.entry(row.longValue("customer_id"), row.integer("n")), params(month, part))) {
        used.put(row.getKey(), row.getValue());
      }
      for (long id : part) {
        if (used.getOrDefault(id, 0) + toAll < cap(purpose)) {
          fitting.add(id);
        }
      }
    }
    return fitting;
  }

  @Override
  public int used(Connection c, long customerId, YearMonth month) throws SQLException {
    return Sql.count(c, "SELECT COUNT(*) FROM mass_recipients r JOIN mass_sends s ON s.id = r.mass_send_id"
        + " WHERE r.customer_id = ? AND r.budget_month = ? AND s.status <> 'failed'", customerId, key(month)) + toAll(c, key(month));
  }

  /** Sends made outside kefu that reached as many as all of kefu's followers: each counts against every one. */
  private static int toAll(Connection c, int month) throws SQLException {
    return Sql.count(c, "SELECT COUNT(*) FROM mass_sends WHERE purpose = 'external' AND target = 'all' AND budget_month = ?", month);
  }

  @Override
  public List<Long> queue(Connection c, Purpose purpose, String label, List<Long> customerIds, String text, Instant now)
      throws SQLException {
    return queue(c, purpose, label, customerIds, text, null, now);
  }

  @Override
  public List<Long> queue(Connection c, Purpose purpose, String label, List<Long> customerIds, Article article, Instant now)
      throws SQLException {
    // The text column shows the title where a send is listed; the article goes whole in its own.
    return queue(c, purpose, label, customerIds, article.title(), MassArticles.json(article), now);
  }

  private List<Long> queue(Connection c, Purpose purpose, String label, List<Long> customerIds, String text, String article, Instant now)
      throws SQLException {
    int month = key(month(now));
    List<Long> sends = new ArrayList<>();
    for (List<Long> part : parts(customerIds)) {
      long id = Sql.insert(c, "INSERT INTO mass_sends (purpose, label, target, text, article, recipients, budget_month, clientmsgid, status,"
          + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)", purpose, label, part.size() == 1 ? "tag" : "list", text, article,
          part.size(), month, "kefu-" + UUID.randomUUID(), now);
      for (int from = 0; from < part.size(); from += ROWS_AT_ONCE) {
        List<Long> rows = part.subList(from, Math.min(part.size(), from + ROWS_AT_ONCE));
        List<Object> params = new ArrayList<>();
        rows.forEach(customer -> params.addAll(List.of(id, customer, month)));
        Sql.update(c, "INSERT INTO mass_recipients (mass_send_id, customer_id, budget_month) VALUES "
            + String.join(", ", rows.stream().map(r -> "(?, ?, ?)").toList()), params.toArray());
      }
      sends.add(id);
    }
    return sends;
  }

  /** Lists of at most {@link #MOST_LISTED}, none of one unless there is only one recipient (a list needs two). */
  static List<List<Long>> parts(List<Long> ids) {
    List<List<Long>> parts = new ArrayList<>();
    int from = 0;
    while (from < ids.size()) {
      int left = ids.size() - from;
      int size = left > MOST_LISTED && left - MOST_LISTED == 1 ? MOST_LISTED - 1 : Math.min(left, MOST_LISTED);
      parts.add(List.copyOf(ids.subList(from, from + size)));
      from += size;
    }
    return parts;
  }

  @Override
  public void wake() {
    sender.wake();
  }

  @Override
  public Optional<Integer> preview(String openid, String text) {
    return sender.preview(openid, text);
  }

  private static Object[] params(int month, List<Long> ids) {
    List<Object> params = new ArrayList<>();
    params.add(month);
    params.addAll(ids);
    return params.toArray();
  }
}
