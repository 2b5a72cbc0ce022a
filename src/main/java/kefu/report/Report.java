package kefu.report;

import java.util.List;

/**
 * A service report's content as computed and kept (stored as JSON, so plain values only): times are the business's
 * local times as text, scores decimals as text (1.1 … 0.7 and means to three places), so nothing is rounded again
 * when it is read back. A report kept before a part was added reads back with that part empty.
 *
 * @param kind weekly, monthly, or range (a range chosen in the console, never kept)
 * @param from the first day, {@code to} the day after the last (ISO dates)
 * @param computedAt when it was computed, local
 * @param dimensions the survey's dimensions (态度, 速度 …), one column each in the ranking; empty without surveys
 * @param ranked the agents with at least {@code minRatings} ratings, best first
 * @param unranked the agents with fewer, most ratings first
 * @param complaints complaints open when it was computed, oldest first
 * @param lowScores the period's ratings of 0.8 or less, at most {@link ReportComputer#LISTED} of them
 * @param distribution how many ratings of each level, 非常满意 first
 * @param days each day's volumes, {@code hours} each hour of the day's, summed over the period
 * @param bot the bot's figures of the period
 * @param ratings every rating of the period, oldest first: the export's rows (empty for a range: streamed instead)
 */
public record Report(String kind, String from, String to, String zone, String computedAt, int minRatings, Headline headline,
    List<String> dimensions, List<AgentScore> ranked, List<AgentScore> unranked, List<OpenComplaint> complaints,
    List<LowScore> lowScores, Sla sla, List<Subject> subjects, List<Integer> distribution, List<DayVolume> days,
    List<HourVolume> hours, Bot bot, List<Subject> unanswered, FollowUps followUps, List<RatingRow> ratings) {

  public Report {
    dimensions = orEmpty(dimensions);
    lowScores = orEmpty(lowScores);
    sla = sla == null ? new Sla(0, 0, List.of()) : sla;
    subjects = orEmpty(subjects);
    distribution = orEmpty(distribution);
    hours = orEmpty(hours);
    unanswered = orEmpty(unanswered);
    followUps = followUps == null ? new FollowUps(0, 0, 0, 0, 0) : followUps;
    ratings = orEmpty(ratings);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  /**
   * The figures at the top: the period's volumes, its ratings and their mean ("" with none), complaints open now,
   * the period's breaches of promised replies and long waits.
   */
  public record Headline(int conversations, int messages, int tickets, int ratings, String meanScore, int openComplaints,
      int breaches) {}

  /**
   * An agent's place: {@code rank} shared by equal means (1, 1, 3), 0 when not ranked; {@code dimensions} the mean of
   * each survey dimension ("" where none).
   */
  public record AgentScore(int rank, long agentId, String name, int ratings, String mean, List<String> dimensions) {
    public AgentScore {
      dimensions = orEmpty(dimensions);
    }
  }

  /** A complaint not yet closed: its age in days and hours when the report was made, the agent who has it ("" if none). */
  public record OpenComplaint(long ticketId, String severity, String openedAt, long ageDays, int ageHours, String owner) {}

  /** A rating: its local date and time, the ticket (0 if none), the agents it credits joined by 、. */
  public record RatingRow(long ratingId, String date, String time, long ticketId, String agents, int level, String label,
      String score) {}

  /** A low rating, its age when the report was made and the agents it concerns ("" if none). */
  public record LowScore(long ratingId, String at, long ticketId, String agents, String label, String score, long ageDays,
      int ageHours) {}

  /**
   * The period's breaches: promised replies to complaints not kept, customers who waited past {@code desk.max-wait};
   * {@code list} at most {@link ReportComputer#LISTED} of them, oldest first.
   */
  public record Sla(int missedReplies, int longWaits, List<Breach> list) {
    public Sla {
      list = orEmpty(list);
    }
  }

  /** One breach: {@code kind} reply or wait, when it happened (local), the agent who had the ticket ("" if none). */
  public record Breach(long ticketId, String kind, String at, String owner) {}

  /** What many said in other words: a wording of the group ("" for complaints nobody recorded yet) and its size. */
  public record Subject(String wording, int count) {}

  /** One local day's volumes: conversations started, messages, tickets opened, ratings given and their mean (""). */
  public record DayVolume(String day, int conversations, int messages, int tickets, int ratings, String meanScore) {}

  /** One hour of the day (0–23): customers' messages and tickets opened in it over the period. */
  public record HourVolume(int hour, int messages, int tickets) {}

  /** The bot's figures, as the knowledge-base gaps page counts them. */
  public record Bot(int questions, int answered, int suggested, int fallbacks, int handoffs) {}

  /**
   * Follow-ups (回访) due in the period: those done (sent, or the call made), done within three days of their time (三天之内
   * 回访完成), and the members (会员) with a follow-up due and those of them reached (会员100%回访).
   */
  public record FollowUps(int due, int done, int withinThreeDays, int members, int membersReached) {}
}
