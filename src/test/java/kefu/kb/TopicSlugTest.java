package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicSlugTest {
  @Test
  void chineseBecomesPinyinAndLatinStays() {
    assertThat(TopicSlug.of("价格与优惠")).isEqualTo("jia-ge-yu-you-hui");
    assertThat(TopicSlug.of("银行卡")).isEqualTo("yin-hang-ka");
    assertThat(TopicSlug.of("WiFi 设置")).isEqualTo("wifi-she-zhi");
    assertThat(TopicSlug.of("绿色套系 2027")).isEqualTo("lv-se-tao-xi-2027");
  }

  @Test
  void longTopicsAreCutAtASyllableAndNothingLeftGivesTopic() {
    assertThat(TopicSlug.of("婚纱摄影套系价格与优惠活动说明及注意事项")).isEqualTo("hun-sha-she-ying-tao-xi-jia-ge");
    assertThat(TopicSlug.of("😀 !!")).isEqualTo("topic");
  }
}
