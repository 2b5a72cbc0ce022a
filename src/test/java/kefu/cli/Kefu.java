package kefu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import kefu.TestDatabases;
import picocli.CommandLine;

/** Runs the {@code kefu} command line as an operator would, on the embedded database in a test's directory. */
final class Kefu {
  private Kefu() {}

  /**
   * Runs {@code args} with {@code --config} naming a file in {@code dir} with the database and {@code yaml}; what it
   * prints goes to {@code out} and {@code err}. Returns the exit code.
   */
  static int run(Path dir, String yaml, StringWriter out, StringWriter err, String... args) throws IOException {
    Path config = Files.writeString(dir.resolve("kefu.yaml"), "db:\n  url: \"" + TestDatabases.h2(dir).url() + "\"\n" + yaml);
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--config";
    all[args.length + 1] = config.toString();
    return new CommandLine(new KefuCommand()).setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(all);
  }
}
