package kefu.journey;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import kefu.store.Sql;
import kefu.template.Templates;

/**
 * Turns WeChat's refusal of a step's message into the step's next choice: the step is planned again, due at once,
 * with the refused channel passed over from now on and the refusal added to its reason; the scheduler's next run
 * chooses the next channel (down to a call task). A refusal for unfollowing (43004) passes over every WeChat channel.
 * A survey step's first question counts as its message: the survey asked in the chat for it ends undelivered.
 */
public final class StepRefusals {
  /** WeChat's code for a customer who unfollowed the account. */
  static final int UNFOLLOWED = 43004;
  /** WeChat's code for a subscription notice without a consent left: the consent was spent after all. */
  static final int NO_CONSENT = 43101;

  private final Consents consents;
  private final SurveyStart surveys;
  private final Reasons reasons;

  public StepRefusals(Consents consents, SurveyStart surveys, Templates templates) {
    this.consents = consents;
    this.surveys = surveys;
    this.reasons = new Reasons(templates);
  }

  /**
   * The message {@code messageId} was refused with WeChat's {@code code} (0: kefu's own rules held it back; the outbox
   * keeps {@code reason}, the step says it in the supervisor's words); nothing happens unless it is a step's.
   */
  public void refused(Connection c, long messageId, int code, String reason, Instant now) throws SQLException {
    Optional<Refused> step = refusedStep(c, "message_id", messageId);
    if (step.isEmpty()) {
      step = refusedStep(c, "question_id", messageId);
    }
    if (step.isEmpty()) {
      // Not a step's, or its step was refused already: the step's message and its question often meet the same error.
      return;
    }
    Refused r = step.get();
    Set<ChannelChoice.Channel> refused = EnumSet.of(r.channel());
    refused.addAll(r.before());
    if (code == UNFOLLOWED) {
      refused.addAll(EnumSet.of(ChannelChoice.Channel.SERVICE, ChannelChoice.Channel.SUBSCRIBE, ChannelChoice.Channel.TEMPLATE));
    }
    if (r.channel() == ChannelChoice.Channel.SUBSCRIBE && code != NO_CONSENT) {
      consents.giveBack(c, r.id());
    }
    surveys.undelivered(c, r.id(), now);
    Sql.update(c, "UPDATE journey_steps SET status = 'planned', channel = NULL, message_id = NULL, question_id = NULL, refused = ?,"
        + " reason = ?, due_at = ?, finished_at = NULL, claimed_by = NULL, claim_token = NULL, claimed_at = NULL, updated_at = ? WHERE id = ?",
        name(refused), CallTasks.truncate(Reasons.then(r.reason(), code == 0 ? reasons.say("held", "channel", reasons.channel(r.channel()))
            : reasons.say("refused", "channel", reasons.channel(r.channel()), "code", code))), now, now, r.id());
  }

  /** The step done whose message ({@code column} message_id) or survey question (question_id) is {@code messageId}, locked. */
  private static Optional<Refused> refusedStep(Connection c, String column, long messageId) throws SQLException {
    return Sql.one(c, "SELECT id, channel, refused, reason FROM journey_steps WHERE " + column + " = ? AND status = 'done' FOR UPDATE",
        row -> new Refused(row.longValue("id"), row.enumOf(ChannelChoice.Channel.class, "channel"), channels(row.optionalString("refused")),
            row.optionalString("reason").orElse("")), messageId);
  }

  private record Refused(long id, ChannelChoice.Channel channel, Set<ChannelChoice.Channel> before, String reason) {}

  /** The channels a step's {@code refused} column names. */
  static Set<ChannelChoice.Channel> channels(Optional<String> column) {
    Set<ChannelChoice.Channel> channels = EnumSet.noneOf(ChannelChoice.Channel.class);
    column.filter(text -> !text.isBlank()).ifPresent(text -> Arrays.stream(text.split(","))
        .map(name -> ChannelChoice.Channel.valueOf(name.strip().toUpperCase(Locale.ROOT))).forEach(channels::add));
    return channels;
  }

  private static String name(Set<ChannelChoice.Channel> channels) {
    return channels.stream().map(ch -> ch.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(","));
  }
}
