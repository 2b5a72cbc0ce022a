package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Grouping by meaning with the engine's sentence vectors: paraphrases together, different questions apart. */
class QuestionClustersTest {
  private static final List<List<String>> ASKED = List.of(
      List.of("你们几点开门", "请问几点开门呀", "你們幾點開門？"),
      List.of("有停车位吗", "可以停车吗", "附近有没有地方停车"),
      List.of("定金要交多少", "订金多少钱", "要先付多少定金"),
      List.of("可以用花呗吗"),
      // Near misses: the same words, another question.
      List.of("婚纱照多少钱"),
      List.of("儿童照多少钱"));

  @Test
  void paraphrasesGoTogetherAndDifferentQuestionsApart() {
    // Interleaved as they arrive: each group's wordings far apart in the list.
    List<String> questions = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      for (List<String> group : ASKED) {
        if (i < group.size()) {
          questions.add(group.get(i));
        }
      }
    }
    List<List<Integer>> groups = new QuestionClusters(Optional.of(TestEncoder.shared())).group(questions);
    Set<Set<String>> found = groups.stream().map(g -> g.stream().map(questions::get).collect(Collectors.toSet()))
        .collect(Collectors.toSet());
    assertThat(found).isEqualTo(ASKED.stream().map(Set::copyOf).collect(Collectors.toSet()));
    assertThat(groups.get(0)).as("groups in the order their first question came, members in the order given")
        .containsExactly(0, 6, 9);
  }

  @Test
  void withoutTheModelTheSameWordingsStillGoTogether() {
    List<String> questions = List.of("你们几点开门", "有停车位吗", "你们几点开门？", "有停车位吗");
    assertThat(new QuestionClusters(Optional.empty()).group(questions)).containsExactly(List.of(0, 2), List.of(1, 3));
  }
}
