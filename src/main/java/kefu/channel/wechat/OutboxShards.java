package kefu.channel.wechat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import kefu.store.Coordination;
import kefu.store.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which shards of the outbox this node sends, each under a lease of its own, spread evenly over the nodes that send.
 *
 * <p>A customer belongs to shard {@code customer_id mod COUNT}, so one sender at a time writes to a customer: their
 * messages go in order and WeChat's quotas for them are counted in one place. Each sending node also keeps a
 * member key ({@code wechat-outbox-member-i}); a node's share is {@code ceil(COUNT / members)} shards, so a node
 * holding more than that gives the extra ones back (between batches, once their outcomes are recorded) and a node
 * holding fewer takes free ones. The member count only spreads the work; the leases alone keep two nodes off one
 * shard, so a miscount costs evenness, never a message sent twice.
 *
 * <p>Used by one thread at a time (the sender's drain).
 */
final class OutboxShards implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OutboxShards.class);
  /** More than the nodes a business runs, few enough that a lone node renews them all cheaply. */
  static final int COUNT = 8;
  private static final String LEASE = "wechat-outbox-shard-";
  private static final String MEMBER = "wechat-outbox-member-";
  private static final Duration TTL = Duration.ofSeconds(30);
  /** A third of the lease: renewed this often while sending, it outlives two slow batches in a row. */
  private static final Duration RENEW_EVERY = TTL.dividedBy(3);

  private final Coordination coordination;
  private final String token = UUID.randomUUID().toString();
  private final TreeMap<Integer, Lease> held = new TreeMap<>();
  private volatile int heldCount;
  private int member = -1;
  private int share;
  /** When leases and membership were last renewed (System.nanoTime). */
  private long renewedAt;

  OutboxShards(Coordination coordination) {
    this.coordination = coordination;
  }

  /** The shard a customer's messages are sent in. */
  static int of(long customerId) {
    return (int) Math.floorMod(customerId, (long) COUNT);
  }

  /**
   * Renews the leases when due, gives back shards beyond this node's share and takes free ones up to it. Returns
   * the shards taken now: what is marked as being sent in them was left by a sender that stopped.
   *
   * @throws kefu.store.CoordinationException if the coordination store does not answer
   */
  List<Integer> refresh() {
    boolean due = System.nanoTime() - renewedAt >= RENEW_EVERY.toNanos();
    if (!due && member >= 0 && held.size() >= share) {
      return List.of();
    }
    int members = join();
    held.entrySet().removeIf(shard -> {
      if (due && !shard.getValue().renew(TTL)) {
        log.warn("Outbox: lost the lease of shard {}; another node sends it now", shard.getKey());
        return true;
      }
      return false;
    });
    renewedAt = System.nanoTime();
    share = member < 0 ? 0 : (COUNT + members - 1) / members;
    while (held.size() > share) {
      held.pollLastEntry().getValue().release();
    }
    List<Integer> taken = new ArrayList<>();
    // Each member starts looking at its own part, so nodes starting together seldom want the same shard.
    for (int i = 0; i < COUNT && held.size() < share; i++) {
      int shard = (Math.max(member, 0) * share + i) % COUNT;
      if (!held.containsKey(shard)) {
        Optional<Lease> lease = coordination.tryLease(LEASE + shard, TTL);
        if (lease.isPresent()) {
          held.put(shard, lease.get());
          taken.add(shard);
        }
      }
    }
    heldCount = held.size();
    return taken;
  }

  /** Keeps or takes a member key; returns how many nodes send (at least this one). */
  private int join() {
    if (member >= 0 && coordination.get(MEMBER + member).filter(token::equals).isPresent()) {
      coordination.set(MEMBER + member, token, TTL);
    } else {
      member = -1;
      for (int i = 0; i < COUNT && member < 0; i++) {
        if (coordination.setIfAbsent(MEMBER + i, token, TTL)) {
          member = i;
        }
      }
    }
    int members = 0;
    for (int i = 0; i < COUNT; i++) {
      if (coordination.get(MEMBER + i).isPresent()) {
        members++;
      }
    }
    return Math.max(members, 1);
  }

  /** The shards this node sends now, in order. */
  List<Integer> held() {
    return List.copyOf(held.keySet());
  }

  /** How many shards this node holds; read from any thread. */
  int heldCount() {
    return heldCount;
  }

  /** Gives every shard and the member key back, so other nodes take them at once. */
  @Override
  public void close() {
    held.values().forEach(Lease::release);
    held.clear();
    heldCount = 0;
    if (member >= 0 && coordination.get(MEMBER + member).filter(token::equals).isPresent()) {
      coordination.delete(MEMBER + member);
    }
  }
}
