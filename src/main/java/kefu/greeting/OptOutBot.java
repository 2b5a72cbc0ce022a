package kefu.greeting;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import kefu.dialog.Bot;
import kefu.dialog.Decision;
import kefu.dialog.ForwardingBot;
import kefu.dialog.Inbound;
import kefu.dialog.Reply;
import kefu.dialog.Said;
import kefu.dialog.Turn;
import kefu.kb.analysis.TextNormalizer;
import kefu.store.Sql;
import kefu.template.Templates;

/**
 * The bot, with the customer's refusal of greetings and marketing (退订, the words of {@code templates/greeting.yaml}, or
 * the menu key {@code opt-out}) and its restoring (恢复, or {@code opt-in}) answered at once and stored with the turn:
 * greetings and campaigns leave the customer out from then on; service messages still go.
 */
public final class OptOutBot extends ForwardingBot {
  /** The menu keys that refuse and restore. */
  public static final String MENU_OUT = "opt-out";
  public static final String MENU_IN = "opt-in";

  private final Templates templates;
  private final Set<String> outWords;
  private final Set<String> inWords;
  /** The decisions this bot took, until their turn is recorded: what each one sets. */
  private final Map<Decision, Boolean> taken = Collections.synchronizedMap(new IdentityHashMap<>());

  /** @throws kefu.template.TemplateException if a text or word list is missing from {@code templates/} */
  public OptOutBot(Bot bot, Templates templates) {
    super(bot);
    this.templates = templates.require(List.of("greeting.opt-out-words", "greeting.opt-in-words", "greeting.opted-out",
        "greeting.opted-in"));
    this.outWords = compact(templates.list("greeting.opt-out-words"));
    this.inWords = compact(templates.list("greeting.opt-in-words"));
  }

  private static Set<String> compact(List<String> words) {
    return words.stream().map(OptOutBot::compact).collect(Collectors.toUnmodifiableSet());
  }

  /** Compared as the dialogue compares intent words: width, case and script normalised, spaces and punctuation gone. */
  private static String compact(String text) {
    return TextNormalizer.normalize(text).replace(" ", "");
  }

  /** True to refuse, false to restore, empty for anything else. */
  Optional<Boolean> wants(Inbound in) {
    if (in.kind() == Inbound.Kind.MENU_CLICK) {
      return in.menuKey().filter(k -> k.equals(MENU_OUT) || k.equals(MENU_IN)).map(MENU_OUT::equals);
    }
    if (in.kind() != Inbound.Kind.TEXT) {
      return Optional.empty();
    }
    String said = compact(in.text());
    return outWords.contains(said) ? Optional.of(true) : inWords.contains(said) ? Optional.of(false) : Optional.empty();
  }

  @Override
  public Optional<Decision> decideAtOnce(Turn turn, Inbound in) {
    Optional<Boolean> out = wants(in);
    if (out.isEmpty()) {
      return super.decideAtOnce(turn, in);
    }
    Decision decision = Decision.say(turn.state(), new Reply.Text(templates.text(out.get() ? "greeting.opted-out" : "greeting.opted-in")));
    taken.put(decision, out.get());
    return Optional.of(decision);
  }

  @Override
  public List<Said> record(Connection c, Turn turn, Decision decision, Instant now) throws SQLException {
    Boolean out = taken.remove(decision);
    if (out != null) {
      // The first refusal's time is kept; restoring clears it.
      if (out) {
        Sql.update(c, "UPDATE customers SET opted_out_at = COALESCE(opted_out_at, ?) WHERE id = ?", now, turn.customer().id());
      } else {
        Sql.update(c, "UPDATE customers SET opted_out_at = NULL WHERE id = ?", turn.customer().id());
      }
    }
    return super.record(c, turn, decision, now);
  }
}
