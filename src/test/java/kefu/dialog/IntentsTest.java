package kefu.dialog;

import static org.assertj.core.api.Assertions.assertThat;

import com.hankcs.hanlp.HanLP;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import kefu.dialog.Intents.SmallTalk;
import kefu.template.Templates;
import org.junit.jupiter.api.Test;

/** The words of {@code templates/intents.yaml} as customers type them: either script, any width, with punctuation. */
class IntentsTest {
  private static final Templates TEMPLATES = Templates.load(Path.of("templates"));
  private final Intents intents = new Intents(TEMPLATES);

  private Optional<SmallTalk> smallTalk(String text) {
    return intents.smallTalk(Intents.compact(text));
  }

  /** {@code word} as it may also be typed: in Traditional characters, with full-width letters, with punctuation. */
  private static List<String> variants(String word) {
    String fullWidth = word.chars()
        .mapToObj(c -> c > ' ' && c <= '~' ? String.valueOf((char) (c + 0xFEE0)) : String.valueOf((char) c))
        .reduce("", String::concat);
    return List.of(word, HanLP.convertToTraditionalChinese(word), fullWidth.toUpperCase(), " " + word + "！", word + "~");
  }

  private static void everyWordIn(String key, Predicate<String> recognised) {
    List<String> words = TEMPLATES.list(key);
    assertThat(words).as(key).isNotEmpty();
    for (String word : words) {
      for (String typed : variants(word)) {
        assertThat(recognised.test(Intents.compact(typed))).as(key + ": " + typed).isTrue();
      }
    }
  }

  @Test
  void compactNormalizesAndDropsPunctuationAndSpaces() {
    assertThat(Intents.compact("ＷｉＦｉ　密碼？")).isEqualTo("wifi密码");
    assertThat(Intents.compact("  转 人工!! ")).isEqualTo("转人工");
    assertThat(Intents.compact("Thank you 😊")).isEqualTo("thankyou");
    assertThat(Intents.compact("!!")).isEmpty();
    assertThat(Intents.compact("")).isEmpty();
  }

  @Test
  void everySmallTalkWordIsRecognisedInAnyForm() {
    everyWordIn("intent.greeting", c -> intents.smallTalk(c).equals(Optional.of(SmallTalk.GREETING)));
    everyWordIn("intent.thanks", c -> intents.smallTalk(c).equals(Optional.of(SmallTalk.THANKS)));
    everyWordIn("intent.goodbye", c -> intents.smallTalk(c).equals(Optional.of(SmallTalk.GOODBYE)));
  }

  @Test
  void smallTalkIsTheWholeMessageWithAtMostTrailingParticles() {
    assertThat(smallTalk("你好啊")).hasValue(SmallTalk.GREETING);
    assertThat(smallTalk("您好呀~~")).hasValue(SmallTalk.GREETING);
    assertThat(smallTalk("谢谢啦！")).hasValue(SmallTalk.THANKS);
    assertThat(smallTalk("Bye!")).hasValue(SmallTalk.GOODBYE);
    assertThat(smallTalk("你好,请问婚纱照多少钱")).isEmpty();
    assertThat(smallTalk("啊你好")).isEmpty();
    assertThat(smallTalk("")).isEmpty();
  }

  @Test
  void everyRequestForAPersonIsRecognisedInAnyForm() {
    everyWordIn("intent.handoff", intents::asksForPerson);
    everyWordIn("intent.handoff-phrases", intents::asksForPerson);
  }

  @Test
  void aRequestWordMustBeTheWholeMessageARequestPhraseMayBeAnywhere() {
    assertThat(intents.asksForPerson(Intents.compact("请帮我转人工，谢谢"))).isTrue();
    assertThat(intents.asksForPerson(Intents.compact("可以聯繫客服嗎"))).isTrue();
    assertThat(intents.asksForPerson(Intents.compact("人工智能是什么"))).isFalse();
    assertThat(intents.asksForPerson(Intents.compact("客服几点上班"))).isFalse();
    assertThat(intents.asksForPerson("")).isFalse();
  }

  @Test
  void everyComplaintWordIsRecognisedAnywhereInTheMessage() {
    everyWordIn("intent.complaint", intents::complains);
    everyWordIn("intent.dissatisfied", intents::complains);
    assertThat(intents.complains(Intents.compact("你們的服務太差勁了，我要投訴！"))).isTrue();
    assertThat(intents.complains(Intents.compact("对结果很不满意"))).isTrue();
    assertThat(intents.complains(Intents.compact("婚纱照多少钱"))).isFalse();
    assertThat(intents.complains(Intents.compact("很满意"))).isFalse();
  }

  @Test
  void dissatisfactionAskedAboutIsNoComplaintButAComplaintWordAlwaysIs() {
    assertThat(intents.complains(Intents.compact("修图不满意能改吗"))).isFalse();
    assertThat(intents.complains(Intents.compact("修完第二天有人打电话问我满意不满意"))).isFalse();
    assertThat(intents.complains(Intents.compact("問我滿不滿意"))).isFalse();
    assertThat(intents.complains(Intents.compact("态度不好怎么投诉"))).isTrue();
    assertThat(intents.complains(Intents.compact("我对服务很不满意，要投诉"))).isTrue();
    assertThat(intents.complains(Intents.compact("你们态度太差了"))).isTrue();
    // Said once as a statement, it is a complaint even if a question follows elsewhere.
    assertThat(intents.complains(Intents.compact("你们怎么回事，太失望了"))).isTrue();
  }

  @Test
  void yesNoAndLeavingTheQueueAreTheWholeMessage() {
    everyWordIn("intent.affirm", intents::saysYes);
    everyWordIn("intent.deny", intents::saysNo);
    everyWordIn("intent.leave-queue", intents::leavesQueue);
    everyWordIn("intent.end-chat", intents::leavesQueue);
    assertThat(intents.saysYes(Intents.compact("是的，请问定金多少"))).isFalse();
    assertThat(intents.saysNo(Intents.compact("不是这样的，我想问改期"))).isFalse();
    assertThat(intents.leavesQueue(Intents.compact("取消预约怎么办"))).isFalse();
  }

  @Test
  void everyEndWordEndsTheChatOnlyAsTheWholeMessage() {
    everyWordIn("intent.end-chat", intents::endsChat);
    assertThat(intents.endsChat(Intents.compact("结束啦"))).isTrue();
    assertThat(intents.endsChat(Intents.compact("什么时候结束"))).isFalse();
    assertThat(intents.endsChat(Intents.compact("结束了吗"))).isFalse();
    assertThat(intents.endsChat(Intents.compact("不结束"))).isFalse();
  }

  @Test
  void aChoiceIsADigitOneToNineInAnyWriting() {
    for (int n = 1; n <= 9; n++) {
      assertThat(Intents.choice(Integer.toString(n))).hasValue(n);
      assertThat(Intents.choice("第" + "一二三四五六七八九".charAt(n - 1) + "个")).hasValue(n);
    }
    assertThat(Intents.choice(Intents.compact("２"))).hasValue(2);
    assertThat(Intents.choice(Intents.compact("②"))).hasValue(2);
    assertThat(Intents.choice(Intents.compact("第3條"))).hasValue(3);
    assertThat(Intents.choice("选3")).hasValue(3);
    assertThat(Intents.choice("选择九")).hasValue(9);
    assertThat(Intents.choice("2号")).hasValue(2);
    assertThat(Intents.choice("第1项")).hasValue(1);
  }

  @Test
  void otherNumbersAndTextAreNoChoice() {
    for (String text : List.of("0", "10", "11", "十", "第二个问题", "2个人", "两个", "-1", "", "a")) {
      assertThat(Intents.choice(text)).as(text).isEmpty();
    }
  }
}
