package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import kefu.template.TemplateException;
import kefu.template.Templates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The template message's fields: the business's wording per field, the reply cut to a thing field's limit. */
class ServiceTemplateTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @TempDir Path dir;

  @Test
  void theShippedFieldsCarryTheSummaryAndTheLocalTime() {
    ServiceTemplate template = new ServiceTemplate(Templates.load(Path.of("templates")), SHANGHAI);
    Map<String, String> fields = template.fields("您的相册已精修完成\n请预约取件时间", Instant.parse("2026-11-23T06:05:00Z"));
    assertThat(fields).containsExactly(Map.entry("thing1", "您的相册已精修完成"), Map.entry("time2", "2026年11月23日 14:05"));
  }

  @Test
  void aLongReplyIsCutToTwentyCharactersCountingEmojiAsOne() {
    assertThat(ServiceTemplate.summary("😀".repeat(25))).isEqualTo("😀".repeat(19) + "…");
    assertThat(ServiceTemplate.summary("一二三四五六七八九十一二三四五六七八九十")).hasSize(20).doesNotEndWith("…");
  }

  @Test
  void templatesWithoutFieldsStopTheStartWithTheKeyToAdd() throws Exception {
    Files.writeString(dir.resolve("replies.yaml"), "reply:\n  greeting: 您好\n");
    assertThatThrownBy(() -> new ServiceTemplate(Templates.load(dir), SHANGHAI))
        .isInstanceOf(TemplateException.class)
        .hasMessageContaining("template-message.fields.");
  }
}
