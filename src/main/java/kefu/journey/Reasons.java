package kefu.journey;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import kefu.customer.MilestoneKind;
import kefu.template.Templates;

/**
 * Why a step went as it did, in the words of {@code templates/journey.yaml} ({@code journey.reason.*}): what the
 * supervisor reads on the record's page and the agent on the call, kept on the step and the call task.
 */
final class Reasons {
  private static final String SEPARATOR = "；";
  private static final String MILESTONES = "journey.milestones.";

  private final Templates templates;

  /** @throws kefu.template.TemplateException if templates/ names not every milestone kind */
  Reasons(Templates templates) {
    this.templates = templates.require(Arrays.stream(MilestoneKind.values()).map(k -> MILESTONES + k.key()).toList());
  }

  /** The reason {@code key} with its values given as name, value, name, value … */
  String say(String key, Object... namesAndValues) {
    Map<String, Object> vars = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      vars.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return templates.render("journey.reason." + key, vars);
  }

  /** The milestone {@code kind} (pickup, renewal_decided …) by its name. */
  String milestone(String kind) {
    return templates.text(MILESTONES + kind);
  }

  /** A WeChat channel by its name. */
  String channel(ChannelChoice.Channel channel) {
    return templates.text("journey.channels." + channel.name().toLowerCase(Locale.ROOT));
  }

  /** Reasons one after the other, as they happened. */
  static String join(List<String> reasons) {
    return String.join(SEPARATOR, reasons);
  }

  /** What was recorded before, then {@code next}. */
  static String then(String before, String next) {
    return before.isEmpty() ? next : before + SEPARATOR + next;
  }
}
