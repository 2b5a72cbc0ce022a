package kefu.cli;

import java.nio.file.Path;
import java.util.Optional;
import kefu.config.ConfigLoader;
import kefu.config.KefuConfig;
import picocli.CommandLine.Option;

/** The {@code --config FILE} option of the commands that read kefu's configuration. */
final class ConfigFile {
  @Option(names = "--config", paramLabel = "FILE", description = "configuration file (default: $KEFU_CONFIG, else ./kefu.yaml if present)")
  Path file;

  /** The configuration from the file and the environment. @throws kefu.config.ConfigException saying what is wrong */
  KefuConfig load() {
    return ConfigLoader.load(Optional.ofNullable(file), System.getenv());
  }
}
