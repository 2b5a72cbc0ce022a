package kefu.greeting;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kefu.store.Row;
import kefu.store.Sql;

/**
 * What marketing sees of campaigns: the list, and each one's progress and results — targeted, sent by channel, excluded
 * and why, still to go, and WeChat's reports of its mass messages (sent, filtered, errors).
 */
public final class CampaignFigures {

  /** A campaign as kept. */
  public record Campaign(long id, String name, Map<String, String> segment, String message, String status, Optional<Instant> startAt,
      boolean planned, Instant createdAt, Optional<Instant> launchedAt, Optional<Instant> finishedAt) {}

  /**
   * How far a campaign got: {@code targeted} planned so far (all of the segment once {@code planned}), of them
   * {@code toGo} still to decide; sent by mass message (list or tag), the only way a campaign goes; excluded by reason.
   */
  public record Progress(boolean planned, int targeted, int toGo, int mass, int excluded, List<Reason> reasons) {
    public int sent() {
      return mass;
    }

    /** Decided of targeted, 0–100. */
    public int percent() {
      return targeted == 0 ? (planned ? 100 : 0) : (int) ((targeted - toGo) * 100L / targeted);
    }
  }

  /** A reason of exclusion and how many it left out. */
  public record Reason(String reason, int count) {}

  /**
   * WeChat's reports of the campaign's mass messages: {@code sends} made, {@code reported} of them reported so far, and
   * the reports' sums; {@code failed} sends WeChat refused outright.
   */
  public record Reports(int sends, int reported, int failed, int total, int filtered, int sent, int errors) {}

  /** Every campaign, newest first. */
  public List<Campaign> all(Connection c) throws SQLException {
    return Sql.list(c, SELECT + " ORDER BY id DESC", CampaignFigures::campaign);
  }

  public Optional<Campaign> find(Connection c, long id) throws SQLException {
    return Sql.one(c, SELECT + " WHERE id = ?", CampaignFigures::campaign, id);
  }

  private static final String SELECT = "SELECT id, name, segment, message, status, start_at, planned, created_at, launched_at, finished_at"
      + " FROM campaigns";

  private static Campaign campaign(Row row) throws SQLException {
    return new Campaign(row.longValue("id"), row.string("name"), SegmentFields.fromJson(row.string("segment")), row.string("message"),
        row.string("status"), row.optionalInstant("start_at"), row.bool("planned"), row.instant("created_at"),
        row.optionalInstant("launched_at"), row.optionalInstant("finished_at"));
  }

  private record Group(String status, String channel, int count) {}

  public Progress progress(Connection c, long id) throws SQLException {
    boolean planned = Sql.one(c, "SELECT planned FROM campaigns WHERE id = ?", row -> row.bool("planned"), id).orElse(false);
    int[] n = new int[4];
    for (Group g : Sql.list(c, "SELECT status, channel, COUNT(*) AS n FROM campaign_recipients WHERE campaign_id = ? GROUP BY status, channel",
        row -> new Group(row.string("status"), row.optionalString("channel").orElse(""), row.integer("n")), id)) {
      n[0] += g.count();
      switch (g.status() + "/" + g.channel()) {
        case "planned/" -> n[1] += g.count();
        case "excluded/" -> n[3] += g.count();
        default -> n[2] += g.count(); // sent by list or tag
      }
    }
    List<Reason> reasons = Sql.list(c, "SELECT reason, COUNT(*) AS n FROM campaign_recipients WHERE campaign_id = ? AND status = 'excluded'"
        + " GROUP BY reason ORDER BY COUNT(*) DESC, reason", row -> new Reason(row.string("reason"), row.integer("n")), id);
    return new Progress(planned, n[0], n[1], n[2], n[3], reasons);
  }

  /** WeChat's reports of the campaign's mass messages (kept with each send by the channel). */
  public Reports reports(Connection c, long id) throws SQLException {
    return Sql.one(c, "SELECT COUNT(*) AS sends, COUNT(s.finished_at) AS reported, SUM(CASE WHEN s.status = 'failed' THEN 1 ELSE 0 END) AS failed,"
        + " COALESCE(SUM(s.total_count), 0) AS total, COALESCE(SUM(s.filter_count), 0) AS filtered, COALESCE(SUM(s.sent_count), 0) AS sent,"
        + " COALESCE(SUM(s.error_count), 0) AS errors FROM mass_sends s WHERE s.id IN"
        + " (SELECT DISTINCT r.mass_send_id FROM campaign_recipients r WHERE r.campaign_id = ? AND r.mass_send_id IS NOT NULL)",
        row -> new Reports(row.integer("sends"), row.integer("reported"), row.optionalLong("failed").orElse(0L).intValue(), row.integer("total"),
            row.integer("filtered"), row.integer("sent"), row.integer("errors")), id).orElseThrow();
  }
}
