package kefu.table;

import java.util.List;
import java.util.Locale;

/**
 * A column an import reads, by the name its header cell gives it.
 *
 * @param name the name as the business's staff write it, by which the column's cells are read
 * @param aliases other names the header may give it (English ones, the manuals' variants), matched ignoring case
 * @param required whether a file without it cannot be imported
 */
public record Column(String name, List<String> aliases, boolean required) {
  public Column {
    aliases = List.copyOf(aliases);
  }

  public static Column required(String name, String... aliases) {
    return new Column(name, List.of(aliases), true);
  }

  public static Column optional(String name, String... aliases) {
    return new Column(name, List.of(aliases), false);
  }

  /** Whether a header cell reading {@code header} names this column. */
  boolean named(String header) {
    return name.equals(header) || aliases.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(header.toLowerCase(Locale.ROOT)));
  }
}
