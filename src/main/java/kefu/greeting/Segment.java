package kefu.greeting;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Whom a campaign goes to: followers of the account chosen by criteria over the customer file, each optional, all of
 * them to be met; never those who unfollowed or opted out of marketing. Criteria of a record (line, member, milestone, plan step, birthday) are met by any one record linked
 * to the follower; a follower with no record meets none of them.
 *
 * @param line the business line of a record (studio, equipment …)
 * @param member records of members only (true) or of non-members only (false)
 * @param tags any one of these tags on the follower
 * @param milestone a milestone of a record dated within a window, not cancelled
 * @param planStep a step of a follow-up plan done for a record
 * @param birthdayMonth the month (1–12) in which a record's birthday falls in the campaign's year, lunar ones too
 * @param lastMessage when the follower last wrote
 * @param rated a rating the follower gave, within a range of scores
 */
public record Segment(
    Optional<String> line,
    Optional<Boolean> member,
    List<String> tags,
    Optional<Milestone> milestone,
    Optional<PlanStep> planStep,
    Optional<Integer> birthdayMonth,
    Optional<LastMessage> lastMessage,
    Optional<Scores> rated) {

  /** Every follower. */
  public static final Segment EVERYONE = new Segment(Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  public Segment {
    tags = List.copyOf(tags);
    birthdayMonth.filter(m -> m < 1 || m > 12).ifPresent(m -> {
      throw new IllegalArgumentException("birthday month " + m + " is not 1–12");
    });
  }

  /** A milestone of {@code kind} (booking, wedding, purchase …) dated {@code from} to {@code to}, both included. */
  public record Milestone(String kind, LocalDate from, LocalDate to) {
    public Milestone {
      if (to.isBefore(from)) {
        throw new IllegalArgumentException("milestone window ends before it starts");
      }
    }
  }

  /** The step {@code step} of the plan {@code plan} done. */
  public record PlanStep(String plan, String step) {}

  /** The follower wrote within the last {@code days} days ({@code within}), or not ({@code !within}). */
  public record LastMessage(boolean within, int days) {
    public LastMessage {
      if (days < 1) {
        throw new IllegalArgumentException("days must be at least 1");
      }
    }
  }

  /** Scores on the 1.1 … 0.7 scale, both ends included. */
  public record Scores(BigDecimal lowest, BigDecimal highest) {
    public Scores {
      if (highest.compareTo(lowest) < 0) {
        throw new IllegalArgumentException("score range ends below where it starts");
      }
    }
  }
}
