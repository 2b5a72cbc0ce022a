package kefu.desk;

import io.vertx.ext.auth.hashing.HashingStrategy;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Hashes and checks agents' passwords with PBKDF2-HMAC-SHA512 (Vert.x's hashing strategy, PHC string format) at
 * OWASP's recommended 210,000 iterations. Slow on purpose: call it on a worker thread.
 */
public final class Passwords {
  /** The shortest password accepted. */
  public static final int MIN_LENGTH = 10;
  private static final int ITERATIONS = 210_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final HashingStrategy strategy = HashingStrategy.load();

  public String hash(String password) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return strategy.hash("pbkdf2", Map.of("it", Integer.toString(ITERATIONS)),
        Base64.getEncoder().withoutPadding().encodeToString(salt), password);
  }

  public boolean matches(String hash, String password) {
    return strategy.verify(hash, password);
  }

  /** Why {@code password} is too weak, or null if it will do. */
  public static String weakness(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      return "a password needs at least " + MIN_LENGTH + " characters";
    }
    return null;
  }
}
