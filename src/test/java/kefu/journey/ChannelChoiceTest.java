package kefu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import kefu.conversation.Delivery;
import kefu.journey.ChannelChoice.Channel;
import kefu.journey.ChannelChoice.Consent;
import org.junit.jupiter.api.Test;

class ChannelChoiceTest {
  private static final Delivery.Allowance OPEN = new Delivery.Allowance(3, Optional.of(Instant.parse("2026-12-09T10:00:00Z")));
  private static final Delivery.Allowance SPENT = new Delivery.Allowance(0, Optional.of(Instant.parse("2026-12-09T10:00:00Z")));
  private static final Delivery.Allowance CLOSED = new Delivery.Allowance(0, Optional.empty());
  private static final Set<Channel> NONE_REFUSED = EnumSet.noneOf(Channel.class);

  private static ChannelChoice.Choice choose(Delivery.Allowance allowance, Consent consent, Set<Channel> refused, boolean serviceNotice,
      boolean templates) {
    return ChannelChoice.choose(new ChannelChoice.Customer(true, true, allowance, consent), refused, serviceNotice, templates, Journeys.SHANGHAI);
  }

  private static ChannelChoice.Choice choose(Delivery.Allowance allowance, boolean serviceNotice, boolean templates) {
    return choose(allowance, Consent.NONE, NONE_REFUSED, serviceNotice, templates);
  }

  @Test
  void insideTheWindowACustomerServiceMessage() {
    assertThat(choose(OPEN, Consent.UNUSED, NONE_REFUSED, false, false)).isEqualTo(new ChannelChoice.Choice(Channel.SERVICE,
        "customer-service message: within the window after the customer's last message (open until 2026-12-09 18:00, 3 left)"));
  }

  @Test
  void aSpentQuotaIsRefusedAndSaidSo() {
    ChannelChoice.Choice choice = choose(SPENT, true, true);
    assertThat(choice.channel()).isEqualTo(Channel.TEMPLATE);
    assertThat(choice.reason()).startsWith("no customer-service message: WeChat's quota for this window is spent; ");
  }

  @Test
  void outsideTheWindowAConsentedSubscriptionNoticeComesFirstEvenForANonServiceStep() {
    assertThat(choose(CLOSED, Consent.UNUSED, NONE_REFUSED, false, true)).isEqualTo(new ChannelChoice.Choice(Channel.SUBSCRIBE,
        "no customer-service message: outside the 48-hour window after the customer's last message;"
            + " subscription notice: the customer allowed one, used now"));
    assertThat(choose(CLOSED, Consent.UNUSED, NONE_REFUSED, true, true).channel()).isEqualTo(Channel.SUBSCRIBE);
  }

  @Test
  void outsideTheWindowATemplateOnlyForAServiceNoticeWithATemplateElseACall() {
    assertThat(choose(CLOSED, true, true).channel()).isEqualTo(Channel.TEMPLATE);
    assertThat(choose(CLOSED, true, false).channel()).isEqualTo(Channel.CALL_TASK);
    assertThat(choose(CLOSED, false, true).channel()).isEqualTo(Channel.CALL_TASK);
    assertThat(choose(CLOSED, false, true).reason()).isEqualTo("no customer-service message: outside the 48-hour window after the"
        + " customer's last message; no subscription notice: the customer has no unused \"Allow\" for it; no template message:"
        + " the step is not a service notice; call task for the owner");
    assertThat(choose(CLOSED, Consent.NOT_CONFIGURED, NONE_REFUSED, true, false).reason()).contains(
        "no subscription notice: journey.subscribe-template is not configured",
        "no template message: wechat.service-template is not configured");
  }

  @Test
  void eachWayWeChatRefusedIsPassedOverForTheNext() {
    assertThat(choose(OPEN, Consent.UNUSED, EnumSet.of(Channel.SERVICE), true, true).channel()).isEqualTo(Channel.SUBSCRIBE);
    assertThat(choose(OPEN, Consent.UNUSED, EnumSet.of(Channel.SERVICE, Channel.SUBSCRIBE), true, true).channel()).isEqualTo(Channel.TEMPLATE);
    ChannelChoice.Choice last = choose(OPEN, Consent.UNUSED, EnumSet.of(Channel.SERVICE, Channel.SUBSCRIBE, Channel.TEMPLATE), true, true);
    assertThat(last).isEqualTo(new ChannelChoice.Choice(Channel.CALL_TASK, "no customer-service message: WeChat refused it;"
        + " no subscription notice: WeChat refused it; no template message: WeChat refused it; call task for the owner"));
  }

  @Test
  void noFollowerNoMessage() {
    assertThat(ChannelChoice.choose(new ChannelChoice.Customer(false, false, CLOSED, Consent.NOT_CONFIGURED), NONE_REFUSED, true, true,
        Journeys.SHANGHAI)).isEqualTo(new ChannelChoice.Choice(Channel.CALL_TASK, "call task: the record is not linked to a WeChat follower"));
    assertThat(ChannelChoice.choose(new ChannelChoice.Customer(true, false, OPEN, Consent.UNUSED), NONE_REFUSED, true, true,
        Journeys.SHANGHAI).channel()).isEqualTo(Channel.CALL_TASK);
  }
}
