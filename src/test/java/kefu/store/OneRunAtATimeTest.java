package kefu.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OneRunAtATimeTest {
  @Test
  void theTimerSkipsWhileARunIsUnderWayAndACallerWaitsForIt() throws Exception {
    OneRunAtATime runs = new OneRunAtATime();
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
      try {
        return runs.run(() -> {
          inside.countDown();
          await(release);
          return "first";
        });
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(runs.busy()).isTrue();
    assertThat(runs.runIfIdle(() -> "timer")).as("skipped, not queued").isEmpty();
    CompletableFuture<String> caller = CompletableFuture.supplyAsync(() -> {
      try {
        return runs.run(() -> "caller");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertThat(caller).isNotDone();

    release.countDown();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(caller.get(10, TimeUnit.SECONDS)).isEqualTo("caller");
    assertThat(runs.busy()).isFalse();
    assertThat(runs.runIfIdle(() -> "timer")).isEqualTo(Optional.of("timer"));
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
