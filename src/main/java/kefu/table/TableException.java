package kefu.table;

/** A table that cannot be read at all: unreadable, of an unknown format, without the needed columns. */
public final class TableException extends Exception {
  private final int line;

  /** @param line 1-based; 0 when it is about the whole file */
  public TableException(int line, String message) {
    super(message);
    this.line = line;
  }

  public int line() {
    return line;
  }
}
