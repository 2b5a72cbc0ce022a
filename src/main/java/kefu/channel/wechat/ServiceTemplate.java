package kefu.channel.wechat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import kefu.template.TemplateException;
import kefu.template.Templates;

/**
 * The fields of the template message that carries a reply outside WeChat's 48-hour customer-service window,
 * filled from {@code templates/} ({@code template-message.fields.*}).
 *
 * <p>A template message has no free text: WeChat shows the fields the template chosen in the admin console
 * defines, each with its own limit (a {@code thing} field holds 20 characters), so the wording of each field
 * is the business's, and the reply reaches it as a summary, the whole text and the time.
 */
final class ServiceTemplate {
  static final String FIELDS = "template-message.fields.";
  /** WeChat's limit for a thing field, the kind that carries words. */
  static final int SUMMARY_LENGTH = 20;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy年M月d日 HH:mm");

  private final Templates templates;
  private final ZoneId zone;

  /** @throws TemplateException if {@code templates} define no field */
  ServiceTemplate(Templates templates, ZoneId zone) {
    if (templates.keys().stream().noneMatch(k -> k.startsWith(FIELDS))) {
      throw new TemplateException("templates define no " + FIELDS + "* for the template message (wechat.service-template)");
    }
    this.templates = templates;
    this.zone = zone;
  }

  /** Each field of the template message for {@code text}, sent at {@code at}, by its name in the template. */
  Map<String, String> fields(String text, Instant at) {
    Map<String, String> vars = Map.of("summary", summary(text), "text", text, "time", TIME.format(at.atZone(zone)));
    Map<String, String> fields = new LinkedHashMap<>();
    for (String key : templates.keys()) {
      if (key.startsWith(FIELDS)) {
        fields.put(key.substring(FIELDS.length()), templates.render(key, vars));
      }
    }
    return fields;
  }

  /** The first line of {@code text}, cut to a thing field's 20 characters with … when longer. */
  static String summary(String text) {
    String line = text.strip().lines().findFirst().orElse("");
    if (line.codePointCount(0, line.length()) <= SUMMARY_LENGTH) {
      return line;
    }
    return line.substring(0, line.offsetByCodePoints(0, SUMMARY_LENGTH - 1)) + "…";
  }
}
