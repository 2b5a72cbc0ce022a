package kefu.store;

/** The handle to a listener registered with {@link Coordination#subscribe}, to stop its delivery. */
public interface Subscription extends AutoCloseable {

  /** Stops delivery to the listener; calling it again does nothing. */
  @Override
  void close();
}
