package kefu.kb;

/** One BGE model for the whole test run: loading it takes a second and a hundred megabytes. */
final class TestEncoder {
  private static SentenceEncoder shared;

  private TestEncoder() {}

  static synchronized SentenceEncoder shared() {
    if (shared == null) {
      shared = new SentenceEncoder();
    }
    return shared;
  }
}
