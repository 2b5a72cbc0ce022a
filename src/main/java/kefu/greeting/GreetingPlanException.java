package kefu.greeting;

/** A greeting plan file that cannot be used, with its file and line: kefu does not start with it. */
public final class GreetingPlanException extends RuntimeException {
  GreetingPlanException(String message) {
    super(message);
  }
}
