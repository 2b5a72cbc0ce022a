package kefu.store;

import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A subscriber's callback, switched off when its subscription closes; a failing one does not stop the others. */
final class Listener {
  private static final Logger log = LoggerFactory.getLogger(Listener.class);

  private final Consumer<String> consumer;
  private volatile boolean active = true;

  Listener(Consumer<String> consumer) {
    this.consumer = consumer;
  }

  void deactivate() {
    active = false;
  }

  void deliver(String message) {
    if (!active) {
      return;
    }
    try {
      consumer.accept(message);
    } catch (RuntimeException e) {
      log.warn("A coordination listener failed", e);
    }
  }
}
