package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import kefu.TestStore;
import kefu.config.KefuConfig;
import kefu.conversation.ConversationRepository;
import kefu.conversation.Delivery;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.customer.CustomerRepository;
import kefu.dialog.Reply;
import kefu.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeliveryPolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-01T08:00:00Z");
  private static final String TEMPLATE = "tmpl-service-reply";
  private static final Duration JUST = Duration.ofMillis(1);

  private final DeliveryPolicy withoutTemplate = policy(Optional.empty());
  private final DeliveryPolicy withTemplate = policy(Optional.of(TEMPLATE));
  private final CustomerRepository customers = new CustomerRepository();
  private final ConversationRepository conversations = new ConversationRepository();
  private final MessageRepository messages = new MessageRepository();
  private final Outbox outbox = new Outbox();
  @TempDir Path dir;

  /** WeChat's quotas as configured in production: 5 in 48 h after a message, 3 in the minute after an event. */
  private static DeliveryPolicy policy(Optional<String> templateId) {
    KefuConfig.Wechat wechat = new KefuConfig.Wechat(Optional.empty(), "simulator", Optional.empty(), Duration.ofSeconds(3),
        templateId, new KefuConfig.Quotas(5, Duration.ofHours(48), 3));
    return new DeliveryPolicy(wechat);
  }

  // The rules themselves, over a snapshot of the customer as the sender reads it.

  /** A follower who wrote {@code ago}, with {@code sent} customer-service messages since, and no click or follow since. */
  private static DeliveryPolicy.Recipient wrote(Duration ago, int sent) {
    return new DeliveryPolicy.Recipient(true, Optional.of(NOW.minus(ago)), sent, Optional.empty(), 0);
  }

  /** A follower who never wrote and clicked the menu (or followed) {@code ago}, with {@code sent} messages since. */
  private static DeliveryPolicy.Recipient clicked(Duration ago, int sent) {
    return new DeliveryPolicy.Recipient(true, Optional.empty(), 0, Optional.of(NOW.minus(ago)), sent);
  }

  @Test
  void withinTheWindowUpToFiveServiceMessagesGo() {
    // Proves: the customer wrote within 48 h and fewer than 5 were sent since → customer-service message.
    assertThat(withoutTemplate.judge(wrote(Duration.ofHours(1), 0), NOW)).isInstanceOf(DeliveryPolicy.Service.class);
    assertThat(withoutTemplate.judge(wrote(Duration.ofHours(1), 4), NOW)).isInstanceOf(DeliveryPolicy.Service.class);
  }

  @Test
  void theSixthWaitsForTheCustomerWhenThereIsNoTemplate() {
    // Proves: with the 5 used and no template the message is held, not dropped.
    assertThat(withoutTemplate.judge(wrote(Duration.ofHours(1), 5), NOW)).isInstanceOfSatisfying(DeliveryPolicy.Hold.class,
        hold -> assertThat(hold.reason()).contains("5 customer-service messages"));
  }

  @Test
  void aConfiguredTemplateCarriesWhatServiceMessagesMayNot() {
    // Proves: over the quota, or outside the window, a configured template is used.
    assertThat(withTemplate.judge(wrote(Duration.ofHours(1), 5), NOW)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));
    assertThat(withTemplate.judge(wrote(Duration.ofHours(49), 0), NOW)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));
    assertThat(withTemplate.judge(clicked(Duration.ofMinutes(5), 0), NOW)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));
    assertThat(withTemplate.judge(wrote(Duration.ofHours(1), 0), NOW)).isInstanceOf(DeliveryPolicy.Service.class);
  }

  @Test
  void outsideTheWindowWithoutATemplateNothingGoes() {
    // Proves: outside the 48 h window and with no template the message is undeliverable, and says why.
    assertThat(withoutTemplate.judge(wrote(Duration.ofHours(49), 0), NOW)).isInstanceOfSatisfying(DeliveryPolicy.Undeliverable.class,
        no -> assertThat(no.reason()).contains("48-hour window").contains("wechat.service-template"));
    assertThat(withoutTemplate.judge(clicked(Duration.ofMinutes(5), 0), NOW)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
  }

  @Test
  void aClickOrFollowAllowsThreeInTheMinuteAfter() {
    // Proves: with no message from the customer, a recent event allows 3 customer-service messages, not a 4th.
    assertThat(withoutTemplate.judge(clicked(Duration.ofSeconds(30), 0), NOW)).isInstanceOf(DeliveryPolicy.Service.class);
    assertThat(withoutTemplate.judge(clicked(Duration.ofSeconds(30), 2), NOW)).isInstanceOf(DeliveryPolicy.Service.class);
    assertThat(withoutTemplate.judge(clicked(Duration.ofSeconds(30), 3), NOW)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
    // In the window but over its quota, the event's allowance still lets one through.
    DeliveryPolicy.Recipient both = new DeliveryPolicy.Recipient(true, Optional.of(NOW.minus(Duration.ofHours(1))), 5,
        Optional.of(NOW.minus(Duration.ofSeconds(30))), 0);
    assertThat(withoutTemplate.judge(both, NOW)).isInstanceOf(DeliveryPolicy.Service.class);
  }

  @Test
  void theWindowClosesFortyEightHoursAfterTheCustomerWrote() {
    // Proves: the window is open until, not at, 48 h after the customer's last message.
    assertThat(withoutTemplate.judge(wrote(Duration.ofHours(48).minus(JUST), 0), NOW)).isInstanceOf(DeliveryPolicy.Service.class);
    assertThat(withoutTemplate.judge(wrote(Duration.ofHours(48), 0), NOW)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
    // Over the quota at the last moment the message still waits; a moment later it cannot go at all.
    assertThat(withoutTemplate.judge(wrote(Duration.ofHours(48).minus(JUST), 5), NOW)).isInstanceOf(DeliveryPolicy.Hold.class);
    assertThat(withoutTemplate.judge(wrote(Duration.ofHours(48), 5), NOW)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
  }

  @Test
  void theEventsAllowanceEndsAMinuteAfterTheClick() {
    // Proves: the 3 after a click or follow are allowed until, not at, a minute after it, and not past the 3rd.
    assertThat(withoutTemplate.judge(clicked(Duration.ofMinutes(1).minus(JUST), 2), NOW)).isInstanceOf(DeliveryPolicy.Service.class);
    assertThat(withoutTemplate.judge(clicked(Duration.ofMinutes(1), 0), NOW)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
    assertThat(withoutTemplate.judge(clicked(Duration.ZERO, 3), NOW)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
    assertThat(withTemplate.judge(clicked(Duration.ZERO, 3), NOW)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));
  }

  @Test
  void aMessageWaitsOnlyWhenTheCustomersNextMessageCanFreeIt() {
    // Proves: over the quota inside the window the message is held for the customer's next message; with the
    // window closed, or only a click's allowance used up, there is nothing to wait for and it is undeliverable.
    assertThat(withoutTemplate.judge(wrote(Duration.ofHours(47), 5), NOW)).isInstanceOfSatisfying(DeliveryPolicy.Hold.class,
        hold -> assertThat(hold.reason()).contains("waits for the next"));
    assertThat(withoutTemplate.judge(wrote(Duration.ofHours(49), 5), NOW)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
    assertThat(withoutTemplate.judge(clicked(Duration.ofSeconds(10), 3), NOW)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
    DeliveryPolicy.Recipient both = new DeliveryPolicy.Recipient(true, Optional.of(NOW.minus(Duration.ofHours(1))), 5,
        Optional.of(NOW.minus(Duration.ofSeconds(10))), 3);
    assertThat(withoutTemplate.judge(both, NOW)).isInstanceOf(DeliveryPolicy.Hold.class);
  }

  @Test
  void anUnfollowedCustomerGetsNothingWhateverTheWindowAndTemplateSay() {
    // Proves: unfollowing ends everything, even with the window open, a fresh click and a template configured.
    DeliveryPolicy.Recipient gone = new DeliveryPolicy.Recipient(false, Optional.of(NOW.minus(Duration.ofMinutes(5))), 0,
        Optional.of(NOW.minus(Duration.ofSeconds(5))), 0);
    assertThat(withTemplate.judge(gone, NOW)).isInstanceOfSatisfying(DeliveryPolicy.Undeliverable.class,
        no -> assertThat(no.reason()).contains("unfollowed"));
    assertThat(withTemplate.judge(DeliveryPolicy.Recipient.UNFOLLOWED, NOW)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
    assertThat(withTemplate.allowance(gone, NOW)).isEqualTo(new Delivery.Allowance(0, Optional.empty()));
  }

  @Test
  void theAllowanceCountsDownTheMessagesLeftInTheWindow() {
    // Proves: agents see how many of the 5 are left and when the window closes; none, and no closing time, once closed.
    Instant wrote = NOW.minus(Duration.ofHours(1));
    assertThat(withoutTemplate.allowance(wrote(Duration.ofHours(1), 2), NOW))
        .isEqualTo(new Delivery.Allowance(3, Optional.of(wrote.plus(Duration.ofHours(48)))));
    // Messages sent after a click count against the window too; the allowance does not go below none.
    assertThat(withoutTemplate.allowance(wrote(Duration.ofHours(1), 7), NOW))
        .isEqualTo(new Delivery.Allowance(0, Optional.of(wrote.plus(Duration.ofHours(48)))));
    assertThat(withoutTemplate.allowance(wrote(Duration.ofHours(48), 0), NOW)).isEqualTo(new Delivery.Allowance(0, Optional.empty()));
    assertThat(withoutTemplate.allowance(clicked(Duration.ofSeconds(5), 0), NOW)).isEqualTo(new Delivery.Allowance(0, Optional.empty()));
  }

  // The same rules over what the outbox reads of the customer and of what was sent to them.

  private long customer(Database db, String openid) throws SQLException {
    return db.inTransaction(c -> customers.findOrCreate(c, openid, NOW.minus(Duration.ofDays(30))).id());
  }

  private void did(Database db, long customerId, CustomerRepository.Activity activity, Duration ago) throws SQLException {
    db.inTransaction(c -> {
      customers.recordActivity(c, customerId, activity, NOW.minus(ago));
      return null;
    });
  }

  /** Records {@code count} customer-service messages as sent to the customer {@code ago}. */
  private void sent(Database db, long customerId, int count, Duration ago) throws SQLException {
    sent(db, customerId, count, OutboxMessage.Channel.SERVICE, ago);
  }

  private void sent(Database db, long customerId, int count, OutboxMessage.Channel channel, Duration ago) throws SQLException {
    Instant at = NOW.minus(ago);
    db.inTransaction(c -> {
      long conversationId = conversations.openFor(c, customerId, "wechat", at).id();
      for (int i = 0; i < count; i++) {
        long messageId = messages.append(c, new MessageRepository.Draft(conversationId, Message.Direction.OUT, "text", "答复", null), at).id();
        long id = outbox.addPending(c, customerId, messageId, new Reply.Text("答复"), at);
        outbox.claim(c, List.of(id), channel, at);
        outbox.sent(c, List.of(id), at);
      }
      return null;
    });
  }

  private DeliveryPolicy.Recipient recipient(Database db, long customerId) throws SQLException {
    return db.inTransaction(c -> outbox.recipient(c, customerId));
  }

  private DeliveryPolicy.Verdict judge(Database db, DeliveryPolicy policy, long customerId) throws SQLException {
    return policy.judge(recipient(db, customerId), NOW);
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void theSnapshotCountsSentServiceMessagesSinceTheCustomersMessageAndSinceTheirClick(TestStore kind) throws Exception {
    // Proves: the outbox counts customer-service messages that went out since each of the customer's actions;
    // template messages, replies in the webhook's response and messages not sent (yet) do not count.
    try (TestStore.Open store = kind.open(dir)) {
      Database db = store.db();
      long id = customer(db, "o-snapshot");
      assertThat(recipient(db, id))
          .isEqualTo(new DeliveryPolicy.Recipient(true, Optional.empty(), 0, Optional.empty(), 0));

      sent(db, id, 2, Duration.ofHours(2));
      did(db, id, CustomerRepository.Activity.MESSAGE, Duration.ofHours(1));
      sent(db, id, 3, Duration.ofMinutes(30));
      sent(db, id, 1, OutboxMessage.Channel.TEMPLATE, Duration.ofMinutes(20));
      did(db, id, CustomerRepository.Activity.EVENT, Duration.ofSeconds(30));
      sent(db, id, 1, Duration.ofSeconds(30));
      db.inTransaction(c -> {
        long conversationId = conversations.openFor(c, id, "wechat", NOW).id();
        long messageId = messages.append(c, new MessageRepository.Draft(conversationId, Message.Direction.OUT, "text", "答复", null), NOW).id();
        outbox.addReplied(c, id, messageId, new Reply.Text("答复"), NOW);
        return outbox.addPending(c, id, messageId, new Reply.Text("答复"), NOW);
      });

      assertThat(recipient(db, id)).isEqualTo(new DeliveryPolicy.Recipient(true,
          Optional.of(NOW.minus(Duration.ofHours(1))), 4, Optional.of(NOW.minus(Duration.ofSeconds(30))), 1));
      assertThat(recipient(db, id + 1000)).isEqualTo(DeliveryPolicy.Recipient.UNFOLLOWED);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void countsOnlyServiceMessagesSentSinceTheCustomerWrote(TestStore kind) throws Exception {
    // Proves: the quota restarts with each customer message, and the sixth in the window is held.
    try (TestStore.Open store = kind.open(dir)) {
      Database db = store.db();
      long id = customer(db, "o-window");
      sent(db, id, 3, Duration.ofHours(2));
      did(db, id, CustomerRepository.Activity.MESSAGE, Duration.ofHours(1));
      sent(db, id, 4, Duration.ofMinutes(30));
      assertThat(judge(db, withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Service.class);

      sent(db, id, 1, Duration.ofMinutes(10));
      assertThat(judge(db, withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Hold.class);
      assertThat(judge(db, withTemplate, id)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aCustomerWhoWroteFortyNineHoursAgoIsOutOfReach(TestStore kind) throws Exception {
    // Proves: the 48-hour window is measured from last_inbound_at; without a template nothing may go.
    try (TestStore.Open store = kind.open(dir)) {
      Database db = store.db();
      long id = customer(db, "o-old");
      did(db, id, CustomerRepository.Activity.MESSAGE, Duration.ofHours(49));
      assertThat(judge(db, withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
      assertThat(judge(db, withTemplate, id)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));

      did(db, id, CustomerRepository.Activity.MESSAGE, Duration.ofHours(47));
      assertThat(judge(db, withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Service.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void aFollowWithoutAMessageAllowsThreeWithinTheMinute(TestStore kind) throws Exception {
    // Proves: a customer who never wrote gets 3 messages in the minute after following, then none.
    try (TestStore.Open store = kind.open(dir)) {
      Database db = store.db();
      long id = customer(db, "o-follow");
      did(db, id, CustomerRepository.Activity.FOLLOW, Duration.ofSeconds(30));
      sent(db, id, 2, Duration.ofSeconds(20));
      assertThat(judge(db, withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Service.class);

      sent(db, id, 1, Duration.ofSeconds(10));
      assertThat(judge(db, withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Undeliverable.class);

      long late = customer(db, "o-click-late");
      did(db, late, CustomerRepository.Activity.EVENT, Duration.ofMinutes(2));
      assertThat(judge(db, withoutTemplate, late)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
    }
  }

  @ParameterizedTest
  @EnumSource(TestStore.class)
  void nothingGoesToSomeoneWhoUnfollowedNotEvenATemplate(TestStore kind) throws Exception {
    // Proves: an unfollowed (or unknown) customer is undeliverable whatever the window and template say.
    try (TestStore.Open store = kind.open(dir)) {
      Database db = store.db();
      long id = customer(db, "o-gone");
      did(db, id, CustomerRepository.Activity.MESSAGE, Duration.ofMinutes(5));
      did(db, id, CustomerRepository.Activity.UNFOLLOW, Duration.ofMinutes(1));
      assertThat(judge(db, withTemplate, id)).isInstanceOfSatisfying(DeliveryPolicy.Undeliverable.class,
          no -> assertThat(no.reason()).contains("unfollowed"));
      assertThat(judge(db, withoutTemplate, id + 1000)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
    }
  }
}
