package kefu.kb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorCacheTest {
  @TempDir Path dir;

  @Test
  void vectorsSurviveReopening() {
    Path file = dir.resolve("vectors.bin");
    try (VectorCache cache = new VectorCache(file, 3)) {
      cache.put("怎么预约", new float[] {0.1f, 0.2f, 0.3f});
      cache.put("怎么预约", new float[] {9, 9, 9}); // already cached: kept as it was
      cache.put("保修多久", new float[] {1, 0, 0});
    }
    try (VectorCache cache = new VectorCache(file, 3)) {
      assertThat(cache.size()).isEqualTo(2);
      assertThat(cache.get("怎么预约")).hasValueSatisfying(v -> assertThat(v).containsExactly(0.1f, 0.2f, 0.3f));
      assertThat(cache.get("保修多久")).hasValueSatisfying(v -> assertThat(v).containsExactly(1f, 0f, 0f));
      assertThat(cache.get("没见过")).isEmpty();
    }
  }

  @Test
  void aRecordCutShortByACrashIsDropped() throws Exception {
    Path file = dir.resolve("vectors.bin");
    try (VectorCache cache = new VectorCache(file, 3)) {
      cache.put("a", new float[] {1, 2, 3});
    }
    Files.write(file, new byte[] {1, 2, 3, 4, 5}, StandardOpenOption.APPEND);
    try (VectorCache cache = new VectorCache(file, 3)) {
      assertThat(cache.size()).isEqualTo(1);
      cache.put("b", new float[] {4, 5, 6});
      assertThat(cache.get("b")).hasValueSatisfying(v -> assertThat(v).containsExactly(4f, 5f, 6f));
    }
    try (VectorCache cache = new VectorCache(file, 3)) {
      assertThat(cache.get("a")).hasValueSatisfying(v -> assertThat(v).containsExactly(1f, 2f, 3f));
      assertThat(cache.get("b")).isPresent();
    }
  }

  @Test
  void anInterruptedThreadLeavesTheCacheWorking() {
    // The engine stops a build by interrupting its threads; a FileChannel would close itself under them.
    Path file = dir.resolve("vectors.bin");
    try (VectorCache cache = new VectorCache(file, 3)) {
      Thread.currentThread().interrupt();
      try {
        cache.put("a", new float[] {1, 2, 3});
        assertThat(cache.get("a")).isPresent();
      } finally {
        Thread.interrupted();
      }
      cache.put("b", new float[] {4, 5, 6});
      assertThat(cache.get("b")).hasValueSatisfying(v -> assertThat(v).containsExactly(4f, 5f, 6f));
    }
    try (VectorCache cache = new VectorCache(file, 3)) {
      assertThat(cache.size()).isEqualTo(2);
    }
  }
}
