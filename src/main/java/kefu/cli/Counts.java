package kefu.cli;

/** Counts in the commands' output, in the singular or plural: "1 entry", "2 entries". */
final class Counts {
  private Counts() {}

  static String of(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
