package kefu.kb;

/** A file that cannot be imported at all — unreadable, of an unknown format, without the needed columns. */
public final class ImportException extends Exception {
  private final Problem problem;

  public ImportException(Problem problem) {
    super(problem.toString());
    this.problem = problem;
  }

  /** What is wrong, and where. */
  public Problem problem() {
    return problem;
  }
}
