package dev.llmrouter.cli;

/** The entry point; the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // One line per console record, unless the operator configured logging themselves.
    ConsoleFormat.install();
    int code = Cli.run(args, System.out, System.err, System.getenv(), Invocation.current());
    if (code != 0) {
      System.exit(code);
    }
  }
}
