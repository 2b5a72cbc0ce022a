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
 * for a person, a complaint, yes or no to the question the bot asked, leaving the queue, and picking one of the
 * offered choices. The words come from {@code templates/}.
 */
final class Intents {
  static final List<String> TEMPLATE_KEYS = List.of(
      "intent.greeting", "intent.thanks", "intent.goodbye", "intent.handoff", "intent.handoff-phrases", "intent.complaint",
      "intent.dissatisfied", "intent.question-words", "intent.end-chat", "intent.leave-queue", "intent.affirm", "intent.deny");

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
  private final List<String> dissatisfied;
  private final List<String> questionWords;
  private final Set<String> endChat;
  private final Set<String> leaveQueue;
  private final Set<String> yes;
  private final Set<String> no;

  Intents(Templates templates) {
    templates.require(TEMPLATE_KEYS);
    greeting = Set.copyOf(compactAll(templates.list("intent.greeting")));
    thanks = Set.copyOf(compactAll(templates.list("intent.thanks")));
    goodbye = Set.copyOf(compactAll(templates.list("intent.goodbye")));
    handoff = Set.copyOf(compactAll(templates.list("intent.handoff")));
    handoffPhrases = compactAll(templates.list("intent.handoff-phrases"));
    complaint = compactAll(templates.list("intent.complaint"));
    dissatisfied = compactAll(templates.list("intent.dissatisfied"));
    questionWords = compactAll(templates.list("intent.question-words"));
    endChat = Set.copyOf(compactAll(templates.list("intent.end-chat")));
    leaveQueue = Set.copyOf(compactAll(templates.list("intent.leave-queue")));
    yes = Set.copyOf(compactAll(templates.list("intent.affirm")));
    no = Set.copyOf(compactAll(templates.list("intent.deny")));
  }

  /** The text normalised (width, case, Traditional → Simplified) with punctuation and spaces removed. */
  static String compact(String text) {
    return TextNormalizer.normalize(text).replace(" ", "");
  }

  private static List<String> compactAll(List<String> words) {
    return words.stream().map(Intents::compact).filter(w -> !w.isEmpty()).toList();
  }

  Optional<SmallTalk> smallTalk(String compact) {
    String bare = bare(compact);
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

  /**
   * A complaint: a complaint word anywhere (投诉), or a word of dissatisfaction (不满意) said as such. Asking about
   * it is no complaint: a question after the word (修图不满意能改吗) or the word as half of 满意不满意.
   */
  boolean complains(String compact) {
    if (complaint.stream().anyMatch(compact::contains)) {
      return true;
    }
    for (String word : dissatisfied) {
      for (int at = compact.indexOf(word); at >= 0; at = compact.indexOf(word, at + 1)) {
        String after = compact.substring(at + word.length());
        if (!eitherOr(compact.substring(0, at), word) && questionWords.stream().noneMatch(after::contains)) {
          return true;
        }
      }
    }
    return false;
  }

  /** Whether {@code word}, a negation 不…, follows its positive as in 满意不满意 or 满不满意: asked, not stated. */
  private static boolean eitherOr(String before, String word) {
    if (!word.startsWith("不") || word.length() < 2) {
      return false;
    }
    String positive = word.substring(1);
    return before.endsWith(positive) || before.endsWith(positive.substring(0, 1));
  }

  /** The customer with an agent ends the chat: the whole message is one of the end words (结束). */
  boolean endsChat(String compact) {
    return endChat.contains(bare(compact));
  }

  /** The customer waiting for a person no longer wants to: the whole message is an end word or a leave word (取消). */
  boolean leavesQueue(String compact) {
    return endsChat(compact) || leaveQueue.contains(bare(compact));
  }

  /** The whole message says yes (是, 对的, 嗯) to the question the bot asked. */
  boolean saysYes(String compact) {
    return yes.contains(bare(compact));
  }

  /** The whole message says no (不是, 不对). */
  boolean saysNo(String compact) {
    return no.contains(bare(compact));
  }

  private static String bare(String compact) {
    return TRAILING_PARTICLES.matcher(compact).replaceAll("");
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
