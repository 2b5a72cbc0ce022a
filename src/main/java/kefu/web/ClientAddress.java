package kefu.web;

import io.vertx.core.http.HttpServerRequest;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import kefu.config.TrustedProxies;

/**
 * The address a request comes from: its peer's, or, when the peer is a trusted proxy, the right-most address of
 * {@code X-Forwarded-For} that is not a trusted proxy — the one the proxies themselves wrote, which the client
 * cannot choose (whatever it sends itself stands further left).
 */
public final class ClientAddress {
  private final TrustedProxies proxies;

  public ClientAddress(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  public String of(HttpServerRequest request) {
    String peer = request.remoteAddress().hostAddress();
    Optional<InetAddress> hop = TrustedProxies.literal(peer);
    if (hop.isEmpty() || !proxies.contains(hop.get())) {
      return peer;
    }
    List<String> forwarded = request.headers().getAll("X-Forwarded-For").stream()
        .flatMap(header -> List.of(header.split(",")).stream()).map(String::trim).toList();
    for (int i = forwarded.size() - 1; i >= 0; i--) {
      Optional<InetAddress> next = TrustedProxies.literal(forwarded.get(i));
      if (next.isEmpty()) {
        // A proxy wrote something that is no address: what it says cannot be told apart from a client's claim.
        return hop.get().getHostAddress();
      }
      hop = next;
      if (!proxies.contains(hop.get())) {
        return hop.get().getHostAddress();
      }
    }
    return hop.get().getHostAddress();
  }
}
