package dev.llmrouter.cli;

/** The entry point; the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // One line per console record, unless the operator configured logging themselves.
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null
        && System.getProperty("java.util.logging.config.file") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tF %1$tT %4$s %5$s%6$s%n");
    }
    int code = Cli.run(args, System.out, System.err, System.getenv(), Invocation.current());
    if (code != 0) {
      System.exit(code);
    }
  }
}
