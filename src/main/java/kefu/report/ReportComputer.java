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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import kefu.gaps.BotQuestions;
import kefu.rating.Rating;
import kefu.rating.RatingRepository;
import kefu.store.Sql;
import kefu.ticket.Ticket;

/**
 * Computes a report of a period from the database, in the caller's transaction: the agents ranked by mean score,
 * the outstanding problems, the volumes by day and the bot's figures.
 */
public final class ReportComputer {
  /** A rating at or below this score (不满意, 非常不满意) is an outstanding problem. */
  private static final BigDecimal LOW = new BigDecimal("0.8");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
  private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final ZoneId zone;
  private final int minRatings;
  private final RatingRepository ratings = new RatingRepository();
  private final BotQuestions bot = new BotQuestions();

  public ReportComputer(ZoneId zone, int minRatings) {
    this.zone = zone;
    this.minRatings = minRatings;
  }

  /** The report of {@code period} as it stands at {@code now}. */
  public Report compute(Connection c, Period period, Instant now) throws SQLException {
    Instant from = period.from(zone);
    Instant to = period.to(zone);
    List<RatingRepository.Credit> credits = ratings.credited(c, from, to);
    List<Report.RatingRow> rows = rows(credits);
    List<Tally> tallies = tallies(credits);
    List<Report.AgentScore> ranked = rank(tallies.stream().filter(t -> t.count >= minRatings).toList());
    List<Report.AgentScore> unranked = tallies.stream().filter(t -> t.count < minRatings)
        .sorted(Comparator.comparingInt((Tally t) -> t.count).reversed().thenComparing(t -> t.name))
        .map(t -> new Report.AgentScore(0, t.agentId, t.name, t.count, t.mean().toPlainString())).toList();
    List<Report.OpenComplaint> complaints = openComplaints(c, now);
    List<Report.DayVolume> days = new ArrayList<>();
    int questions = 0, answered = 0, suggested = 0, fallbacks = 0, handoffs = 0;
    for (LocalDate day = period.start(); day.isBefore(period.end()); day = day.plusDays(1)) {
      Instant dayFrom = day.atStartOfDay(zone).toInstant();
      Instant dayTo = day.plusDays(1).atStartOfDay(zone).toInstant();
      days.add(new Report.DayVolume(day.toString(),
          Sql.count(c, "SELECT COUNT(*) FROM conversations WHERE started_at >= ? AND started_at < ?", dayFrom, dayTo),
          Sql.count(c, "SELECT COUNT(*) FROM tickets WHERE created_at >= ? AND created_at < ?", dayFrom, dayTo),
          Sql.count(c, "SELECT COUNT(*) FROM ratings WHERE created_at >= ? AND created_at < ?", dayFrom, dayTo)));
      BotQuestions.Day figures = bot.day(c, day, zone);
      questions += figures.questions();
      answered += figures.answered();
      suggested += figures.suggested();
      fallbacks += figures.fallbacks();
      handoffs += figures.handoffs();
    }
    BigDecimal sum = rows.stream().map(r -> new BigDecimal(r.score())).reduce(BigDecimal.ZERO, BigDecimal::add);
    Report.Headline headline = new Report.Headline(days.stream().mapToInt(Report.DayVolume::conversations).sum(),
        days.stream().mapToInt(Report.DayVolume::tickets).sum(), rows.size(),
        rows.isEmpty() ? "" : sum.divide(BigDecimal.valueOf(rows.size()), 3, RoundingMode.HALF_UP).toPlainString(),
        complaints.size());
    return new Report(period.kind().key(), period.start().toString(), period.end().toString(), zone.getId(),
        DAY_TIME.format(now.atZone(zone)), minRatings, headline, ranked, unranked, complaints,
        rows.stream().filter(r -> new BigDecimal(r.score()).compareTo(LOW) <= 0).toList(), days,
        new Report.Bot(questions, answered, suggested, fallbacks, handoffs), rows);
  }

  /** One row per rating, its agents joined in the order they served. */
  private List<Report.RatingRow> rows(List<RatingRepository.Credit> credits) {
    Map<Long, List<RatingRepository.Credit>> byRating = credits.stream()
        .collect(Collectors.groupingBy(RatingRepository.Credit::ratingId, LinkedHashMap::new, Collectors.toList()));
    return byRating.values().stream().map(each -> {
      RatingRepository.Credit first = each.get(0);
      Rating rating = first.rating();
      return new Report.RatingRow(first.ratingId(), first.at().atZone(zone).toLocalDate().toString(),
          TIME.format(first.at().atZone(zone)), first.ticketId().orElse(0L),
          each.stream().flatMap(credit -> credit.agentName().stream()).collect(Collectors.joining("、")),
          rating.level(), rating.label(), rating.score().toPlainString());
    }).toList();
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

    BigDecimal mean() {
      return sum.divide(BigDecimal.valueOf(count), 3, RoundingMode.HALF_UP);
    }

    /** Compares means exactly (sums cross-multiplied by counts), not as rounded. */
    int compareMean(Tally other) {
      return sum.multiply(BigDecimal.valueOf(other.count)).compareTo(other.sum.multiply(BigDecimal.valueOf(count)));
    }
  }

  private static List<Tally> tallies(List<RatingRepository.Credit> credits) {
    Map<Long, Tally> byAgent = new LinkedHashMap<>();
    for (RatingRepository.Credit credit : credits) {
      if (credit.agentId().isPresent()) {
        Tally tally = byAgent.computeIfAbsent(credit.agentId().get(), id -> new Tally(id, credit.agentName().orElse("")));
        tally.count++;
        tally.sum = tally.sum.add(credit.rating().score());
      }
    }
    return List.copyOf(byAgent.values());
  }

  /** Best mean first; equal means share a place (1, 1, 3), the one with more ratings listed first, then by name. */
  private static List<Report.AgentScore> rank(List<Tally> tallies) {
    List<Tally> sorted = tallies.stream().sorted(((Comparator<Tally>) Tally::compareMean).reversed()
        .thenComparing(Comparator.comparingInt((Tally t) -> t.count).reversed()).thenComparing(t -> t.name)).toList();
    List<Report.AgentScore> ranked = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Tally t = sorted.get(i);
      int rank = i > 0 && t.compareMean(sorted.get(i - 1)) == 0 ? ranked.get(i - 1).rank() : i + 1;
      ranked.add(new Report.AgentScore(rank, t.agentId, t.name, t.count, t.mean().toPlainString()));
    }
    return ranked;
  }

  /** Complaint tickets not closed at {@code now}, oldest first, with the agent who has each. */
  private List<Report.OpenComplaint> openComplaints(Connection c, Instant now) throws SQLException {
    return Sql.list(c, "SELECT t.id, t.created_at, p.severity, a.name AS agent_name FROM complaints p"
        + " JOIN tickets t ON t.id = p.ticket_id LEFT JOIN agents a ON a.id = t.agent_id"
        + " WHERE t.status <> ? AND t.created_at < ? ORDER BY t.created_at, t.id",
        row -> new Report.OpenComplaint(row.longValue("id"), row.string("severity"),
            DAY_TIME.format(row.instant("created_at").atZone(zone)), Duration.between(row.instant("created_at"), now).toDays(),
            Duration.between(row.instant("created_at"), now).toHoursPart(), row.optionalString("agent_name").orElse("")),
        Ticket.Status.CLOSED, now);
  }
}
