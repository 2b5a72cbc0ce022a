package kefu;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import kefu.config.KefuConfig;

/**
 * The three counts a crash or an outage must leave at zero, for a {@link WechatCrowd}'s customers, from what they
 * were answered, what reached the WeChat API stand-in and what the database holds.
 *
 * <ul>
 *   <li>{@code lost}: messages acknowledged (HTTP 200) but not stored.
 *   <li>{@code twice}: messages stored twice; a passive reply received for a message whose reply was not stored as
 *       passive; API sends to a customer beyond their replies stored as sent through the API (or as interrupted: cut
 *       off mid-call, those may have arrived).
 *   <li>{@code unanswered}: stored messages with no reply stored after them, or whose reply never reached the
 *       customer: stored as the passive reply but not received, still waiting or given up, or stored as sent through the
 *       API while the stand-in got fewer sends for that customer.
 * </ul>
 *
 * {@code interrupted} counts replies cut off mid-call, which are never sent again: not a double send, and not known
 * to be lost. {@code held} counts replies WeChat's rules forbid sending yet — the customer's quota since their last
 * message found used up, and truly used up: as many sent through the API since that message — which go when the
 * customer writes again; not unanswered. {@code expired} counts welcomes WeChat no longer allows: a follow opens a
 * one-minute allowance, and a welcome still unsent when it closed (the node was down) may not be sent at all.
 * Passive replies are matched to their message; API sends per customer, as every reply to one is alike.
 *
 * @param passive passive replies received
 * @param api sends the stand-in got
 * @param details for each customer with something counted, what
 */
public record CrashCounts(int acknowledged, int passive, int api, int lost, int twice, int unanswered, int interrupted, int held, int expired,
    List<String> details) {
  /** Each message of the customers, with its reply's outbox row if it is a reply, in the order stored. */
  private static final String MESSAGES = "SELECT u.openid, m.direction, m.type, m.wechat_msg_id, o.channel, o.status, m.id, o.id,"
      + " CASE WHEN o.channel = 'service' AND o.status = 'sent' AND o.sent_at >= u.last_inbound_at THEN 1 ELSE 0 END, o.error,"
      + " m.conversation_id, m.created_at, o.created_at, o.sent_at, SUBSTRING(m.text, 1, 12)"
      + " FROM messages m JOIN conversations v ON v.id = m.conversation_id JOIN customers u ON u.id = v.customer_id"
      + " LEFT JOIN outbox o ON o.message_id = m.id WHERE u.openid LIKE ? ORDER BY u.openid, m.id";
  private static final Set<String> API_SENT = Set.of("service/sent", "template/sent");
  /** A reply WeChat's quota keeps until the customer writes again: channel not chosen yet, status held. */
  private static final String HELD = "null/held";
  /** A welcome the one-minute allowance after a follow closed on before it could go: WeChat forbids sending it. */
  private static final String EXPIRED = "null/expired";
  /** The hold's reason names the quota it found used up: "5 customer-service messages sent since …". */
  private static final Pattern QUOTA = Pattern.compile("^(\\d+) customer-service messages sent since the customer's last message");
  private static final Set<String> CUT_OFF = Set.of("service/interrupted", "template/interrupted", "service/unknown", "template/unknown");

  /** A message stored from a customer, and its replies' outbox rows as channel/status. */
  private record Stored(String key, List<String> replies, List<String> rows) {
    boolean passive() {
      return replies.contains("reply/sent");
    }

    long count(Set<String> rows) {
      return replies.stream().filter(rows::contains).count();
    }

    /** Replies neither delivered nor cut off mid-call: still to send, held, failed. */
    long waiting() {
      return replies.size() - count(Set.of("reply/sent")) - count(API_SENT) - count(CUT_OFF) - count(Set.of(EXPIRED));
    }

    /** Every reply not delivered is held for WeChat's quota: it waits for the customer's next message, as it must. */
    boolean heldForQuota() {
      return waiting() == count(Set.of(HELD));
    }
  }

  /** A customer's share: what they were answered and sent, what is stored of them. */
  private static final class Customer {
    final Map<String, WechatCrowd.Acknowledged> acknowledged = new HashMap<>();
    final List<Stored> stored = new ArrayList<>();
    int apiReceived;
    int lost;
    int twice;
    int unanswered;
    int held;
    int expired;
    /** Customer-service replies sent since the customer's last message, and the quota a hold found used up. */
    int sentSinceLastMessage;
    int quotaUsedUp = Integer.MAX_VALUE;
    final List<String> problems = new ArrayList<>();

    void count() {
      Set<String> keys = new HashSet<>();
      long apiSent = 0;
      long cutOff = 0;
      for (Stored s : stored) {
        apiSent += s.count(API_SENT);
        cutOff += s.count(CUT_OFF);
        WechatCrowd.Acknowledged a = acknowledged.get(s.key());
        boolean passiveReceived = a != null && a.passiveReply().isPresent();
        String problem = !keys.add(s.key()) ? "stored twice"
            : s.replies().isEmpty() ? "no reply stored"
            : s.passive() && !passiveReceived ? "passive reply stored, not received"
            : !s.passive() && passiveReceived ? "passive reply received, none stored"
            : s.waiting() > 0 && !(s.heldForQuota() && sentSinceLastMessage >= quotaUsedUp) ? "reply not sent" : null;
        if (problem == null) {
          held += (int) s.count(Set.of(HELD));
          expired += (int) s.count(Set.of(EXPIRED));
          continue;
        }
        problems.add(s.key() + " " + problem + " " + s.replies() + (a == null ? ", never acknowledged" : ", tries without an answer " + tally(a.unanswered()))
            + ", stored as " + s.rows());
        if (problem.startsWith("stored twice") || problem.startsWith("passive reply received")) {
          twice++;
        } else {
          unanswered++;
        }
      }
      for (String key : acknowledged.keySet()) {
        if (!keys.contains(key)) {
          lost++;
          problems.add(key + " acknowledged, not stored");
        }
      }
      if (apiReceived > apiSent + cutOff) {
        twice += apiReceived - apiSent - cutOff;
        problems.add("API sends " + apiReceived + ", replies stored as sent " + apiSent + " (" + cutOff + " cut off mid-call)");
      } else if (apiReceived < apiSent) {
        unanswered += apiSent - apiReceived;
        problems.add("API sends " + apiReceived + ", replies stored as sent " + apiSent);
      }
    }

    int interrupted() {
      return (int) stored.stream().mapToLong(s -> s.count(CUT_OFF)).sum();
    }
  }

  /**
   * Counts for the customers whose openids start with {@code prefix}: {@code answered} by the crowd, {@code apiSends}
   * as the stand-in lists them, {@code db} as it is now.
   */
  public static CrashCounts of(String prefix, List<WechatCrowd.Acknowledged> answered, List<JsonObject> apiSends, KefuConfig.Db db)
      throws SQLException {
    Map<String, Customer> customers = new TreeMap<>();
    for (WechatCrowd.Acknowledged a : answered) {
      customers.computeIfAbsent(a.openid(), o -> new Customer()).acknowledged.put(a.key(), a);
    }
    for (JsonObject send : apiSends) {
      if (send.getString("openid").startsWith(prefix)) {
        customers.computeIfAbsent(send.getString("openid"), o -> new Customer()).apiReceived++;
      }
    }
    try (Connection c = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      for (String[] row : rows(c, MESSAGES, prefix)) {
        Customer customer = customers.computeIfAbsent(row[0], o -> new Customer());
        if (row[1].equals("in")) {
          customer.stored.add(new Stored(row[2].equals("event:subscribe") ? "subscribe" : row[3], new ArrayList<>(), new ArrayList<>()));
          customer.stored.get(customer.stored.size() - 1).rows().add(row(row));
        } else if (!customer.stored.isEmpty()) {
          Stored last = customer.stored.get(customer.stored.size() - 1);
          boolean expired = last.key().equals("subscribe") && (row[4] + "/" + row[5]).equals("null/undeliverable")
              && row[9] != null && row[9].startsWith("outside the");
          last.replies().add(row[7] == null ? "message #" + row[6] + " not in the outbox" : expired ? EXPIRED : row[4] + "/" + row[5]);
          customer.stored.get(customer.stored.size() - 1).rows().add(row(row));
          customer.sentSinceLastMessage += Integer.parseInt(row[8]);
          Matcher quota = QUOTA.matcher(row[9] == null ? "" : row[9]);
          if ((row[4] + "/" + row[5]).equals(HELD) && quota.find()) {
            customer.quotaUsedUp = Integer.parseInt(quota.group(1));
          }
        }
      }
    }
    int acknowledged = 0, passive = 0, api = 0, lost = 0, twice = 0, unanswered = 0, interrupted = 0, held = 0, expired = 0;
    List<String> details = new ArrayList<>();
    for (Map.Entry<String, Customer> e : customers.entrySet()) {
      Customer customer = e.getValue();
      customer.count();
      acknowledged += customer.acknowledged.size();
      passive += (int) customer.acknowledged.values().stream().filter(a -> a.passiveReply().isPresent()).count();
      api += customer.apiReceived;
      lost += customer.lost;
      twice += customer.twice;
      unanswered += customer.unanswered;
      interrupted += customer.interrupted();
      held += customer.held;
      expired += customer.expired;
      if (!customer.problems.isEmpty()) {
        details.add(e.getKey() + ": " + customer.problems);
      }
    }
    return new CrashCounts(acknowledged, passive, api, lost, twice, unanswered, interrupted, held, expired, details);
  }

  /** A message row as the failure message shows it, so that a crash's leftovers can be told apart: ids, times, text. */
  private static String row(String[] row) {
    return "#" + row[6] + " " + row[1] + " conversation " + row[10] + " at " + row[11] + " '" + row[14] + "'"
        + (row[7] == null ? "" : " outbox #" + row[7] + " " + row[4] + "/" + row[5] + " created " + row[12] + " sent " + row[13]);
  }

  /** [A, B, B, B] as "A, B ×3". */
  private static String tally(List<String> reasons) {
    List<String> runs = new ArrayList<>();
    for (int i = 0, j; i < reasons.size(); i = j) {
      for (j = i; j < reasons.size() && reasons.get(j).equals(reasons.get(i)); j++) {}
      runs.add(reasons.get(i) + (j - i > 1 ? " ×" + (j - i) : ""));
    }
    return runs.toString();
  }

  private static List<String[]> rows(Connection c, String sql, String prefix) throws SQLException {
    try (PreparedStatement select = c.prepareStatement(sql)) {
      select.setString(1, prefix + "%");
      List<String[]> rows = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        int columns = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          String[] row = new String[columns];
          for (int i = 0; i < columns; i++) {
            row[i] = rs.getString(i + 1);
          }
          rows.add(row);
        }
      }
      return rows;
    }
  }

  /** The counts, for a test's log and its failure message. */
  @Override
  public String toString() {
    return "acknowledged " + acknowledged + " (replies: " + passive + " passive, " + api + " through the API): lost " + lost + ", sent twice " + twice + ", unanswered " + unanswered
        + " (interrupted mid-call, not sent again: " + interrupted + "; held for WeChat's quota until the customer writes again: " + held
        + "; welcomes past WeChat's one-minute allowance after a follow: " + expired + ")" + (details.isEmpty() ? "" : "; " + details);
  }
}
