package kefu.kb;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sentence vectors kept on disk by the hash of the model name and the normalised text, so that a rebuild of
 * the index encodes only questions it has not seen.
 *
 * <p>One append-only file of fixed-size records (16-byte key, then the floats); only the key → offset map is
 * held in memory, so a cache of 100,000 vectors costs a few megabytes of heap. A record cut short by a crash
 * is dropped when the file is opened. Thread-safe.
 *
 * <p>The file is a {@link RandomAccessFile}, not a {@code FileChannel}: the engine stops a build by interrupting
 * its threads, and a channel closes itself for good when a thread using it is interrupted.
 */
public final class VectorCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VectorCache.class);
  private static final int KEY_BYTES = 16;

  private final Path file;
  private final int dimension;
  private final int recordBytes;
  private final RandomAccessFile data;
  private final Map<String, Long> offsets = new HashMap<>();
  /** Where the next record goes: the end of the last whole one, so a write that failed halfway is overwritten. */
  private long end;

  /** Opens (or creates) the cache in {@code file} for vectors of {@code dimension} floats. */
  public VectorCache(Path file, int dimension) {
    this.file = file;
    this.dimension = dimension;
    this.recordBytes = KEY_BYTES + dimension * Float.BYTES;
    try {
      Files.createDirectories(file.getParent());
      data = new RandomAccessFile(file.toFile(), "rw");
      readKeys();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the vector cache " + file, e);
    }
  }

  private void readKeys() throws IOException {
    long size = data.length();
    long whole = size - size % recordBytes;
    if (whole != size) {
      log.warn("Vector cache {} ends in a partial record; dropping its last {} bytes", file, size - whole);
      data.setLength(whole);
    }
    end = whole;
    byte[] key = new byte[KEY_BYTES];
    for (long offset = 0; offset < whole; offset += recordBytes) {
      data.seek(offset);
      data.readFully(key);
      offsets.put(HexFormat.of().formatHex(key), offset);
    }
  }

  /** Whether the vector of {@code normalizedText} is cached. */
  public synchronized boolean contains(String normalizedText) {
    return offsets.containsKey(key(normalizedText));
  }

  /** The cached vector of {@code normalizedText}, if there is one. */
  public synchronized Optional<float[]> get(String normalizedText) {
    Long offset = offsets.get(key(normalizedText));
    if (offset == null) {
      return Optional.empty();
    }
    byte[] bytes = new byte[dimension * Float.BYTES];
    try {
      data.seek(offset + KEY_BYTES);
      data.readFully(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the vector cache " + file, e);
    }
    float[] vector = new float[dimension];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
    return Optional.of(vector);
  }

  /** Stores the vector of {@code normalizedText}; a text already cached is left as it is. */
  public synchronized void put(String normalizedText, float[] vector) {
    if (vector.length != dimension) {
      throw new IllegalArgumentException("expected " + dimension + " floats, got " + vector.length);
    }
    String key = key(normalizedText);
    if (offsets.containsKey(key)) {
      return;
    }
    ByteBuffer record = ByteBuffer.allocate(recordBytes).order(ByteOrder.LITTLE_ENDIAN);
    record.put(HexFormat.of().parseHex(key));
    record.asFloatBuffer().put(vector);
    try {
      data.seek(end);
      data.write(record.array());
      offsets.put(key, end);
      end += recordBytes;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the vector cache " + file, e);
    }
  }

  /** How many vectors are cached. */
  public synchronized int size() {
    return offsets.size();
  }

  @Override
  public synchronized void close() {
    try {
      data.getFD().sync();
      data.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the vector cache " + file, e);
    }
  }

  private static String key(String normalizedText) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(SentenceEncoder.MODEL.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      byte[] digest = sha.digest(normalizedText.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, KEY_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
