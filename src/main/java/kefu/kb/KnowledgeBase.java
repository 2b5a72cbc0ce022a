package kefu.kb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A loaded, valid knowledge base: every entry of every topic file, and the synonym groups.
 *
 * @param entries in file-name order, then in the order of each file
 * @param synonymGroups one list per line of {@code synonyms.txt}, the standard word first
 */
public record KnowledgeBase(List<Entry> entries, List<List<String>> synonymGroups) {
  public KnowledgeBase {
    entries = List.copyOf(entries);
    synonymGroups = synonymGroups.stream().map(List::copyOf).toList();
  }

  /**
   * A SHA-256 hash, in hex, of what the knowledge base says: entries and synonyms. Files and line numbers are
   * not part of it, so moving an entry or adding a blank line changes nothing; any change to a field does.
   */
  public String fingerprint() {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (Entry entry : entries) {
      field(content, entry.id());
      field(content, entry.topic());
      field(content, entry.question());
      fields(content, entry.similar());
      field(content, entry.answer());
      fields(content, entry.tags());
      field(content, Boolean.toString(entry.handoff()));
      field(content, entry.validUntil().map(Object::toString).orElse(""));
    }
    fields(content, List.of("synonyms"));
    for (List<String> group : synonymGroups) {
      fields(content, group);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  // Each value is length-prefixed, so no two different contents give the same bytes.
  private static void field(ByteArrayOutputStream out, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >>> 24);
    out.write(bytes.length >>> 16);
    out.write(bytes.length >>> 8);
    out.write(bytes.length);
    out.writeBytes(bytes);
  }

  private static void fields(ByteArrayOutputStream out, List<String> values) {
    field(out, Integer.toString(values.size()));
    values.forEach(value -> field(out, value));
  }
}
