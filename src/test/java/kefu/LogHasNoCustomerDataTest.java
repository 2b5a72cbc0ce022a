package kefu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The log of the whole test run holds no customer data: no openid or message text a test sent as WeChat, no mobile
 * number. Runs after every other test class ({@link LastClassOrderer}); every line of the run is in
 * {@code target/test-run.log} (logback-test.xml).
 */
class LogHasNoCustomerDataTest {
  static final Path RUN_LOG = Path.of("target", "test-run.log");
  /** A mainland mobile number, not part of a longer number; a masked one (138****5678) is not one. */
  static final Pattern PHONE = Pattern.compile("(?<![0-9])1[3-9][0-9]{9}(?![0-9])");
  static final Pattern NOT_IN_AN_OPENID = Pattern.compile("[^A-Za-z0-9_-]+");

  @Test
  void noLineOfTheRunHoldsAnOpenidAMessageTextOrAPhoneNumber() throws IOException {
    Set<String> openids = CustomerData.openids();
    Set<String> texts = CustomerData.texts();
    assumeTrue(!openids.isEmpty(), "only meaningful after the tests that send messages, in the whole suite");
    List<String> found = new ArrayList<>();
    for (String line : Files.readAllLines(RUN_LOG, StandardCharsets.UTF_8)) {
      boolean hasOpenid = Arrays.stream(NOT_IN_AN_OPENID.split(line)).anyMatch(openids::contains);
      if (hasOpenid || PHONE.matcher(line).find() || texts.stream().anyMatch(line::contains)) {
        found.add(line.length() > 200 ? line.substring(0, 200) + "…" : line);
      }
    }
    assertThat(found).as("lines of %s with an openid, a message text or a phone number (of %d openids, %d texts)",
        RUN_LOG, openids.size(), texts.size()).isEmpty();
  }
}
