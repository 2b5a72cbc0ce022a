package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class SentenceEncoderTest {
  private final SentenceEncoder encoder = TestEncoder.shared();

  @Test
  void vectorsAreUnitLengthAndStable() {
    float[] a = encoder.encode("怎么预约拍摄婚纱照");
    assertThat(a).hasSize(SentenceEncoder.DIMENSION);
    assertThat(dot(a, a)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(encoder.encode("怎么预约拍摄婚纱照")).containsExactly(a);
  }

  @Test
  void paraphrasesAreCloserThanUnrelatedQuestions() {
    float[] booking = encoder.encode("怎么预约拍摄婚纱照");
    float[] paraphrase = encoder.encode("婚纱照要怎么约");
    float[] unrelated = encoder.encode("打印机卡纸了怎么办");
    assertThat(dot(booking, paraphrase)).isGreaterThan(dot(booking, unrelated) + 0.1);
  }

  @Test
  void aCloseWaitsForTheEncodingsUnderWayAndRefusesLaterOnes() throws Exception {
    // Proves: closing while other threads encode neither crashes the JVM (ONNX Runtime freed under a running
    // session did, on a stop during the first index build) nor loses an encoding begun; afterwards encode refuses.
    SentenceEncoder own = new SentenceEncoder();
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CountDownLatch encoding = new CountDownLatch(2);
    List<Future<Integer>> loops = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      loops.add(threads.submit(() -> {
        int done = 0;
        try {
          while (true) {
            assertThat(own.encode("婚纱照要怎么约" + done)).hasSize(SentenceEncoder.DIMENSION);
            if (++done == 1) {
              encoding.countDown();
            }
          }
        } catch (IllegalStateException closed) {
          assertThat(closed).hasMessageContaining("closed");
          return done;
        }
      }));
    }
    assertThat(encoding.await(60, TimeUnit.SECONDS)).isTrue();
    own.close();
    for (Future<Integer> loop : loops) {
      assertThat(loop.get(60, TimeUnit.SECONDS)).isPositive();
    }
    threads.shutdown();
    assertThatThrownBy(() -> own.encode("还在吗")).isInstanceOf(IllegalStateException.class);
    own.close(); // a second close does nothing
  }

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
