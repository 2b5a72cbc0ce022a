package kefu.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import kefu.rating.Rating;
import kefu.store.Sql;
import kefu.ticket.Ticket;

/**
 * Computes a report of a span of days from the database, in the caller's transaction: the agents ranked by mean
 * score, the outstanding problems, the volumes by day and by hour, the bot's figures and the follow-ups. Every figure
 * is counted by the database (grouped by the business's local day or hour); only the short lists (at most {@link
 * #LISTED} rows) and, for a kept report, the period's ratings are read as rows.
 */
public final class ReportComputer {
  /** A rating of this level or worse (不满意 0.8, 非常不满意 0.7) is an outstanding problem. */
  static final int LOW_LEVEL = 4;
  /** The most rows a list of the report holds (low scores, breaches); the figures above it count them all. */
  public static final int LISTED = 100;
  /** The most frequent subjects and unanswered questions shown. */
  static final int TOP = 10;
  /** Distinct texts read to find the most frequent: beyond these, a text asked once or twice cannot make the top. */
  private static final int DISTINCT_READ = 300;
  /** How a report keeps a local time: 2026-11-23 09:00. */
  static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final ZoneId zone;
  private final int minRatings;
  private final Wordings wordings;
  private final SurveyDimensions survey;
  private final LocalSql local;
  private final ReportRows rows;

  /**
   * @param wordings groups what customers said in other words, for the most frequent complaints and unanswered questions
   * @param survey the survey's dimensions, one column each in the ranking
   */
  public ReportComputer(ZoneId zone, int minRatings, Wordings wordings, SurveyDimensions survey) {
    this.zone = zone;
    this.minRatings = minRatings;
    this.wordings = wordings;
    this.survey = survey;
    this.local = new LocalSql(zone);
    this.rows = new ReportRows(zone);
  }

  /** The report of {@code period} as it stands at {@code now}, with every rating of the period: a report to keep. */
  public Report compute(Connection c, Period period, Instant now) throws SQLException {
    return compute(c, period.kind().key(), period.start(), period.end(), now, true);
  }

  /**
   * The report of the days [{@code start}, {@code end}) as it stands at {@code now}, without the ratings' rows (an
   * export of a range streams them): a range chosen in the console.
   */
  public Report range(Connection c, LocalDate start, LocalDate end, Instant now) throws SQLException {
    return compute(c, "range", start, end, now, false);
  }

  private Report compute(Connection c, String kind, LocalDate start, LocalDate end, Instant now, boolean withRows)
      throws SQLException {
    Instant from = start.atStartOfDay(zone).toInstant();
    Instant to = end.atStartOfDay(zone).toInstant();
    Map<Long, List<String>> means = survey.means(c, from, to);
    // A period nobody answered a survey in has no survey columns: columns of nothing would only puzzle. Otherwise an
    // agent who got no answer has a cell in each all the same, "" (none).
    List<String> dimensionNames = means.isEmpty() ? List.of() : survey.names();
    Function<Long, List<String>> dimensions = agentId -> means.getOrDefault(agentId, Collections.nCopies(dimensionNames.size(), ""));
    List<Tally> tallies = tallies(c, from, to);
    List<Report.AgentScore> ranked = rank(tallies.stream().filter(t -> t.count >= minRatings).toList(), dimensions);
    List<Report.AgentScore> unranked = tallies.stream().filter(t -> t.count < minRatings)
        .sorted(Comparator.comparingInt((Tally t) -> t.count).reversed().thenComparing(t -> t.name))
        .map(t -> t.score(0, dimensions)).toList();
    int[] levels = levels(c, from, to);
    Tally all = new Tally(0, "");
    for (int level = 1; level <= levels.length; level++) {
      all.add(level, levels[level - 1]);
    }
    List<Report.OpenComplaint> complaints = openComplaints(c, now);
    List<Report.DayVolume> days = days(c, start, end, from, to);
    Report.Sla sla = sla(c, from, to, now);
    Report.Headline headline = new Report.Headline(
        days.stream().mapToInt(Report.DayVolume::conversations).sum(), days.stream().mapToInt(Report.DayVolume::messages).sum(),
        days.stream().mapToInt(Report.DayVolume::tickets).sum(), all.count, all.count == 0 ? "" : all.mean(),
        complaints.size(), sla.missedReplies() + sla.longWaits());
    List<Integer> distribution = new ArrayList<>();
    for (int level : levels) {
      distribution.add(level);
    }
    return new Report(kind, start.toString(), end.toString(), zone.getId(), DAY_TIME.format(now.atZone(zone)), minRatings,
        headline, dimensionNames, ranked, unranked, complaints, lowScores(c, from, to, now), sla, subjects(c, from, to),
        distribution, days, hours(c, from, to), bot(c, from, to), unanswered(c, from, to), followUps(c, from, to),
        withRows ? rows.allRatings(c, from, to) : List.of());
  }

  /** An agent's ratings: how many, and the sum of their scores. */
  private static final class Tally {
    final long agentId;
    final String name;
    int count;
    BigDecimal sum = BigDecimal.ZERO;

    Tally(long agentId, String name) {
      this.agentId = agentId;
      this.name = name;
    }

    void add(int level, int n) {
      count += n;
      sum = sum.add(Rating.ofLevel(level).score().multiply(BigDecimal.valueOf(n)));
    }

    String mean() {
      return sum.divide(BigDecimal.valueOf(count), 3, RoundingMode.HALF_UP).toPlainString();
    }

    /** Compares means exactly (sums cross-multiplied by counts), not as rounded. */
    int compareMean(Tally other) {
      return sum.multiply(BigDecimal.valueOf(other.count)).compareTo(other.sum.multiply(BigDecimal.valueOf(count)));
    }

    Report.AgentScore score(int rank, Function<Long, List<String>> dimensions) {
      return new Report.AgentScore(rank, agentId, name, count, mean(), dimensions.apply(agentId));
    }
  }

  /** Each agent's ratings, counted by level: a rating of a transferred chat counts for every agent who served it. */
  private List<Tally> tallies(Connection c, Instant from, Instant to) throws SQLException {
    Map<Long, Tally> byAgent = new LinkedHashMap<>();
    Sql.each(c, "SELECT s.agent_id, a.name, r.level, COUNT(*) AS n FROM ratings r"
        + " JOIN ticket_agents s ON s.ticket_id = r.ticket_id JOIN agents a ON a.id = s.agent_id"
        + " WHERE r.created_at >= ? AND r.created_at < ? GROUP BY s.agent_id, a.name, r.level ORDER BY s.agent_id",
        row -> {
          String name = row.string("name");
          byAgent.computeIfAbsent(row.longValue("agent_id"), id -> new Tally(id, name)).add(row.integer("level"), row.integer("n"));
        }, from, to);
    return List.copyOf(byAgent.values());
  }

  /** Best mean first; equal means share a place (1, 1, 3), the one with more ratings listed first, then by name. */
  private static List<Report.AgentScore> rank(List<Tally> tallies, Function<Long, List<String>> dimensions) {
    List<Tally> sorted = tallies.stream().sorted(((Comparator<Tally>) Tally::compareMean).reversed()
        .thenComparing(Comparator.comparingInt((Tally t) -> t.count).reversed()).thenComparing(t -> t.name)).toList();
    List<Report.AgentScore> ranked = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Tally t = sorted.get(i);
      int rank = i > 0 && t.compareMean(sorted.get(i - 1)) == 0 ? ranked.get(i - 1).rank() : i + 1;
      ranked.add(t.score(rank, dimensions));
    }
    return ranked;
  }

  /** How many ratings of each level (1 非常满意 … 5) were given. */
  private static int[] levels(Connection c, Instant from, Instant to) throws SQLException {
    int[] levels = new int[Rating.values().length];
    Sql.each(c, "SELECT level, COUNT(*) AS n FROM ratings WHERE created_at >= ? AND created_at < ? GROUP BY level",
        row -> levels[row.integer("level") - 1] = row.integer("n"), from, to);
    return levels;
  }

  /** Each local day's volumes, counted by the database grouped by the day in the business's zone. */
  private List<Report.DayVolume> days(Connection c, LocalDate start, LocalDate end, Instant from, Instant to) throws SQLException {
    Map<Integer, Integer> conversations = local.countByDay(c, "conversations", "started_at", "", from, to);
    Map<Integer, Integer> messages = local.countByDay(c, "messages", "created_at", "", from, to);
    Map<Integer, Integer> tickets = local.countByDay(c, "tickets", "created_at", "", from, to);
    Map<Integer, Tally> ratings = new HashMap<>();
    Sql.each(c, "SELECT " + local.day("created_at") + " AS d, level, COUNT(*) AS n FROM ratings"
        + " WHERE created_at >= ? AND created_at < ? GROUP BY " + local.day("created_at") + ", level",
        row -> ratings.computeIfAbsent(row.integer("d"), d -> new Tally(0, "")).add(row.integer("level"), row.integer("n")), from, to);
    List<Report.DayVolume> days = new ArrayList<>();
    for (LocalDate day = start; day.isBefore(end); day = day.plusDays(1)) {
      int key = LocalSql.key(day);
      Tally rated = ratings.get(key);
      days.add(new Report.DayVolume(day.toString(), conversations.getOrDefault(key, 0), messages.getOrDefault(key, 0),
          tickets.getOrDefault(key, 0), rated == null ? 0 : rated.count, rated == null ? "" : rated.mean()));
    }
    return days;
  }

  /** Customers' messages and tickets by the hour of the day they came in, summed over the period. */
  private List<Report.HourVolume> hours(Connection c, Instant from, Instant to) throws SQLException {
    Map<Integer, Integer> messages = local.countByHour(c, "messages", "created_at", " AND direction = 'in'", from, to);
    Map<Integer, Integer> tickets = local.countByHour(c, "tickets", "created_at", "", from, to);
    List<Report.HourVolume> hours = new ArrayList<>(24);
    for (int hour = 0; hour < 24; hour++) {
      hours.add(new Report.HourVolume(hour, messages.getOrDefault(hour, 0), tickets.getOrDefault(hour, 0)));
    }
    return hours;
  }

  /** Complaint tickets not closed at {@code now}, oldest first, with the agent who has each. */
  private List<Report.OpenComplaint> openComplaints(Connection c, Instant now) throws SQLException {
    return Sql.list(c, "SELECT t.id, t.created_at, p.severity, a.name AS agent_name FROM complaints p"
        + " JOIN tickets t ON t.id = p.ticket_id LEFT JOIN agents a ON a.id = t.agent_id"
        + " WHERE t.status <> ? AND t.created_at < ? ORDER BY t.created_at, t.id",
        row -> {
          Duration age = Duration.between(row.instant("created_at"), now);
          return new Report.OpenComplaint(row.longValue("id"), row.string("severity"), localTime(row.instant("created_at")),
              age.toDays(), age.toHoursPart(), row.optionalString("agent_name").orElse(""));
        }, Ticket.Status.CLOSED, now);
  }

  /** The period's ratings of 0.8 or less, oldest first, at most {@link #LISTED}; their age at {@code now}. */
  private List<Report.LowScore> lowScores(Connection c, Instant from, Instant to, Instant now) throws SQLException {
    List<Report.LowScore> low = new ArrayList<>();
    rows.lowRatings(c, from, to, row -> {
      if (low.size() < LISTED) {
        Instant at = java.time.LocalDateTime.parse(row.date() + "T" + row.time()).atZone(zone).toInstant();
        Duration age = Duration.between(at, now);
        low.add(new Report.LowScore(row.ratingId(), row.date() + " " + row.time(), row.ticketId(), row.agents(), row.label(),
            row.score(), age.toDays(), age.toHoursPart()));
      }
    });
    return low;
  }

  /**
   * The period's breaches: a reply promised to a complainant whose time passed without it (kept when the agent wrote
   * late, or still unkept at {@code now}), and a customer who waited past {@code desk.max-wait} (offered to wait on or
   * be called back).
   */
  private Report.Sla sla(Connection c, Instant from, Instant to, Instant now) throws SQLException {
    Instant until = now.isBefore(to) ? now : to;
    String missed = " FROM complaints p JOIN tickets t ON t.id = p.ticket_id LEFT JOIN agents a ON a.id = t.agent_id"
        + " WHERE (p.breached_at >= ? AND p.breached_at < ?) OR (p.breached_at IS NULL AND p.reply_due_at >= ? AND p.reply_due_at < ?)";
    String waited = " FROM tickets t LEFT JOIN agents a ON a.id = t.agent_id WHERE t.wait_offered_at >= ? AND t.wait_offered_at < ?";
    List<Report.Breach> list = new ArrayList<>(Sql.list(c, "SELECT t.id, COALESCE(p.breached_at, p.reply_due_at) AS at,"
        + " a.name AS agent_name" + missed + " ORDER BY at, t.id FETCH FIRST " + LISTED + " ROWS ONLY",
        row -> breach(row, "reply"), from, to, from, until));
    list.addAll(Sql.list(c, "SELECT t.id, t.wait_offered_at AS at, a.name AS agent_name" + waited
        + " ORDER BY at, t.id FETCH FIRST " + LISTED + " ROWS ONLY", row -> breach(row, "wait"), from, to));
    list.sort(Comparator.comparing(Report.Breach::at).thenComparing(Report.Breach::ticketId));
    return new Report.Sla(Sql.count(c, "SELECT COUNT(*)" + missed, from, to, from, until),
        Sql.count(c, "SELECT COUNT(*)" + waited, from, to), list.subList(0, Math.min(LISTED, list.size())));
  }

  private Report.Breach breach(kefu.store.Row row, String kind) throws SQLException {
    return new Report.Breach(row.longValue("id"), kind, localTime(row.instant("at")), row.optionalString("agent_name").orElse(""));
  }

  /** The complaints of the period by what they were about, as the agents recorded them (听清楚), most frequent first. */
  private List<Report.Subject> subjects(Connection c, Instant from, Instant to) throws SQLException {
    return top(c, "SELECT COALESCE(p.told, '') AS text, COUNT(*) AS n FROM complaints p JOIN tickets t ON t.id = p.ticket_id"
        + " WHERE t.created_at >= ? AND t.created_at < ? GROUP BY COALESCE(p.told, '')", from, to);
  }

  /** The questions the bot found nothing for, grouped by meaning, most frequent first. */
  private List<Report.Subject> unanswered(Connection c, Instant from, Instant to) throws SQLException {
    return top(c, "SELECT question AS text, COUNT(*) AS n FROM bot_questions WHERE asked_at >= ? AND asked_at < ?"
        + " AND outcome = 'fallback' GROUP BY question", from, to);
  }

  /**
   * The {@link #TOP} most frequent groups of the texts {@code sql} counts (columns text, n): the most frequent
   * distinct texts grouped by {@link #wordings}; each group shown by its most frequent wording. An empty text (a
   * complaint not recorded yet) stays a group of its own.
   */
  private List<Report.Subject> top(Connection c, String sql, Instant from, Instant to) throws SQLException {
    List<String> texts = new ArrayList<>();
    List<Integer> counts = new ArrayList<>();
    int blank = 0;
    for (Report.Subject s : Sql.list(c, sql + " ORDER BY n DESC, text FETCH FIRST " + DISTINCT_READ + " ROWS ONLY",
        row -> new Report.Subject(row.string("text").strip(), row.integer("n")), from, to)) {
      if (s.wording().isEmpty()) {
        blank += s.count();
      } else {
        texts.add(s.wording());
        counts.add(s.count());
      }
    }
    List<Report.Subject> groups = new ArrayList<>();
    for (List<Integer> group : wordings.group(texts)) {
      // The texts come most frequent first, so a group's first is its most frequent wording.
      int first = Collections.min(group);
      groups.add(new Report.Subject(texts.get(first), group.stream().mapToInt(counts::get).sum()));
    }
    if (blank > 0) {
      groups.add(new Report.Subject("", blank));
    }
    groups.sort(Comparator.comparingInt(Report.Subject::count).reversed().thenComparing(s -> s.wording().isEmpty()));
    return groups.subList(0, Math.min(TOP, groups.size()));
  }

  /** The bot's figures of the period, as the gaps page counts a day's. */
  private static Report.Bot bot(Connection c, Instant from, Instant to) throws SQLException {
    return Sql.one(c, "SELECT COUNT(*) AS questions,"
        + " SUM(CASE WHEN outcome = 'answer' THEN 1 ELSE 0 END) AS answered,"
        + " SUM(CASE WHEN outcome IN ('suggest', 'confirm') THEN 1 ELSE 0 END) AS suggested,"
        + " SUM(CASE WHEN outcome = 'fallback' THEN 1 ELSE 0 END) AS fallbacks,"
        + " SUM(CASE WHEN followed_by = 'handoff' OR handed_over THEN 1 ELSE 0 END) AS handoffs"
        + " FROM bot_questions WHERE asked_at >= ? AND asked_at < ?",
        row -> new Report.Bot(row.integer("questions"), row.optionalLong("answered").orElse(0L).intValue(),
            row.optionalLong("suggested").orElse(0L).intValue(), row.optionalLong("fallbacks").orElse(0L).intValue(),
            row.optionalLong("handoffs").orElse(0L).intValue()), from, to).orElseThrow();
  }

  /**
   * The follow-ups due in the period (planned, under way, sent or made a call task; not those a condition skipped or
   * whose milestone was cancelled), those done — sent, or the call made — and those done within three days of their
   * time; the members with one due, and those of them reached.
   */
  private static Report.FollowUps followUps(Connection c, Instant from, Instant to) throws SQLException {
    String done = "(s.status = 'done' OR k.status = 'done')";
    String doneAt = "CASE WHEN s.status = 'done' THEN s.finished_at ELSE k.done_at END";
    String due = " FROM journey_steps s JOIN customer_records r ON r.id = s.record_id LEFT JOIN call_tasks k ON k.step_id = s.id"
        + " WHERE s.due_at >= ? AND s.due_at < ? AND s.status NOT IN ('skipped', 'cancelled')";
    return Sql.one(c, "SELECT COUNT(*) AS due,"
        + " SUM(CASE WHEN " + done + " THEN 1 ELSE 0 END) AS done,"
        + " SUM(CASE WHEN " + done + " AND " + doneAt + " <= s.due_at + INTERVAL '3' DAY THEN 1 ELSE 0 END) AS within,"
        + " COUNT(DISTINCT CASE WHEN r.member THEN s.record_id END) AS members,"
        + " COUNT(DISTINCT CASE WHEN r.member AND " + done + " THEN s.record_id END) AS reached" + due,
        row -> new Report.FollowUps(row.integer("due"), row.optionalLong("done").orElse(0L).intValue(),
            row.optionalLong("within").orElse(0L).intValue(), row.integer("members"), row.integer("reached")), from, to)
        .orElseThrow();
  }

  private String localTime(Instant at) {
    return DAY_TIME.format(at.atZone(zone));
  }
}
