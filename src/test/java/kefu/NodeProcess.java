package kefu;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** kefu as an operator runs it: {@code java kefu.App …} in a process of its own, and what it logs. */
public final class NodeProcess {
  /** The line a node logs once it serves, with its port. */
  public static final Pattern SERVING = Pattern.compile("kefu serving on http://127\\.0\\.0\\.1:(\\d+)");

  private NodeProcess() {}

  /** Starts {@code java kefu.App args} in {@code dir}, its data under {@code dir/data}, with only the given KEFU_ variables. */
  public static Process start(Path dir, Map<String, String> env, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(java, "-cp", classpath, "kefu.App"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("KEFU_"));
    builder.environment().put("KEFU_DATA_DIR", dir.resolve("data").toString());
    builder.environment().putAll(env);
    builder.redirectErrorStream(false);
    return builder.start();
  }

  /** The port of the node whose log is {@code out}, once it serves. */
  public static int awaitPort(BufferedReader out) {
    return Integer.parseInt(awaitLine(out, SERVING));
  }

  /** The first group of the first line {@code pattern} finds in {@code out}. */
  public static String awaitLine(BufferedReader out, Pattern pattern) {
    try {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m.group(1);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    throw new IllegalStateException("kefu ended without logging " + pattern);
  }
}
