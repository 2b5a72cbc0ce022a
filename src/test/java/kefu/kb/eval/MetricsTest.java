package kefu.kb.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void recallMrrAndAnsweredFigures() {
    List<Metrics.Outcome> outcomes = List.of(
        new Metrics.Outcome(1, 0.9, true, 1),
        new Metrics.Outcome(2, 0.8, false, 2),
        new Metrics.Outcome(0, 0.7, true, 3),
        new Metrics.Outcome(11, 0.1, false, 4));

    Metrics m = Metrics.of("x", 10, outcomes, 1.5, null);

    assertThat(m.recallAt1()).isEqualTo(0.25);
    assertThat(m.recallAt3()).isEqualTo(0.5);
    assertThat(m.mrrAt10()).isEqualTo((1 + 0.5) / 4);
    assertThat(m.answeredRate()).isEqualTo(0.5);
    assertThat(m.answeredPrecision()).isEqualTo(0.5);
    assertThat(m.p50Millis()).isEqualTo(2);
    assertThat(m.p99Millis()).isEqualTo(4);
    assertThat(m.line()).isEqualTo("system=x entries=10 queries=4 recall@1=0.250 recall@3=0.500 mrr@10=0.375"
        + " answered_precision=0.500 answered_rate=0.500 p50_ms=2.00 p99_ms=4.00 build_s=1.5");
  }

  @Test
  void baselinesAreJudgedAtTheTargetPrecision() {
    List<Metrics.Outcome> outcomes = List.of(
        new Metrics.Outcome(1, 0.9, false, 1),
        new Metrics.Outcome(1, 0.8, false, 1),
        new Metrics.Outcome(3, 0.7, false, 1),
        new Metrics.Outcome(1, 0.6, false, 1));

    Metrics m = Metrics.of("baseline", 4, outcomes, 0, 0.9);

    // The two most confident are right (precision 1.0); adding the third drops it to 0.67.
    assertThat(m.answeredRate()).isEqualTo(0.5);
    assertThat(m.answeredPrecision()).isEqualTo(1.0);
  }
}
