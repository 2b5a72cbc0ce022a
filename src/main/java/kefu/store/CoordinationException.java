package kefu.store;

/** Thrown by {@link Coordination} when the coordination store cannot be reached or fails a command. */
public class CoordinationException extends RuntimeException {

  public CoordinationException(String message, Throwable cause) {
    super(message, cause);
  }
}
