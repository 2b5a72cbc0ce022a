package kefu.store;

/** The SQL store cannot be reached or brought up to date. */
public final class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
