package kefu.report;

import java.util.List;

/**
 * A service report's content as computed and kept (stored as JSON, so plain values only): times are the business's
 * local times as text, scores decimals as text (1.1 … 0.7 and means to three places), so nothing is rounded again
 * when it is read back.
 *
 * @param kind weekly or monthly
 * @param from the first day, {@code to} the day after the last (ISO dates)
 * @param computedAt when it was computed, local
 * @param ranked the agents with at least {@code minRatings} ratings, best first
 * @param unranked the agents with fewer, most ratings first
 * @param complaints complaints open when it was computed, oldest first
 * @param lowScores the period's ratings of 0.8 or less
 * @param bot the bot's figures of the period
 * @param ratings every rating of the period, oldest first: the export's rows
 */
public record Report(String kind, String from, String to, String zone, String computedAt, int minRatings, Headline headline,
    List<AgentScore> ranked, List<AgentScore> unranked, List<OpenComplaint> complaints, List<RatingRow> lowScores,
    List<DayVolume> days, Bot bot, List<RatingRow> ratings) {

  /** The figures at the top: the period's volumes, its ratings and their mean ("" with none), complaints open now. */
  public record Headline(int conversations, int tickets, int ratings, String meanScore, int openComplaints) {}

  /** An agent's place: {@code rank} shared by equal means (1, 1, 3), 0 when not ranked. */
  public record AgentScore(int rank, long agentId, String name, int ratings, String mean) {}

  /** A complaint not yet closed: its age in days and hours when the report was made, the agent who has it ("" if none). */
  public record OpenComplaint(long ticketId, String severity, String openedAt, long ageDays, int ageHours, String owner) {}

  /** A rating: its local date and time, the ticket (0 if none), the agents it credits joined by 、. */
  public record RatingRow(long ratingId, String date, String time, long ticketId, String agents, int level, String label,
      String score) {}

  /** One local day's volumes: conversations started, tickets opened, ratings given. */
  public record DayVolume(String day, int conversations, int tickets, int ratings) {}

  /** The bot's figures, as the knowledge-base gaps page counts them. */
  public record Bot(int questions, int answered, int suggested, int fallbacks, int handoffs) {}
}
