package kefu.dialog;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kefu.kb.analysis.TextNormalizer;
import kefu.template.Templates;

/**
 * Recognises the few things a customer says that are not questions for the knowledge base: small talk, asking
 * for a person, a complaint, and picking one of the offered choices. The words come from {@code templates/}.
 */
final class Intents {
  static final List<String> TEMPLATE_KEYS = List.of(
      "intent.greeting", "intent.thanks", "intent.goodbye", "intent.handoff", "intent.handoff-phrases", "intent.complaint",
      "intent.end-chat");

  /** Particles a chatty customer adds to small talk: 你好啊, 谢谢啦. */
  private static final Pattern TRAILING_PARTICLES = Pattern.compile("[啊呀哦呢吧哈嘛啦喔噢~]+$");
  private static final Pattern CHOICE = Pattern.compile("^(?:第|选|选择)?([1-9一二三四五六七八九])(?:个|条|项|号)?$");
  private static final String CHINESE_DIGITS = "一二三四五六七八九";

  enum SmallTalk { GREETING, THANKS, GOODBYE }

  private final Set<String> greeting;
  private final Set<String> thanks;
  private final Set<String> goodbye;
  private final Set<String> handoff;
  private final List<String> handoffPhrases;
  private final List<String> complaint;
  private final Set<String> endChat;

  Intents(Templates templates) {
    templates.require(TEMPLATE_KEYS);
    greeting = Set.copyOf(compactAll(templates.list("intent.greeting")));
    thanks = Set.copyOf(compactAll(templates.list("intent.thanks")));
    goodbye = Set.copyOf(compactAll(templates.list("intent.goodbye")));
    handoff = Set.copyOf(compactAll(templates.list("intent.handoff")));
    handoffPhrases = compactAll(templates.list("intent.handoff-phrases"));
    complaint = compactAll(templates.list("intent.complaint"));
    endChat = Set.copyOf(compactAll(templates.list("intent.end-chat")));
  }

  /** The text normalised (width, case, Traditional → Simplified) with punctuation and spaces removed. */
  static String compact(String text) {
    return TextNormalizer.normalize(text).replace(" ", "");
  }

  private static List<String> compactAll(List<String> words) {
    return words.stream().map(Intents::compact).filter(w -> !w.isEmpty()).toList();
  }

  Optional<SmallTalk> smallTalk(String compact) {
    String bare = TRAILING_PARTICLES.matcher(compact).replaceAll("");
    if (greeting.contains(bare)) {
      return Optional.of(SmallTalk.GREETING);
    }
    if (thanks.contains(bare)) {
      return Optional.of(SmallTalk.THANKS);
    }
    return goodbye.contains(bare) ? Optional.of(SmallTalk.GOODBYE) : Optional.empty();
  }

  /** The customer asks for a person: the whole message is a request word (人工), or contains a request phrase (转人工). */
  boolean asksForPerson(String compact) {
    return handoff.contains(compact) || handoffPhrases.stream().anyMatch(compact::contains);
  }

  boolean complains(String compact) {
    return complaint.stream().anyMatch(compact::contains);
  }

  /** The customer with an agent ends the chat: the whole message is one of the end words (结束). */
  boolean endsChat(String compact) {
    return endChat.contains(TRAILING_PARTICLES.matcher(compact).replaceAll(""));
  }

  /** The number of the choice the customer picked (1-based): "2", "第二个", "②". */
  static Optional<Integer> choice(String compact) {
    Matcher m = CHOICE.matcher(compact);
    if (!m.matches()) {
      return Optional.empty();
    }
    char c = m.group(1).charAt(0);
    return Optional.of(Character.isDigit(c) ? c - '0' : CHINESE_DIGITS.indexOf(c) + 1);
  }
}
