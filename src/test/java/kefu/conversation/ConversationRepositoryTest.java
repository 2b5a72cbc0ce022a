package kefu.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.TestStore;
import kefu.customer.CustomerRepository;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConversationRepositoryTest {
  private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
  private final CustomerRepository customers = new CustomerRepository();
  private final ConversationRepository conversations = new ConversationRepository();
  private final MessageRepository messages = new MessageRepository();

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void messagesJoinTheOpenConversationUntilItCloses(TestStore kind, @TempDir Path dir) throws Exception {
    try (TestStore.Open store = kind.open(dir)) {
      long customerId = store.db().inTransaction(c -> customers.findOrCreate(c, "o1", T0)).id();

      Conversation first = store.db().inTransaction(c -> conversations.openFor(c, customerId, "wechat", T0));
      Conversation same = store.db().inTransaction(c -> conversations.openFor(c, customerId, "wechat", T0.plusSeconds(5)));
      assertThat(same.id()).isEqualTo(first.id());
      assertThat(first.status()).isEqualTo(Conversation.Status.OPEN);

      boolean closedNow = store.db().inTransaction(c -> conversations.close(c, first.id(), T0.plusSeconds(60)));
      boolean closedAgain = store.db().inTransaction(c -> conversations.close(c, first.id(), T0.plusSeconds(61)));
      assertThat(closedNow).isTrue();
      assertThat(closedAgain).isFalse();
      Conversation closed = store.db().inTransaction(c -> conversations.byId(c, first.id())).orElseThrow();
      assertThat(closed.status()).isEqualTo(Conversation.Status.CLOSED);
      assertThat(closed.closedAt()).contains(T0.plusSeconds(60));

      Conversation next = store.db().inTransaction(c -> conversations.openFor(c, customerId, "wechat", T0.plusSeconds(120)));
      assertThat(next.id()).isNotEqualTo(first.id());
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void transcriptKeepsOrderAndMovesLastMessageTime(TestStore kind, @TempDir Path dir) throws Exception {
    try (TestStore.Open store = kind.open(dir)) {
      long conversationId = store.db().inTransaction(c -> {
        long customerId = customers.findOrCreate(c, "o2", T0).id();
        return conversations.openFor(c, customerId, "wechat", T0).id();
      });
      store.db().inTransaction(c -> {
        messages.append(c, new MessageRepository.Draft(conversationId, Message.Direction.IN, "text", "怎么预约拍摄?", "6001"), T0.plusSeconds(1));
        messages.append(c, new MessageRepository.Draft(conversationId, Message.Direction.OUT, "text", "您好,请问您想预约哪一天?", null), T0.plusSeconds(2));
        messages.append(c, new MessageRepository.Draft(conversationId, Message.Direction.IN, "image", null, "6002"), T0.plusSeconds(3));
        return null;
      });

      List<Message> transcript = store.db().inTransaction(c -> messages.transcript(c, conversationId, 100));
      assertThat(transcript).extracting(Message::direction)
          .containsExactly(Message.Direction.IN, Message.Direction.OUT, Message.Direction.IN);
      assertThat(transcript.get(0).text()).contains("怎么预约拍摄?");
      assertThat(transcript.get(2).text()).isEmpty();
      assertThat(transcript.get(2).type()).isEqualTo("image");
      List<Message> firstTwo = store.db().inTransaction(c -> messages.transcript(c, conversationId, 2));
      assertThat(firstTwo).hasSize(2);
      assertThat(transcript.get(0).wechatMsgId()).contains("6001");
      Conversation conversation = store.db().inTransaction(c -> conversations.byId(c, conversationId)).orElseThrow();
      assertThat(conversation.lastMessageAt()).isEqualTo(T0.plusSeconds(3));
      assertThat(transcript.get(0).toString()).doesNotContain("预约");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aWechatMsgIdIsStoredOnceAndAFailedTransactionLeavesNothing(TestStore kind, @TempDir Path dir) throws Exception {
    try (TestStore.Open store = kind.open(dir)) {
      long conversationId = store.db().inTransaction(c -> {
        long customerId = customers.findOrCreate(c, "o3", T0).id();
        return conversations.openFor(c, customerId, "wechat", T0).id();
      });
      MessageRepository.Draft inbound = new MessageRepository.Draft(conversationId, Message.Direction.IN, "text", "你好", "7001");
      store.db().inTransaction(c -> messages.append(c, inbound, T0));

      assertThatThrownBy(() -> store.db().inTransaction(c -> {
        messages.append(c, new MessageRepository.Draft(conversationId, Message.Direction.OUT, "text", "您好", null), T0);
        return messages.append(c, inbound, T0);
      })).isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));

      List<Message> stored = store.db().inTransaction(c -> messages.transcript(c, conversationId, 100));
      assertThat(stored).hasSize(1);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void transactionRunsOffTheEventLoop(TestStore kind, @TempDir Path dir) throws Exception {
    try (TestStore.Open store = kind.open(dir)) {
      Context eventLoop = store.vertx().getOrCreateContext();
      Future<String> thread = Future.future(done -> eventLoop.runOnContext(v ->
          store.db().transaction(c -> Thread.currentThread().getName()).onComplete(done)));
      assertThat(thread.await()).startsWith("kefu-sql");
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aCustomersLastMessageWithNoTurnAfterItIsUnanswered(TestStore kind, @TempDir Path dir) throws Exception {
    // Proves: what a start answers after a crash — the last message in of a conversation whose bot memory is older
    // or absent, within the times asked for; one a turn followed, or an earlier one of the same conversation, is not.
    try (TestStore.Open store = kind.open(dir)) {
      long answered = conversationWith(store, "o-answered", T0);
      long cutOff = conversationWith(store, "o-cut-off", T0);
      conversationWith(store, "o-too-old", T0.minusSeconds(7200)); // unanswered, but before the times asked for
      store.db().inTransaction(c -> {
        conversations.afterTurn(c, answered, "{}", T0.plusSeconds(1));
        messages.add(c, new MessageRepository.Draft(cutOff, Message.Direction.IN, "text", "还在吗", null), T0.plusSeconds(2));
        return null;
      });

      List<Message> unanswered = store.db().inTransaction(c -> messages.unanswered(c, T0.minusSeconds(3600), T0.plusSeconds(60)));
      assertThat(unanswered).extracting(Message::conversationId).containsExactly(cutOff);
      assertThat(unanswered.get(0).text()).contains("还在吗");
      List<Message> beforeTheLast = store.db().inTransaction(c -> messages.unanswered(c, T0.minusSeconds(3600), T0.plusSeconds(1)));
      assertThat(beforeTheLast).isEmpty();
    }
  }

  /** A conversation of a new customer {@code openid} with one message from them at {@code at}; its id. */
  private long conversationWith(TestStore.Open store, String openid, Instant at) throws SQLException {
    return store.db().inTransaction(c -> {
      long customerId = customers.findOrCreate(c, openid, at).id();
      long conversationId = conversations.openFor(c, customerId, "wechat", at).id();
      messages.add(c, new MessageRepository.Draft(conversationId, Message.Direction.IN, "text", "你好", null), at);
      return conversationId;
    });
  }
}
