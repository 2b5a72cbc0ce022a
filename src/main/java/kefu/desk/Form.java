package kefu.desk;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fields of a console form post, read without surrounding white space and checked as they are read: a field out
 * of bounds ends the request with 400 before anything is looked up or changed.
 */
final class Form {
  private static final Pattern WORD_BREAKS = Pattern.compile("[,,\\s]+");

  private final RoutingContext ctx;

  Form(RoutingContext ctx) {
    this.ctx = ctx;
  }

  /** The field, empty if the post has none; 400 if it is longer than {@code max} characters. */
  String text(String name, int max) {
    return text(name, 0, max);
  }

  /** The field; 400 unless it has {@code min} to {@code max} characters. */
  String text(String name, int min, int max) {
    String value = DeskPages.field(ctx, name);
    return checked(value, value.length() >= min && value.length() <= max);
  }

  /** The field if it is filled in; 400 if it is longer than {@code max} characters. */
  Optional<String> given(String name, int max) {
    return Optional.of(text(name, max)).filter(value -> !value.isEmpty());
  }

  /** The field if it is filled in. */
  Optional<String> given(String name) {
    return given(name, Integer.MAX_VALUE);
  }

  /** The field if it is filled in; 400 if it is filled in otherwise than {@code pattern} says. */
  Optional<String> matching(String name, Pattern pattern) {
    Optional<String> value = given(name);
    return checked(value, value.map(v -> pattern.matcher(v).matches()).orElse(true));
  }

  /** The words of the field, split at commas and spaces; 400 if, joined by commas, they are longer than {@code max}. */
  List<String> words(String name, int max) {
    List<String> words = Stream.of(WORD_BREAKS.split(DeskPages.field(ctx, name))).filter(w -> !w.isEmpty()).toList();
    return checked(words, String.join(",", words).length() <= max);
  }

  /** The day the field names (2027-05-01), if it is filled in; 400 if it names none. */
  Optional<LocalDate> day(String name) {
    try {
      return given(name).map(LocalDate::parse);
    } catch (DateTimeParseException e) {
      throw new HttpException(400);
    }
  }

  /** The date and time the field names as a datetime-local field sends them (2027-05-01T09:30), if filled in; else 400. */
  Optional<LocalDateTime> dateTime(String name) {
    try {
      return given(name).map(LocalDateTime::parse);
    } catch (DateTimeParseException e) {
      throw new HttpException(400);
    }
  }

  /** The number in the field; 400 if there is none. */
  long number(String name) {
    try {
      return Long.parseLong(DeskPages.field(ctx, name));
    } catch (NumberFormatException e) {
      throw new HttpException(400);
    }
  }

  /** The constant of {@code type} the field names in lower case (major for MAJOR); 400 if it names none. */
  <E extends Enum<E>> E choice(String name, Class<E> type) {
    try {
      return Enum.valueOf(type, DeskPages.field(ctx, name).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpException(400);
    }
  }

  /** Whether the field says yes, as a confirmation does. */
  boolean yes(String name) {
    return "yes".equals(DeskPages.field(ctx, name));
  }

  private static <T> T checked(T value, boolean valid) {
    if (!valid) {
      throw new HttpException(400);
    }
    return value;
  }
}
