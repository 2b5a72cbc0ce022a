package kefu.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reverse proxies in front of kefu whose {@code X-Forwarded-For} it believes: addresses and CIDR ranges
 * ({@code 10.0.0.0/8}, {@code 127.0.0.1}, {@code fd00::/8}); none by default.
 */
public final class TrustedProxies {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** One address range: the first {@code bits} bits of {@code network}. */
  private record Range(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int shift = address.length * 8 - bits;
      return new BigInteger(1, address).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
    }
  }

  private final List<Range> ranges;
  private final String text;

  private TrustedProxies(List<Range> ranges, String text) {
    this.ranges = List.copyOf(ranges);
    this.text = text;
  }

  /** No proxy: every request's address is its peer's. */
  public static TrustedProxies none() {
    return new TrustedProxies(List.of(), "");
  }

  /**
   * Parses a comma-separated list of addresses and CIDR ranges; empty for none.
   *
   * @throws IllegalArgumentException naming the entry that is neither
   */
  public static TrustedProxies parse(String text) {
    List<Range> ranges = new ArrayList<>();
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.trim().split("/", -1);
      Optional<InetAddress> network = parts.length <= 2 ? literal(parts[0]) : Optional.empty();
      if (network.isEmpty()) {
        throw new IllegalArgumentException("has " + entry.trim() + ", which is not an address or a range like 10.0.0.0/8");
      }
      int max = network.get().getAddress().length * 8;
      int bits = max;
      if (parts.length == 2) {
        try {
          bits = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
          bits = -1;
        }
        if (bits < 0 || bits > max) {
          throw new IllegalArgumentException("has " + entry.trim() + ", whose prefix length is not 0–" + max);
        }
      }
      ranges.add(new Range(network.get().getAddress(), bits));
    }
    return new TrustedProxies(ranges, text.trim());
  }

  /**
   * The IP address written in {@code text} (IPv4 dotted, or IPv6), without asking DNS for anything that is not
   * one; empty if it is not an address.
   */
  public static Optional<InetAddress> literal(String text) {
    String s = text.trim();
    try {
      if (IPV4.matcher(s).matches()) {
        byte[] bytes = new byte[4];
        String[] octets = s.split("\\.");
        for (int i = 0; i < 4; i++) {
          int octet = Integer.parseInt(octets[i]);
          if (octet > 255) {
            return Optional.empty();
          }
          bytes[i] = (byte) octet;
        }
        return Optional.of(InetAddress.getByAddress(bytes));
      }
      // In brackets an IPv6 text that is not an address is refused at once instead of looked up as a name.
      return s.contains(":") && !s.contains("[") ? Optional.of(InetAddress.getByName("[" + s + "]")) : Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  /** Whether a request from {@code address} comes from a trusted proxy. */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return ranges.stream().anyMatch(range -> range.contains(bytes));
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  @Override
  public String toString() {
    return "TrustedProxies[" + text + "]";
  }
}
