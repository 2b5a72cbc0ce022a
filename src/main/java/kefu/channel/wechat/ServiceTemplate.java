package kefu.channel.wechat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import kefu.template.TemplateException;
import kefu.template.Templates;

/**
 * The fields of the template message that carries a reply outside WeChat's 48-hour customer-service window,
 * filled from {@code templates/} ({@code template-message.fields.*}), and likewise of the one-time subscription
 * notice ({@code subscribe-message.fields.*}).
 *
 * <p>A template message has no free text: WeChat shows the fields the template chosen in the admin console
 * defines, and since 2023 each field holds one line of 20 characters at most, so the wording of each field
 * is the business's, and the reply reaches it as a summary and the time; a longer field is cut with ….
 */
final class ServiceTemplate {
  static final String FIELDS = "template-message.fields.";
  static final String SUBSCRIBE_FIELDS = "subscribe-message.fields.";
  /** WeChat's limit for a thing field, the kind that carries words. */
  static final int SUMMARY_LENGTH = 20;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy年M月d日 HH:mm");

  private final Templates templates;
  private final ZoneId zone;
  private final String prefix;

  /** The template message's fields. @throws TemplateException if {@code templates} define none */
  ServiceTemplate(Templates templates, ZoneId zone) {
    this(templates, zone, FIELDS);
    if (!defined(templates, FIELDS)) {
      throw new TemplateException("templates define no " + FIELDS + "* for the template message (wechat.service-template)");
    }
  }

  private ServiceTemplate(Templates templates, ZoneId zone, String prefix) {
    this.templates = templates;
    this.zone = zone;
    this.prefix = prefix;
  }

  /** The subscription notice's fields, if {@code templates} define them. */
  static Optional<ServiceTemplate> subscribe(Templates templates, ZoneId zone) {
    return defined(templates, SUBSCRIBE_FIELDS) ? Optional.of(new ServiceTemplate(templates, zone, SUBSCRIBE_FIELDS)) : Optional.empty();
  }

  private static boolean defined(Templates templates, String prefix) {
    return templates.keys().stream().anyMatch(k -> k.startsWith(prefix));
  }

  /** Each field of the template message for {@code text}, sent at {@code at}, by its name in the template. */
  Map<String, String> fields(String text, Instant at) {
    Map<String, String> vars = Map.of("summary", summary(text), "text", text, "time", TIME.format(at.atZone(zone)));
    Map<String, String> fields = new LinkedHashMap<>();
    for (String key : templates.keys()) {
      if (key.startsWith(prefix)) {
        fields.put(key.substring(prefix.length()), summary(templates.render(key, vars)));
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
