package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

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

  static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
