package kefu.gaps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import kefu.TestNode;
import kefu.config.KefuConfig;

/** A small knowledge base whose questions the words model tells apart plainly, and a node answering from it. */
public final class GapFixtures {
  /** Answered outright. */
  public static final String HOURS = "你们几点开门";
  public static final String HOURS_ANSWER = "您好，我们每天九点到十八点营业。";
  /** Close to one entry, not close enough to answer: the bot asks about that one. */
  public static final String SUGGESTED = "婚纱照多少钱";
  /** Near the opening hours, too far to suggest: the fallback, the nearest entry recorded. */
  public static final String NEAR_MISS = "几点关门";
  /** No word or character of the knowledge base. */
  public static final String UNANSWERABLE = "qwerty";

  private GapFixtures() {}

  public static void writeKnowledgeBase(Path nodeDir) throws IOException {
    Path kb = Files.createDirectories(nodeDir.resolve("knowledge-base"));
    Files.writeString(kb.resolve("studio.yaml"), """
        topic: 门店
        entries:
          - id: hours
            question: 你们几点开门？
            similar:
              - 营业时间是几点
            answer: 您好，我们每天九点到十八点营业。
          - id: deposit
            question: 定金要交多少？
            similar:
              - 订金交多少钱
            answer: 您好，定金为五百元。
          - id: price
            question: 婚纱照套餐价格是多少？
            similar:
              - 拍婚纱照多少钱
            answer: 您好，套餐从三千九百元起。
        """);
    Files.writeString(kb.resolve("synonyms.txt"), "定金 订金\n");
  }

  /**
   * The embedded node on {@code dir}, answering at 0.9 and suggesting from 0.5, its knowledge base built: with the
   * shipped words-only model 婚纱照多少钱 scores about 0.6 (its runner-up under 0.1) and 几点关门 about 0.4.
   */
  public static TestNode start(Path dir) throws IOException {
    writeKnowledgeBase(dir);
    return started(TestNode.config(dir, java.util.Optional.empty()));
  }

  public static TestNode started(KefuConfig config) {
    TestNode node = TestNode.start(config.withKb(new KefuConfig.Kb(false, OptionalDouble.of(0.9), OptionalDouble.of(0), OptionalDouble.of(0.5))));
    node.awaitKnowledgeBase();
    return node;
  }
}
