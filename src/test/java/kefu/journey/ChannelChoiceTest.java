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
  private static final Reasons REASONS = new Reasons(Journeys.TEMPLATES);

  private static ChannelChoice.Choice choose(Delivery.Allowance allowance, Consent consent, Set<Channel> refused, boolean serviceNotice,
      boolean templates) {
    return ChannelChoice.choose(new ChannelChoice.Customer(true, true, allowance, consent), refused, serviceNotice, templates, Journeys.SHANGHAI, REASONS);
  }

  private static ChannelChoice.Choice choose(Delivery.Allowance allowance, boolean serviceNotice, boolean templates) {
    return choose(allowance, Consent.NONE, NONE_REFUSED, serviceNotice, templates);
  }

  @Test
  void insideTheWindowACustomerServiceMessage() {
    assertThat(choose(OPEN, Consent.UNUSED, NONE_REFUSED, false, false)).isEqualTo(new ChannelChoice.Choice(Channel.SERVICE,
        "以客服消息发送：客户最近一次互动后的服务窗口内（2026-12-09 18:00 前可发，还可发 3 条）"));
  }

  @Test
  void aSpentQuotaIsRefusedAndSaidSo() {
    ChannelChoice.Choice choice = choose(SPENT, true, true);
    assertThat(choice.channel()).isEqualTo(Channel.TEMPLATE);
    assertThat(choice.reason()).startsWith("不能发客服消息：本次服务窗口的条数已用完；");
  }

  @Test
  void outsideTheWindowAConsentedSubscriptionNoticeComesFirstEvenForANonServiceStep() {
    assertThat(choose(CLOSED, Consent.UNUSED, NONE_REFUSED, false, true)).isEqualTo(new ChannelChoice.Choice(Channel.SUBSCRIBE,
        "不能发客服消息：客户已超过 48 小时未发消息；以订阅通知发送：使用客户的一次授权"));
    assertThat(choose(CLOSED, Consent.UNUSED, NONE_REFUSED, true, true).channel()).isEqualTo(Channel.SUBSCRIBE);
  }

  @Test
  void outsideTheWindowATemplateOnlyForAServiceNoticeWithATemplateElseACall() {
    assertThat(choose(CLOSED, true, true).channel()).isEqualTo(Channel.TEMPLATE);
    assertThat(choose(CLOSED, true, false).channel()).isEqualTo(Channel.CALL_TASK);
    assertThat(choose(CLOSED, false, true).channel()).isEqualTo(Channel.CALL_TASK);
    assertThat(choose(CLOSED, false, true).reason()).isEqualTo("不能发客服消息：客户已超过 48 小时未发消息；不能发订阅通知：客户没有未使用的授权；"
        + "不能发模板消息：此步骤不是服务通知；转为电话回访，由负责客服拨打");
    assertThat(choose(CLOSED, Consent.NOT_CONFIGURED, NONE_REFUSED, true, false).reason()).contains(
        "不能发订阅通知：未配置订阅通知模板", "不能发模板消息：未配置模板消息");
  }

  @Test
  void eachWayWeChatRefusedIsPassedOverForTheNext() {
    assertThat(choose(OPEN, Consent.UNUSED, EnumSet.of(Channel.SERVICE), true, true).channel()).isEqualTo(Channel.SUBSCRIBE);
    assertThat(choose(OPEN, Consent.UNUSED, EnumSet.of(Channel.SERVICE, Channel.SUBSCRIBE), true, true).channel()).isEqualTo(Channel.TEMPLATE);
    ChannelChoice.Choice last = choose(OPEN, Consent.UNUSED, EnumSet.of(Channel.SERVICE, Channel.SUBSCRIBE, Channel.TEMPLATE), true, true);
    assertThat(last).isEqualTo(new ChannelChoice.Choice(Channel.CALL_TASK, "不能发客服消息：微信已拒收；"
        + "不能发订阅通知：微信已拒收；不能发模板消息：微信已拒收；转为电话回访，由负责客服拨打"));
  }

  @Test
  void noFollowerNoMessage() {
    assertThat(ChannelChoice.choose(new ChannelChoice.Customer(false, false, CLOSED, Consent.NOT_CONFIGURED), NONE_REFUSED, true, true,
        Journeys.SHANGHAI, REASONS)).isEqualTo(new ChannelChoice.Choice(Channel.CALL_TASK, "档案未关联微信，转为电话回访"));
    assertThat(ChannelChoice.choose(new ChannelChoice.Customer(true, false, OPEN, Consent.UNUSED), NONE_REFUSED, true, true,
        Journeys.SHANGHAI, REASONS).channel()).isEqualTo(Channel.CALL_TASK);
  }
}
