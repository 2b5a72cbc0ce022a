package kefu.channel.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import kefu.config.KefuConfig;
import org.junit.jupiter.api.Test;

/**
 * {@link DeliveryPolicy#judge}, the rules alone, from recipients made up here: no database. Adds to the cases of
 * {@link DeliveryPolicyTest} those where the two allowances and the template meet, and quotas other than WeChat's
 * usual ones.
 */
class DeliveryPolicyDecideTest {
  private static final String TEMPLATE = "tmpl-service-reply";

  /** WeChat's: 5 in 48 h after a message, 3 in the minute after an event. */
  private static final KefuConfig.Quotas WECHAT = new KefuConfig.Quotas(5, Duration.ofHours(48), 3);
  private final DeliveryPolicy withoutTemplate = policy(WECHAT, Optional.empty());
  private final DeliveryPolicy withTemplate = policy(WECHAT, Optional.of(TEMPLATE));

  private static DeliveryPolicy policy(KefuConfig.Quotas quotas, Optional<String> templateId) {
    return new DeliveryPolicy(new KefuConfig.Wechat(Optional.empty(), "simulator", Optional.empty(), Duration.ofSeconds(3),
        templateId, quotas));
  }

  private static final Instant NOW = Instant.parse("2026-12-06T08:00:00Z");

  /**
   * The verdict for a following customer who wrote an hour ago ({@code inWindow}) or 49 hours ago, and clicked
   * ten seconds ago ({@code eventOpen}) or never, with {@code afterInbound} and {@code afterEvent} messages sent since.
   */
  private static DeliveryPolicy.Verdict decide(DeliveryPolicy policy, boolean inWindow, int afterInbound, boolean eventOpen,
      int afterEvent) {
    Instant wrote = NOW.minus(inWindow ? Duration.ofHours(1) : Duration.ofHours(49));
    Optional<Instant> clicked = eventOpen ? Optional.of(NOW.minusSeconds(10)) : Optional.empty();
    return policy.judge(new DeliveryPolicy.Recipient(true, Optional.of(wrote), afterInbound, clicked, afterEvent), NOW);
  }

  @Test
  void eitherAllowanceIsEnough() {
    // Proves: a message goes as customer service while either the window or the event minute has some left.
    assertThat(decide(withoutTemplate, true, 4, true, 3)).isInstanceOf(DeliveryPolicy.Service.class);
    assertThat(decide(withoutTemplate, true, 5, true, 2)).isInstanceOf(DeliveryPolicy.Service.class);
    assertThat(decide(withTemplate, false, 0, true, 2)).isInstanceOf(DeliveryPolicy.Service.class);
  }

  @Test
  void bothAllowancesUsedUpHoldsInTheWindowOrFallsToTheTemplate() {
    // Proves: with both used up, the window still open means wait for the customer, unless a template can go.
    assertThat(decide(withoutTemplate, true, 5, true, 3)).isInstanceOf(DeliveryPolicy.Hold.class);
    assertThat(decide(withTemplate, true, 5, true, 3)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));
    assertThat(decide(withTemplate, false, 0, true, 3)).isEqualTo(new DeliveryPolicy.Template(TEMPLATE));
  }

  @Test
  void anEventMinuteUsedUpOutsideTheWindowIsUndeliverableWithoutATemplate() {
    // Proves: the event's allowance spent and no message from the customer in the window: nothing to wait for.
    assertThat(decide(withoutTemplate, false, 0, true, 3)).isInstanceOf(DeliveryPolicy.Undeliverable.class);
  }

  @Test
  void countsOutsideAnAllowanceDoNotMatter() {
    // Proves: what was sent counts only while its window or minute is open.
    assertThat(decide(withoutTemplate, false, 9, false, 9)).isEqualTo(decide(withoutTemplate, false, 0, false, 0));
    assertThat(decide(withoutTemplate, true, 0, false, 9)).isInstanceOf(DeliveryPolicy.Service.class);
  }

  @Test
  void theConfiguredQuotasAreTheOnesApplied() {
    // Proves: the quotas and the window come from wechat.quotas, and the reasons say the configured figures.
    DeliveryPolicy strict = policy(new KefuConfig.Quotas(1, Duration.ofHours(24), 0), Optional.empty());
    assertThat(decide(strict, true, 0, false, 0)).isInstanceOf(DeliveryPolicy.Service.class);
    assertThat(decide(strict, true, 1, false, 0)).isInstanceOfSatisfying(DeliveryPolicy.Hold.class,
        hold -> assertThat(hold.reason()).startsWith("1 customer-service messages"));
    // No allowance after an event at all.
    assertThat(decide(strict, false, 0, true, 0)).isInstanceOfSatisfying(DeliveryPolicy.Undeliverable.class,
        no -> assertThat(no.reason()).contains("24-hour window"));
  }
}
