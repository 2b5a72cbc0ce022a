package kefu.store;

import java.time.Duration;

/**
 * A lease taken with {@link Coordination#tryLease}: the right, for a limited time, to be the one node doing some work.
 *
 * <p>Each holder has its own random token, so a node can only renew or release the lease it holds itself, never one
 * that expired and was then taken by another node.
 */
public interface Lease {

  /** The name the lease was taken under. */
  String name();

  /** Extends the lease to {@code ttl} from now if this holder still holds it; false if it was lost. */
  boolean renew(Duration ttl);

  /** Gives the lease up if this holder still holds it; does nothing otherwise, so it may be called again. */
  void release();
}
