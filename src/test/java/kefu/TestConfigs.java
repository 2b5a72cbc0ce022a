package kefu;

import java.net.URI;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.OptionalDouble;
import kefu.config.BusinessCalendar;
import kefu.config.KefuConfig;
import kefu.config.TrustedProxies;

/** Configurations for tests that start a node: loopback, a free port, everything under one temporary directory. */
public final class TestConfigs {
  private TestConfigs() {}

  /** The key for {@code /api/kb/search} in every test configuration. */
  public static final String API_KEY = "test-api-key-0123456789abcdef";
  /** The key of the integration {@code erp} for {@code /api/milestones} in every test configuration. */
  public static final String INTEGRATION_KEY = "test-erp-key-0123456789abcdef";

  /** Every day, all day: tests that are not about working hours do not depend on when they run. */
  public static final BusinessCalendar ALWAYS_OPEN = new BusinessCalendar(ZoneId.of("Asia/Shanghai"), LocalTime.MIN,
      LocalTime.MAX, EnumSet.allOf(DayOfWeek.class), Set.of(), Set.of());

  public static KefuConfig embedded(Path dir) {
    return with(dir, TestDatabases.h2(dir), Optional.empty());
  }

  public static KefuConfig with(Path dir, KefuConfig.Db db, Optional<KefuConfig.Redis> redis) {
    return new KefuConfig(
        KefuConfig.Mode.DEVELOPMENT,
        "test-node",
        new KefuConfig.Http("127.0.0.1", 0, 16 * 1024, Duration.ofSeconds(5), TrustedProxies.none(), Optional.of(API_KEY),
            Map.of("erp", INTEGRATION_KEY)),
        new KefuConfig.Paths(dir, dir.resolve("knowledge-base"), Path.of("templates").toAbsolutePath()),
        db,
        redis,
        new KefuConfig.Kb(false, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty()),
        new KefuConfig.Wechat(Optional.empty(), "simulator", Optional.empty(), Duration.ofSeconds(3), Optional.empty(),
            new KefuConfig.Quotas(5, Duration.ofHours(48), 3)),
        new KefuConfig.Dialog(Duration.ofMinutes(30), 2, true),
        new KefuConfig.Desk(Duration.ofMinutes(30), 5, 5, ALWAYS_OPEN, LocalTime.of(18, 0), Optional.empty(),
            Duration.ofMinutes(30), Duration.ofMinutes(10)),
        KefuConfig.Journey.DEFAULTS,
        new KefuConfig.Report(LocalTime.of(9, 0), LocalTime.of(9, 0), 3, Optional.empty()));
  }

  public static KefuConfig.Redis redis(String url) {
    return new KefuConfig.Redis(URI.create(url), "kefu-test-" + System.nanoTime() + ":");
  }
}
