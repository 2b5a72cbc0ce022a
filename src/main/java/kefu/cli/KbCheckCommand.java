package kefu.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import kefu.config.ConfigException;
import kefu.kb.HalfWidthPunctuation;
import kefu.kb.KnowledgeBase;
import kefu.kb.KnowledgeBaseException;
import kefu.kb.KnowledgeBaseLoader;
import kefu.kb.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kefu kb-check [DIR]}: loads a knowledge base and prints every problem in it, and warnings (half-width
 * punctuation in Chinese text), for use before publishing.
 */
@Command(
    name = "kb-check",
    mixinStandardHelpOptions = true,
    description = {
        "Check a knowledge base: print every problem as FILE:LINE: message, and warnings as FILE:LINE: warning: message.",
        "Exit 0 if it has no problems (warnings or not), 1 if it has problems, 2 if the configuration is wrong."})
public final class KbCheckCommand implements Callable<Integer> {
  static final int CLEAN = 0;
  static final int PROBLEMS = 1;
  static final int BAD_CONFIG = 2;

  @Parameters(arity = "0..1", paramLabel = "DIR", description = "the knowledge base (default: kb.dir of the configuration)")
  Path dir;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Path kbDir;
    try {
      kbDir = KnowledgeBaseDir.orConfigured(dir);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("kefu: configuration error: " + e.getMessage());
      return BAD_CONFIG;
    }
    List<Problem> warnings = HalfWidthPunctuation.in(kbDir);
    String warned = warnings.isEmpty() ? "" : ", " + Counts.of(warnings.size(), "warning", "warnings");
    try {
      KnowledgeBase kb = KnowledgeBaseLoader.load(kbDir);
      warnings.forEach(out::println);
      out.println(kbDir + ": " + Counts.of(kb.entries().size(), "entry", "entries") + ", "
          + Counts.of(kb.synonymGroups().size(), "synonym group", "synonym groups") + ", no problems" + warned);
      return CLEAN;
    } catch (KnowledgeBaseException e) {
      for (Problem problem : e.problems()) {
        out.println(problem);
      }
      warnings.forEach(out::println);
      out.println(Counts.of(e.problems().size(), "problem", "problems") + warned);
      return PROBLEMS;
    }
  }
}
