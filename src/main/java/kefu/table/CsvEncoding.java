package kefu.table;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Tells how a CSV file is encoded from its bytes, never from its name: a UTF-8 byte-order mark or bytes that
 * are valid UTF-8 mean UTF-8; anything else is taken as GB18030, the superset of GBK, which is what Excel on a
 * Chinese Windows saves as "CSV".
 */
public final class CsvEncoding {
  public static final Charset GB18030 = Charset.forName("GB18030");

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  private CsvEncoding() {}

  public static Charset detect(byte[] bytes) {
    if (startsWith(bytes, UTF8_BOM) || decode(bytes, StandardCharsets.UTF_8).isPresent()) {
      return StandardCharsets.UTF_8;
    }
    return GB18030;
  }

  /** Whether the bytes start with a UTF-16 byte-order mark, as Excel's "Unicode text" does. */
  public static boolean isUtf16(byte[] bytes) {
    return startsWith(bytes, new byte[] {(byte) 0xFF, (byte) 0xFE}) || startsWith(bytes, new byte[] {(byte) 0xFE, (byte) 0xFF});
  }

  /** The text, without a byte-order mark, if every byte decodes in {@code charset}. */
  public static Optional<String> decode(byte[] bytes, Charset charset) {
    int skip = charset.equals(StandardCharsets.UTF_8) && startsWith(bytes, UTF8_BOM) ? UTF8_BOM.length : 0;
    try {
      return Optional.of(charset.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, skip, bytes.length - skip))
          .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  public static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
