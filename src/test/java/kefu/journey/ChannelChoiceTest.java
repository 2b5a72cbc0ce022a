package kefu.journey;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import kefu.conversation.Delivery;
import org.junit.jupiter.api.Test;

class ChannelChoiceTest {
  private static final Delivery.Allowance OPEN = new Delivery.Allowance(3, Optional.of(Instant.parse("2026-12-09T10:00:00Z")));
  private static final Delivery.Allowance SPENT = new Delivery.Allowance(0, Optional.of(Instant.parse("2026-12-09T10:00:00Z")));
  private static final Delivery.Allowance CLOSED = new Delivery.Allowance(0, Optional.empty());

  private static ChannelChoice.Choice choose(Delivery.Allowance allowance, boolean serviceNotice, boolean templates) {
    return ChannelChoice.choose(new ChannelChoice.Customer(true, true, allowance), serviceNotice, templates, Journeys.SHANGHAI);
  }

  @Test
  void insideTheWindowACustomerServiceMessage() {
    assertThat(choose(OPEN, false, false)).isEqualTo(new ChannelChoice.Choice(ChannelChoice.Channel.SERVICE,
        "customer-service message: within the window after the customer's last message (open until 2026-12-09 18:00, 3 left)"));
  }

  @Test
  void aSpentQuotaIsRefusedAndSaidSo() {
    ChannelChoice.Choice choice = choose(SPENT, true, true);
    assertThat(choice.channel()).isEqualTo(ChannelChoice.Channel.TEMPLATE);
    assertThat(choice.reason()).startsWith("no customer-service message: WeChat's quota for this window is spent; ");
  }

  @Test
  void outsideTheWindowATemplateOnlyForAServiceNoticeWithATemplateElseACall() {
    assertThat(choose(CLOSED, true, true).channel()).isEqualTo(ChannelChoice.Channel.TEMPLATE);
    assertThat(choose(CLOSED, true, false).channel()).isEqualTo(ChannelChoice.Channel.CALL_TASK);
    assertThat(choose(CLOSED, false, true).channel()).isEqualTo(ChannelChoice.Channel.CALL_TASK);
    assertThat(choose(CLOSED, false, true).reason()).isEqualTo("no customer-service message: outside the 48-hour window after the"
        + " customer's last message; no subscription notice: kefu does not record the customers' consents yet; no template message:"
        + " the step is not a service notice; call task for the owner");
  }

  @Test
  void noFollowerNoMessage() {
    assertThat(ChannelChoice.choose(new ChannelChoice.Customer(false, false, CLOSED), true, true, Journeys.SHANGHAI))
        .isEqualTo(new ChannelChoice.Choice(ChannelChoice.Channel.CALL_TASK, "call task: the record is not linked to a WeChat follower"));
    assertThat(ChannelChoice.choose(new ChannelChoice.Customer(true, false, OPEN), true, true, Journeys.SHANGHAI).channel())
        .isEqualTo(ChannelChoice.Channel.CALL_TASK);
  }
}
