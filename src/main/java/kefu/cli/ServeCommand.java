package kefu.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import kefu.App;
import kefu.config.ConfigException;
import kefu.config.KefuConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/** {@code kefu serve}: runs the service until SIGTERM or Ctrl-C, then stops gracefully and exits 0. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the service (the default).")
public final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  /** Exit code for a configuration kefu cannot start with. */
  static final int BAD_CONFIG = 2;
  /** Exit code for a start that failed: a store unreachable, the port taken. */
  static final int START_FAILED = 1;

  /** Made here too, as plain {@code kefu} runs this command without picocli filling in its options. */
  @Mixin
  ConfigFile configFile = new ConfigFile();

  @Override
  public Integer call() {
    KefuConfig config;
    try {
      config = configFile.load();
    } catch (ConfigException e) {
      System.err.println("kefu: configuration error: " + e.getMessage());
      return BAD_CONFIG;
    }
    // Handled from before the start, so that a stop asked for while the node starts (the model loading, the first
    // index beginning) waits for it and stops it cleanly. The JVM's own SIGTERM handling would exit with 143 after
    // the shutdown hooks, in the middle of whatever was running.
    CountDownLatch stopAsked = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), signal -> stopAsked.countDown());
    Signal.handle(new Signal("INT"), signal -> stopAsked.countDown());
    App app;
    try {
      app = App.start(config);
    } catch (RuntimeException e) {
      log.debug("start failed", e);
      System.err.println("kefu: cannot start: " + e.getMessage());
      return START_FAILED;
    }
    try {
      stopAsked.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    app.stop();
    return 0;
  }
}
