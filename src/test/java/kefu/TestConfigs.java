package kefu;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import kefu.config.KefuConfig;

/** Configurations for tests that start a node: loopback, a free port, everything under one temporary directory. */
public final class TestConfigs {
  private TestConfigs() {}

  public static KefuConfig embedded(Path dir) {
    return with(dir, TestDatabases.h2(dir), Optional.empty());
  }

  public static KefuConfig with(Path dir, KefuConfig.Db db, Optional<KefuConfig.Redis> redis) {
    return new KefuConfig(
        KefuConfig.Mode.DEVELOPMENT,
        "test-node",
        new KefuConfig.Http("127.0.0.1", 0, 16 * 1024, Duration.ofSeconds(5)),
        new KefuConfig.Paths(dir, dir.resolve("knowledge-base"), Path.of("templates").toAbsolutePath()),
        db,
        redis,
        new KefuConfig.Kb(false, OptionalDouble.empty(), OptionalDouble.empty()),
        new KefuConfig.Wechat(Optional.empty(), "simulator", Optional.empty(), Duration.ofSeconds(3), Optional.empty(),
            new KefuConfig.Quotas(5, Duration.ofHours(48), 3)),
        new KefuConfig.Dialog(Duration.ofMinutes(30), 2),
        new KefuConfig.Desk(Duration.ofMinutes(30), 5, 5));
  }

  public static KefuConfig.Redis redis(String url) {
    return new KefuConfig.Redis(URI.create(url), "kefu-test-" + System.nanoTime() + ":");
  }
}
