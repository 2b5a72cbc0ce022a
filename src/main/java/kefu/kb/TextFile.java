package kefu.kb;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Reads a knowledge-base file as UTF-8 text, refusing files too large to be one topic or not UTF-8. */
final class TextFile {
  /** The largest file read; a topic file is a few kilobytes, so anything near this is a mistake. */
  static final long MAX_BYTES = 5L << 20;

  private TextFile() {}

  /** The text without a byte-order mark, or empty after adding the reason to {@code problems}. */
  static Optional<String> read(Path file, List<Problem> problems) {
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        problems.add(new Problem(file, 0, String.format(
            "%.1f MB is over the limit of %d MB for one file; split it into several files", size / 1048576.0, MAX_BYTES >> 20)));
        return Optional.empty();
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      problems.add(new Problem(file, 0, "cannot be read: " + e.getMessage()));
      return Optional.empty();
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      problems.add(new Problem(file, lineAt(bytes, in.position()), "not UTF-8 text; save the file with the encoding UTF-8"));
      return Optional.empty();
    }
    decoder.flush(out);
    String text = out.flip().toString();
    // Notepad on Windows starts UTF-8 files with a byte-order mark.
    return Optional.of(text.startsWith("\uFEFF") ? text.substring(1) : text);
  }

  private static int lineAt(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }
}
