package kefu.desk;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import kefu.report.Report;

/**
 * The report's charts as geometry for the page's SVG (drawn by the server: no script, prints as it shows): the trend
 * of the daily mean score and of the daily volumes, the distribution of scores, the customers' messages by hour and
 * the ranking as bars. Only numbers and keys here; the words are the page's, in {@code templates/}.
 */
final class ReportCharts {
  /** Every chart's drawing: its width, the plot's height, and the margins around the plot for the axes' labels. */
  static final int WIDTH = 640;
  static final int PLOT_HEIGHT = 180;
  static final int LEFT = 48;
  static final int TOP = 16;
  static final int BOTTOM = 28;
  private static final int PLOT_WIDTH = WIDTH - LEFT - 16;
  /** The score axis: from a little below the lowest score (0.7) to the highest (1.1), so differences show. */
  private static final BigDecimal SCORE_FROM = new BigDecimal("0.6");
  private static final BigDecimal SCORE_SPAN = new BigDecimal("0.5");
  private static final List<String> SCORE_TICKS = List.of("0.7", "0.8", "0.9", "1.0", "1.1");
  /** The ranking's sizes: the label column, the longest bar, one bar's row. */
  static final int LABEL_WIDTH = 120;
  static final int BAR_SPACE = 380;
  static final int ROW = 28;
  /** Day labels under a trend: at most this many, so they do not overlap. */
  private static final int DAY_LABELS = 8;

  private ReportCharts() {}

  /** A chart: its size, the horizontal lines with their values, the labels under it, its lines and its bars. */
  record Chart(int width, int height, int plotBottom, List<Tick> ticks, List<Label> labels, List<Series> series, List<Bar> bars) {}

  /** A value on the vertical axis, drawn as a line across at {@code y}. */
  record Tick(String value, int y) {}

  /** A label under the plot at {@code x}: a day (MM-dd), an hour (0–23) or a level (1–5), as {@code kind} says. */
  record Label(String kind, String key, int x) {}

  /** A line through {@code points} ("x,y x,y …"); {@code key} names it for the page, and each point's value. */
  record Series(String key, String points, List<Point> dots) {}

  /** A point of a line, with its day and value for its tooltip. */
  record Point(int x, int y, String day, String value) {}

  /** A bar: where, how big, and its value; {@code kind} and {@code key} name what it counts, as a {@link Label}'s. */
  record Bar(String kind, String key, int x, int y, int width, int height, String value) {}

  /** A bar of the ranking: where it is drawn and how long. */
  record RankBar(String name, String mean, int ratings, int rank, int y, int textY, int width, int valueX) {}

  /** The daily mean score as a line over the score axis; days without ratings leave a gap-free line over the others. */
  static Chart scoreTrend(List<Report.DayVolume> days) {
    List<Tick> ticks = SCORE_TICKS.stream().map(v -> new Tick(v, scoreY(new BigDecimal(v)))).toList();
    List<Point> dots = new ArrayList<>();
    for (int i = 0; i < days.size(); i++) {
      Report.DayVolume d = days.get(i);
      if (!d.meanScore().isEmpty()) {
        dots.add(new Point(dayX(i, days.size()), scoreY(new BigDecimal(d.meanScore())), d.day(), d.meanScore()));
      }
    }
    return new Chart(WIDTH, height(), TOP + PLOT_HEIGHT, ticks, dayLabels(days), List.of(series("score", dots)), List.of());
  }

  /** Conversations, tickets and ratings a day, as three lines on one count axis. */
  static Chart volumeTrend(List<Report.DayVolume> days) {
    int max = niceMax(days.stream().mapToInt(d -> Math.max(d.conversations(), Math.max(d.tickets(), d.ratings()))).max().orElse(0));
    List<Series> series = List.of(volume("conversations", days, Report.DayVolume::conversations, max),
        volume("tickets", days, Report.DayVolume::tickets, max), volume("ratings", days, Report.DayVolume::ratings, max));
    return new Chart(WIDTH, height(), TOP + PLOT_HEIGHT, countTicks(max), dayLabels(days), series, List.of());
  }

  /** How many ratings of each level, 非常满意 first, as bars. */
  static Chart distribution(List<Integer> levels) {
    return columns(levels, "level", i -> Integer.toString(i + 1), 1);
  }

  /** The customers' messages in each hour of the day, as 24 bars. */
  static Chart hours(List<Report.HourVolume> hours) {
    return columns(hours.stream().map(Report.HourVolume::messages).toList(), "hour", Integer::toString, 3);
  }

  /** The ranking as horizontal bars on the score axis, best first. */
  static List<RankBar> ranking(List<Report.AgentScore> ranked) {
    List<RankBar> bars = new ArrayList<>();
    for (int i = 0; i < ranked.size(); i++) {
      Report.AgentScore a = ranked.get(i);
      int width = Math.max(2, share(new BigDecimal(a.mean()), BAR_SPACE));
      int y = 4 + i * ROW;
      bars.add(new RankBar(a.name(), a.mean(), a.ratings(), a.rank(), y, y + 15, width, LABEL_WIDTH + width + 6));
    }
    return bars;
  }

  /** The ranking's height for {@code agents} bars. */
  static int rankingHeight(int agents) {
    return Math.max(1, agents) * ROW + 8;
  }

  private static Chart columns(List<Integer> values, String kind, java.util.function.IntFunction<String> key, int labelEvery) {
    int max = niceMax(values.stream().mapToInt(Integer::intValue).max().orElse(0));
    int slot = PLOT_WIDTH / Math.max(1, values.size());
    int width = Math.max(4, slot * 3 / 5);
    List<Bar> bars = new ArrayList<>();
    List<Label> labels = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      int h = (int) ((long) values.get(i) * PLOT_HEIGHT / max);
      int x = LEFT + i * slot + (slot - width) / 2;
      bars.add(new Bar(kind, key.apply(i), x, TOP + PLOT_HEIGHT - h, width, h, Integer.toString(values.get(i))));
      if (i % labelEvery == 0) {
        labels.add(new Label(kind, key.apply(i), x + width / 2));
      }
    }
    return new Chart(WIDTH, height(), TOP + PLOT_HEIGHT, countTicks(max), labels, List.of(), bars);
  }

  private static Series volume(String key, List<Report.DayVolume> days, ToIntFunction<Report.DayVolume> value, int max) {
    List<Point> dots = new ArrayList<>();
    for (int i = 0; i < days.size(); i++) {
      int v = value.applyAsInt(days.get(i));
      dots.add(new Point(dayX(i, days.size()), TOP + PLOT_HEIGHT - (int) ((long) v * PLOT_HEIGHT / max), days.get(i).day(),
          Integer.toString(v)));
    }
    return series(key, dots);
  }

  private static Series series(String key, List<Point> dots) {
    StringBuilder points = new StringBuilder();
    dots.forEach(p -> points.append(points.isEmpty() ? "" : " ").append(p.x()).append(',').append(p.y()));
    return new Series(key, points.toString(), dots);
  }

  /** Labels for some of the days (MM-dd), evenly spread, the first always. */
  private static List<Label> dayLabels(List<Report.DayVolume> days) {
    int every = Math.max(1, (days.size() + DAY_LABELS - 1) / DAY_LABELS);
    List<Label> labels = new ArrayList<>();
    for (int i = 0; i < days.size(); i += every) {
      labels.add(new Label("day", days.get(i).day().substring(5), dayX(i, days.size())));
    }
    return labels;
  }

  /** Four steps from 0 to {@code max}. */
  private static List<Tick> countTicks(int max) {
    List<Tick> ticks = new ArrayList<>();
    for (int step = 0; step <= 4; step++) {
      int value = max * step / 4;
      ticks.add(new Tick(Integer.toString(value), TOP + PLOT_HEIGHT - PLOT_HEIGHT * step / 4));
    }
    return ticks;
  }

  /** The axis's top: at least 4, and a multiple of 4 times 1, 2 or 5 × 10ⁿ, so the four steps are round numbers. */
  static int niceMax(int max) {
    long unit = 1;
    while (true) {
      for (long step : new long[] {unit, 2 * unit, 5 * unit}) {
        if (step * 4 >= max) {
          return (int) (step * 4);
        }
      }
      unit *= 10;
    }
  }

  private static int dayX(int i, int days) {
    return days <= 1 ? LEFT + PLOT_WIDTH / 2 : LEFT + (int) ((long) i * PLOT_WIDTH / (days - 1));
  }

  private static int scoreY(BigDecimal score) {
    return TOP + PLOT_HEIGHT - share(score, PLOT_HEIGHT);
  }

  /** Where {@code score} falls on the score axis, as a share of {@code length}. */
  private static int share(BigDecimal score, int length) {
    BigDecimal share = score.subtract(SCORE_FROM).max(BigDecimal.ZERO).divide(SCORE_SPAN, 4, java.math.RoundingMode.HALF_UP)
        .min(BigDecimal.ONE);
    return share.multiply(BigDecimal.valueOf(length)).intValue();
  }

  private static int height() {
    return TOP + PLOT_HEIGHT + BOTTOM;
  }
}
