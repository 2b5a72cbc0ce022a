package kefu.config;

/** A configuration that kefu cannot start with; the message is one line naming the key and what is wrong. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
