package kefu.journey;

/** A plan file that cannot be used, with its file and line: kefu does not start with it. */
public final class PlanException extends RuntimeException {
  PlanException(String message) {
    super(message);
  }
}
