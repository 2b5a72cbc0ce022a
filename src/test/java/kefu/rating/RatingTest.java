package kefu.rating;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The five levels of the manuals, their scores, and what a customer's compacted reply rates. */
class RatingTest {

  @Test
  void theLevelsScoreFromOnePointOneDownToZeroPointSeven() {
    assertThat(Rating.values()).containsExactly(Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.NEUTRAL,
        Rating.DISSATISFIED, Rating.VERY_DISSATISFIED);
    assertThat(List.of(Rating.values())).extracting(Rating::level).containsExactly(1, 2, 3, 4, 5);
    assertThat(Rating.VERY_SATISFIED.score()).isEqualByComparingTo("1.1");
    assertThat(Rating.SATISFIED.score()).isEqualByComparingTo("1.0");
    assertThat(Rating.NEUTRAL.score()).isEqualByComparingTo("0.9");
    assertThat(Rating.DISSATISFIED.score()).isEqualByComparingTo("0.8");
    assertThat(Rating.VERY_DISSATISFIED.score()).isEqualByComparingTo("0.7");
  }

  @Test
  void aDigitIsItsLevel() {
    for (Rating rating : Rating.values()) {
      assertThat(Rating.parse(Integer.toString(rating.level()))).hasValue(rating);
    }
  }

  @Test
  void theWordsOfALevelAreItsLevelTheLongestWordWinning() {
    assertThat(Rating.parse("非常满意")).hasValue(Rating.VERY_SATISFIED);
    assertThat(Rating.parse("满意")).hasValue(Rating.SATISFIED);
    assertThat(Rating.parse("一般")).hasValue(Rating.NEUTRAL);
    // 不满意 contains 满意, and 非常不满意 both.
    assertThat(Rating.parse("不满意")).hasValue(Rating.DISSATISFIED);
    assertThat(Rating.parse("非常不满意")).hasValue(Rating.VERY_DISSATISFIED);
  }

  @Test
  void theWordsMayStandInASentence() {
    assertThat(Rating.parse("挺满意的")).hasValue(Rating.SATISFIED);
    assertThat(Rating.parse("服务一般般吧")).hasValue(Rating.NEUTRAL);
    assertThat(Rating.parse("我对这次服务非常不满意")).hasValue(Rating.VERY_DISSATISFIED);
  }

  @Test
  void anythingElseIsNoRating() {
    // Scores are no levels: "1.1", compacted, is "11".
    for (String text : List.of("", "0", "6", "9", "10", "11", "12345", "一", "五星", "好评", "谢谢", "abc")) {
      assertThat(Rating.parse(text)).as(text).isEmpty();
    }
  }

  @Test
  void aSoftenedNotBeforeSatisfiedIsDissatisfied() {
    // Proves: 不太满意 and its kin hold 满意 but mean 不满意; they must not be stored as a satisfied customer.
    for (String reply : List.of("不太满意", "不是很满意", "说实话不怎么满意", "没那么满意", "不够满意")) {
      assertThat(Rating.parse(reply)).as(reply).hasValue(Rating.DISSATISFIED);
    }
    assertThat(Rating.parse("非常不满意不太满意")).hasValue(Rating.VERY_DISSATISFIED);
    assertThat(Rating.parse("很满意")).hasValue(Rating.SATISFIED);
  }

  @Test
  void whatIsSaidBesidesTheRatingIsLeftWhenItsWordsAreTakenOut() {
    assertThat(Rating.besides("非常不满意我要投诉")).isEqualTo("我要投诉");
    assertThat(Rating.besides("不太满意")).isEmpty();
    assertThat(Rating.besides("满意谢谢")).isEqualTo("谢谢");
  }
}
