package kefu.kb;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One mistake in a knowledge-base or import file, at a line, shown as {@code file:line: message} so editors
 * and terminals can jump to it.
 *
 * @param file the file (or directory) the problem is in
 * @param line 1-based; 0 when the problem is about the whole file, shown then as {@code file: message}
 * @param message what is wrong, in words an editor of the file understands
 */
public record Problem(Path file, int line, String message) {
  public Problem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
  }
}
