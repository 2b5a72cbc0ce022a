package kefu.greeting;

import java.nio.file.Path;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;

/**
 * A greeting plan read from {@code templates/greetings/<name>.yaml}: on which occasion, to whom, what they read and when,
 * and for members the gift reminder their agent gets (004).
 *
 * @param name the file's name without {@code .yaml}; part of each greeting's idempotency key
 * @param title what the console calls it; empty: its occasion's name (templates/greeting.yaml, greeting.occasion.*)
 * @param message the templates/ key of the text ({name} is the customer's name in a customer-service message), or of the
 *     article (图文) whose title, digest, content, url and cover are the keys under it
 * @param article whether {@code message} is an article
 * @param at the time of day it goes, in the business's zone (the quiet hours still apply)
 */
public record GreetingPlan(String name, Path file, Optional<String> title, Kind occasion, Who who, Segment segment, String message,
    boolean article, LocalTime at, Optional<Gift> gift) {
  /** The keys under an article's key: what WeChat's mass article (mpnews) and a customer-service news message carry. */
  public static final List<String> ARTICLE_PARTS = List.of("title", "digest", "content", "url", "cover");

  /** The occasions greeted. */
  public enum Kind {
    /** The birthday as the customer keeps it, solar or lunar. */
    BIRTHDAY,
    SOLAR_BIRTHDAY,
    LUNAR_BIRTHDAY,
    /** The wedding milestone's own day. */
    WEDDING_DAY,
    /** Its anniversaries, from the first. */
    WEDDING_ANNIVERSARY,
    /** The anniversaries of the member_since milestone, of members. */
    MEMBERSHIP_ANNIVERSARY,
    SPRING_FESTIVAL,
    QIXI,
    MID_AUTUMN
  }

  /** Whom a plan greets: members only, every record, or the records a segment picks. */
  public enum Who { MEMBERS, ALL, SEGMENT }

  /**
   * Simple criteria over the customer file, all of those given must hold.
   *
   * @param line the record's business line
   * @param member whether the record is a member's
   * @param tag a tag of the linked follower's file
   * @param milestone a milestone kind the record has (not cancelled)
   */
  public record Segment(Optional<String> line, Optional<Boolean> member, Optional<String> tag, Optional<String> milestone) {
    public static final Segment ANY = new Segment(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** A call task for the record's agent {@code daysBefore} the day, with {@code script}: prepare and bring the gift. */
  public record Gift(String script, int daysBefore) {}
}
