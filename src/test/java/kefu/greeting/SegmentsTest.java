package kefu.greeting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.TestStore;
import kefu.store.Sql;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SegmentsTest {
  private static final LocalDate TODAY = LocalDate.of(2027, 1, 10);
  private static final Instant NOW = Instant.parse("2027-01-10T02:00:00Z");
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  private final ChineseDates dates = new ChineseDates();
  private final Segments segments = new Segments(dates);

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void eachCriterionCountsTheFollowersCountedByHand(TestStore kind, @TempDir Path dir) throws Exception {
    // Proves: every criterion, alone and together, finds exactly the followers worked out by hand below; followers
    // who left the account or opted out are never in a segment; a criterion of a record is met by any one linked record.
    try (TestStore.Open store = kind.open(dir)) {
      store.db().inTransaction(c -> {
        load(c);
        return null;
      });
      assertThat(count(store, Segment.EVERYONE)).as("everyone following: a b c d e f").isEqualTo(6);
      assertThat(count(store, with(s -> s.line = Optional.of("studio")))).as("a studio record: a b c, and d's second").isEqualTo(4);
      assertThat(count(store, with(s -> s.member = Optional.of(true)))).as("members: a d").isEqualTo(2);
      assertThat(count(store, with(s -> s.tags = List.of("vip", "新客")))).as("tagged vip or 新客: a c").isEqualTo(2);
      assertThat(count(store, with(s -> s.milestone = Optional.of(new Segment.Milestone("wedding",
          LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 31)))))).as("a January wedding, not cancelled: b").isEqualTo(1);
      assertThat(count(store, with(s -> s.planStep = Optional.of(new Segment.PlanStep("studio-shoot", "day-after")))))
          .as("the shoot's day-after step done: c").isEqualTo(1);
      assertThat(count(store, with(s -> s.birthdayMonth = Optional.of(1))))
          .as("birthday in January: a (solar 1-5), e (lunar 12-20 of the year before: 2027-01-27)").isEqualTo(2);
      assertThat(count(store, with(s -> s.birthdayMonth = Optional.of(2))))
          .as("birthday in February: d (lunar 1-1, 2027-02-06)").isEqualTo(1);
      assertThat(count(store, with(s -> s.lastMessage = Optional.of(new Segment.LastMessage(true, 7)))))
          .as("wrote within 7 days: a f").isEqualTo(2);
      assertThat(count(store, with(s -> s.lastMessage = Optional.of(new Segment.LastMessage(false, 7)))))
          .as("not within 7 days, or never: b c d e").isEqualTo(4);
      assertThat(count(store, with(s -> s.rated = Optional.of(new Segment.Scores(new BigDecimal("0.7"), new BigDecimal("0.8"))))))
          .as("rated 0.8 or lower: c").isEqualTo(1);
      assertThat(count(store, with(s -> {
        s.line = Optional.of("studio");
        s.member = Optional.of(true);
        s.birthdayMonth = Optional.of(1);
      }))).as("studio member with a January birthday, all on one record: a").isEqualTo(1);
      assertThat(count(store, with(s -> {
        s.member = Optional.of(true);
        s.line = Optional.of("equipment");
      }))).as("d is a member on its equipment record; a's member record is the studio's").isEqualTo(1);

      List<Segments.Follower> pages = new ArrayList<>();
      long after = 0;
      while (true) {
        long from = after;
        List<Segments.Follower> page = store.db().inTransaction(c -> segments.page(c, Segment.EVERYONE, TODAY, NOW, from, 4));
        if (page.isEmpty()) {
          break;
        }
        pages.addAll(page);
        after = page.get(page.size() - 1).customerId();
      }
      assertThat(pages).extracting(Segments.Follower::openid).containsExactly("o-a", "o-b", "o-c", "o-d", "o-e", "o-f");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aLunarBirthdayIsFoundInTheMonthItIsKeptThisYear(TestStore kind, @TempDir Path dir) throws Exception {
    // Proves: lunar birthdays land in the solar month they fall in this year — a leap-month birthday in its ordinary
    // month in a year without that leap month, a 30th of a short month on its 29th.
    assertThat(dates.kept(2027, 6, true, 3)).as("2027 has no leap 6th month: the ordinary 6-3").isEqualTo(dates.kept(2027, 6, false, 3));
    LocalDate leapKept = dates.kept(2027, 6, true, 3);
    LocalDate lastOfTwelfth = dates.kept(2026, 12, false, 30);
    try (TestStore.Open store = kind.open(dir)) {
      store.db().inTransaction(c -> {
        record(c, follower(c, "o-leap", Optional.empty()), "L1", "studio", false, new int[] {6, 3}, true, true);
        record(c, follower(c, "o-thirtieth", Optional.empty()), "L2", "studio", false, new int[] {12, 30}, true, false);
        return null;
      });
      assertThat(count(store, with(s -> s.birthdayMonth = Optional.of(leapKept.getMonthValue())), TODAY)).isEqualTo(1);
      assertThat(count(store, with(s -> s.birthdayMonth = Optional.of(lastOfTwelfth.getMonthValue())), TODAY)).isEqualTo(1);
    }
  }

  @org.junit.jupiter.api.Test
  void theBuildersFieldsAreTheSegmentAndAreKeptAsTheyMeanIt() {
    // Proves: the console's fields (as a campaign keeps them, in JSON) read as the criteria they name; blanks are no
    // criterion; a field that makes no sense is named for the page to say what to correct.
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("line", "studio");
    fields.put("member", "yes");
    fields.put("tags", "vip，新客 老客");
    fields.put("milestone", "wedding");
    fields.put("milestone-from", "2027-01-01");
    fields.put("milestone-to", "2027-01-31");
    fields.put("plan", "studio-shoot");
    fields.put("step", "day-after");
    fields.put("birthday-month", "1");
    fields.put("contact", "not-within");
    fields.put("contact-days", "7");
    fields.put("score-from", "0.7");
    fields.put("score-to", "0.8");
    fields.put("name", "not a criterion");
    Segment expected = new Segment(Optional.of("studio"), Optional.of(true), List.of("vip", "新客", "老客"),
        Optional.of(new Segment.Milestone("wedding", LocalDate.of(2027, 1, 1), LocalDate.of(2027, 1, 31))),
        Optional.of(new Segment.PlanStep("studio-shoot", "day-after")), Optional.of(1), Optional.of(new Segment.LastMessage(false, 7)),
        Optional.of(new Segment.Scores(new BigDecimal("0.7"), new BigDecimal("0.8"))));
    assertThat(SegmentFields.segment(fields)).isEqualTo(expected);
    assertThat(SegmentFields.segment(SegmentFields.fromJson(SegmentFields.json(fields)))).isEqualTo(expected);
    assertThat(SegmentFields.fromJson(SegmentFields.json(fields))).doesNotContainKey("name");
    assertThat(SegmentFields.segment(Map.of("line", " ", "member", ""))).isEqualTo(Segment.EVERYONE);
    for (Map<String, String> wrong : List.of(Map.of("member", "maybe"), Map.of("milestone", "wedding"),
        Map.of("plan", "studio-shoot"), Map.of("birthday-month", "13"), Map.of("contact", "within"),
        Map.of("score-from", "1.1", "score-to", "0.7"))) {
      assertThatThrownBy(() -> SegmentFields.segment(wrong)).as(wrong.toString()).isInstanceOf(SegmentFields.Invalid.class);
    }
  }

  @org.junit.jupiter.api.Test
  void nonsenseCriteriaAreRefused() {
    assertThatThrownBy(() -> with(s -> s.birthdayMonth = Optional.of(13))).hasMessageContaining("13");
    assertThatThrownBy(() -> new Segment.Milestone("wedding", LocalDate.of(2027, 2, 1), LocalDate.of(2027, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Segment.LastMessage(true, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * a: studio member (solar birthday 1-5), tagged vip, wrote 2 days ago. b: studio, wedding 2027-01-20 (and a cancelled
   * one on another record). c: studio, tagged 新客, shoot's day-after step done, rated 0.8. d: equipment member (lunar 1-1)
   * and a second, studio non-member record. e: equipment (lunar 12-20). f: no record, wrote yesterday, rated 1.1.
   * g: studio member with a January birthday who no longer follows. h: the same, following, but opted out (退订).
   */
  private static void load(Connection c) throws SQLException {
    long a = follower(c, "o-a", Optional.of(NOW.minus(2, ChronoUnit.DAYS)));
    Sql.update(c, "UPDATE customers SET tags = 'vip,老客' WHERE id = ?", a);
    record(c, a, "A1", "studio", true, new int[] {1, 5}, false, false);
    long b = follower(c, "o-b", Optional.of(NOW.minus(30, ChronoUnit.DAYS)));
    long b1 = record(c, b, "B1", "studio", false, null, false, false);
    milestone(c, b1, "wedding", LocalDate.of(2027, 1, 20), false);
    long b2 = record(c, b, "B2", "studio", false, null, false, false);
    milestone(c, b2, "wedding", LocalDate.of(2027, 1, 25), true);
    long c1 = follower(c, "o-c", Optional.empty());
    Sql.update(c, "UPDATE customers SET tags = '新客' WHERE id = ?", c1);
    long cr = record(c, c1, "C1", "studio", false, null, false, false);
    long shoot = milestone(c, cr, "shoot", LocalDate.of(2026, 12, 1), false);
    Sql.insert(c, "INSERT INTO journey_steps (record_id, milestone_id, plan, step, occurrence, due_at, status, created_at, updated_at)"
        + " VALUES (?, ?, 'studio-shoot', 'day-after', 0, ?, 'done', ?, ?)", cr, shoot, T, T, T);
    rating(c, c1, "0.8", 4);
    long d = follower(c, "o-d", Optional.empty());
    record(c, d, "D1", "equipment", true, new int[] {1, 1}, true, false);
    record(c, d, "D2", "studio", false, null, false, false);
    long e = follower(c, "o-e", Optional.empty());
    record(c, e, "E1", "equipment", false, new int[] {12, 20}, true, false);
    long f = follower(c, "o-f", Optional.of(NOW.minus(1, ChronoUnit.DAYS)));
    rating(c, f, "1.1", 1);
    long g = follower(c, "o-g", Optional.of(NOW));
    Sql.update(c, "UPDATE customers SET subscribed = FALSE WHERE id = ?", g);
    record(c, g, "G1", "studio", true, new int[] {1, 7}, false, false);
    long h = follower(c, "o-h", Optional.of(NOW));
    Sql.update(c, "UPDATE customers SET opted_out_at = ? WHERE id = ?", T, h);
    record(c, h, "H1", "studio", true, new int[] {1, 9}, false, false);
  }

  private static long follower(Connection c, String openid, Optional<Instant> lastMessage) throws SQLException {
    return Sql.insert(c, "INSERT INTO customers (openid, last_inbound_at, created_at, updated_at) VALUES (?, ?, ?, ?)",
        openid, lastMessage, T, T);
  }

  private static long record(Connection c, long customerId, String reference, String line, boolean member, int[] birthday,
      boolean lunar, boolean leap) throws SQLException {
    return Sql.insert(c, "INSERT INTO customer_records (reference, line, customer_id, member, birthday_month, birthday_day,"
        + " birthday_lunar, birthday_leap, link_code, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        reference, line, customerId, member, birthday == null ? null : birthday[0], birthday == null ? null : birthday[1],
        lunar, leap, "q" + reference, T, T);
  }

  private static long milestone(Connection c, long recordId, String kind, LocalDate on, boolean cancelled) throws SQLException {
    return Sql.insert(c, "INSERT INTO milestones (record_id, kind, on_date, source, cancelled_at, created_at, updated_at)"
        + " VALUES (?, ?, ?, 'import', ?, ?, ?)", recordId, kind, on, cancelled ? Optional.of(T) : Optional.empty(), T, T);
  }

  private static void rating(Connection c, long customerId, String score, int level) throws SQLException {
    Sql.insert(c, "INSERT INTO ratings (customer_id, level, score, created_at) VALUES (?, ?, ?, ?)",
        customerId, level, new BigDecimal(score), T);
  }

  private int count(TestStore.Open store, Segment segment) throws Exception {
    return count(store, segment, TODAY);
  }

  private int count(TestStore.Open store, Segment segment, LocalDate today) throws Exception {
    return store.db().inTransaction(c -> segments.count(c, segment, today, NOW));
  }

  /** A segment built by setting some criteria of {@link Segment#EVERYONE}. */
  private static Segment with(java.util.function.Consumer<Builder> set) {
    Builder b = new Builder();
    set.accept(b);
    return new Segment(b.line, b.member, b.tags, b.milestone, b.planStep, b.birthdayMonth, b.lastMessage, b.rated);
  }

  private static final class Builder {
    Optional<String> line = Optional.empty();
    Optional<Boolean> member = Optional.empty();
    List<String> tags = List.of();
    Optional<Segment.Milestone> milestone = Optional.empty();
    Optional<Segment.PlanStep> planStep = Optional.empty();
    Optional<Integer> birthdayMonth = Optional.empty();
    Optional<Segment.LastMessage> lastMessage = Optional.empty();
    Optional<Segment.Scores> rated = Optional.empty();
  }
}
