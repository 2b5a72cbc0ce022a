package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import kefu.TestStore;
import kefu.config.KefuConfig;
import kefu.conversation.ConversationRepository;
import kefu.conversation.Message;
import kefu.conversation.MessageRepository;
import kefu.customer.CustomerRepository;
import kefu.dialog.Reply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeliveryPolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-01T08:00:00Z");
  private static final String TEMPLATE = "tmpl-service-reply";

  private final DeliveryPolicy withoutTemplate = policy(Optional.empty());
  private final DeliveryPolicy withTemplate = policy(Optional.of(TEMPLATE));
  private final CustomerRepository customers = new CustomerRepository();
  private final ConversationRepository conversations = new ConversationRepository();
  private final MessageRepository messages = new MessageRepository();
  private final Outbox outbox = new Outbox();
  @TempDir Path dir;
  private TestStore.Open store;

  /** WeChat's quotas as configured in production: 5 in 48 h after a message, 3 in the minute after an event. */
  private static DeliveryPolicy policy(Optional<String> templateId) {
    KefuConfig.Wechat wechat = new KefuConfig.Wechat(Optional.empty(), "simulator", Optional.empty(), Duration.ofSeconds(3),
        templateId, new KefuConfig.Quotas(5, Duration.ofHours(48), 3));
    return new DeliveryPolicy(wechat, new Outbox());
  }

  @BeforeEach
  void open() {
    store = TestStore.H2.open(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  // decide(): the rules themselves, from the counts judge() gathers.

  @Test
  void withinTheWindowUpToFiveServiceMessagesGo() {
    // Proves: the customer wrote within 48 h and fewer than 5 were sent since → customer-service message.
    assertThat(withoutTemplate.decide(true, 0, false, 0)).isInstanceOf(DeliveryPolicy.Service.class);
    assertThat(withoutTemplate.decide(true, 4, false, 0)).isInstanceOf(DeliveryPolicy.Service.class);
  }

  @Test
  void theSixthWaitsForTheCustomerWhenThereIsNoTemplate() {
    // Proves: with the 5 used and no template the message is held, not dropped.
    assertThat(withoutTemplate.decide(true, 5, false, 0)).isInstanceOfSatisfying(DeliveryPolicy.Hold.class,
        hold -> assertThat(hold.reason()).contains("5 customer-service messages"));
  }

  @Test
  void aConfiguredTemplateCarriesWhatServiceMessagesMayNot() {
    // Proves: over the quota, or outside the window, a configured template is used.
    assertThat(withTemplate.decide(true, 5, false, 0)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));
    assertThat(withTemplate.decide(false, 0, false, 0)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));
    assertThat(withTemplate.decide(true, 0, false, 0)).isInstanceOf(DeliveryPolicy.Service.class);
  }

  @Test
  void outsideTheWindowWithoutATemplateNothingGoes() {
    // Proves: outside the 48 h window and with no template the message is undeliverable, and says why.
    assertThat(withoutTemplate.decide(false, 0, false, 0)).isInstanceOfSatisfying(DeliveryPolicy.Undeliverable.class,
        no -> assertThat(no.reason()).contains("48-hour window").contains("wechat.service-template"));
  }

  @Test
  void aClickOrFollowAllowsThreeInTheMinuteAfter() {
    // Proves: with no message from the customer, a recent event allows 3 customer-service messages, not a 4th.
    assertThat(withoutTemplate.decide(false, 0, true, 0)).isInstanceOf(DeliveryPolicy.Service.class);
    assertThat(withoutTemplate.decide(false, 0, true, 2)).isInstanceOf(DeliveryPolicy.Service.class);
    assertThat(withoutTemplate.decide(false, 0, true, 3)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
    // In the window but over its quota, the event's allowance still lets one through.
    assertThat(withoutTemplate.decide(true, 5, true, 0)).isInstanceOf(DeliveryPolicy.Service.class);
  }

  // judge(): the same rules over what the database says of the customer and of what was sent to them.

  private long customer(String openid) throws SQLException {
    return store.db().inTransaction(c -> customers.findOrCreate(c, openid, NOW.minus(Duration.ofDays(30))).id());
  }

  private void did(long customerId, CustomerRepository.Activity activity, Duration ago) throws SQLException {
    store.db().inTransaction(c -> {
      customers.recordActivity(c, customerId, activity, NOW.minus(ago));
      return null;
    });
  }

  /** Records {@code count} customer-service messages as sent to the customer {@code ago}. */
  private void sent(long customerId, int count, Duration ago) throws SQLException {
    Instant at = NOW.minus(ago);
    store.db().inTransaction(c -> {
      long conversationId = conversations.openFor(c, customerId, "wechat", at).id();
      for (int i = 0; i < count; i++) {
        long messageId = messages.append(c, new MessageRepository.Draft(conversationId, Message.Direction.OUT, "text", "答复", null), at).id();
        long id = outbox.addPending(c, customerId, messageId, new Reply.Text("答复"), at);
        outbox.claim(c, id, OutboxMessage.Channel.SERVICE, at);
        outbox.sent(c, id, at);
      }
      return null;
    });
  }

  private DeliveryPolicy.Verdict judge(DeliveryPolicy policy, long customerId) throws SQLException {
    return store.db().inTransaction(c -> policy.judge(c, customerId, NOW));
  }

  @Test
  void countsOnlyServiceMessagesSentSinceTheCustomerWrote() throws Exception {
    // Proves: the quota restarts with each customer message, and the sixth in the window is held.
    long id = customer("o-window");
    sent(id, 3, Duration.ofHours(2));
    did(id, CustomerRepository.Activity.MESSAGE, Duration.ofHours(1));
    sent(id, 4, Duration.ofMinutes(30));
    assertThat(judge(withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Service.class);

    sent(id, 1, Duration.ofMinutes(10));
    assertThat(judge(withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Hold.class);
    assertThat(judge(withTemplate, id)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));
  }

  @Test
  void aCustomerWhoWroteFortyNineHoursAgoIsOutOfReach() throws Exception {
    // Proves: the 48-hour window is measured from last_inbound_at; without a template nothing may go.
    long id = customer("o-old");
    did(id, CustomerRepository.Activity.MESSAGE, Duration.ofHours(49));
    assertThat(judge(withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
    assertThat(judge(withTemplate, id)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));

    did(id, CustomerRepository.Activity.MESSAGE, Duration.ofHours(47));
    assertThat(judge(withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Service.class);
  }

  @Test
  void aFollowWithoutAMessageAllowsThreeWithinTheMinute() throws Exception {
    // Proves: a customer who never wrote gets 3 messages in the minute after following, then none.
    long id = customer("o-follow");
    did(id, CustomerRepository.Activity.FOLLOW, Duration.ofSeconds(30));
    sent(id, 2, Duration.ofSeconds(20));
    assertThat(judge(withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Service.class);

    sent(id, 1, Duration.ofSeconds(10));
    assertThat(judge(withoutTemplate, id)).isInstanceOf(DeliveryPolicy.Undeliverable.class);

    long late = customer("o-click-late");
    did(late, CustomerRepository.Activity.EVENT, Duration.ofMinutes(2));
    assertThat(judge(withoutTemplate, late)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
  }

  @Test
  void nothingGoesToSomeoneWhoUnfollowedNotEvenATemplate() throws Exception {
    // Proves: an unfollowed (or unknown) customer is undeliverable whatever the window and template say.
    long id = customer("o-gone");
    did(id, CustomerRepository.Activity.MESSAGE, Duration.ofMinutes(5));
    did(id, CustomerRepository.Activity.UNFOLLOW, Duration.ofMinutes(1));
    assertThat(judge(withTemplate, id)).isInstanceOfSatisfying(DeliveryPolicy.Undeliverable.class,
        no -> assertThat(no.reason()).contains("unfollowed"));
    assertThat(judge(withoutTemplate, id + 1000)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
  }
}
