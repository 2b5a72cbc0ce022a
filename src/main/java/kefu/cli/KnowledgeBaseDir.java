package kefu.cli;

import java.nio.file.Path;
import java.util.Optional;
import kefu.config.ConfigLoader;

/** The knowledge-base directory the configuration names, for commands that default to it. */
final class KnowledgeBaseDir {
  private KnowledgeBaseDir() {}

  /** {@code given} if there is one, else {@code kb.dir} of the configuration; throws ConfigException. */
  static Path orConfigured(Path given) {
    return given != null ? given : ConfigLoader.load(Optional.empty(), System.getenv()).paths().kbDir();
  }
}
