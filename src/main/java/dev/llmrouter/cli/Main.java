package dev.llmrouter.cli;

/** The entry point; the only place that calls {@link System#exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Before anything logs: the JDK reads it when logging starts. Named, not called: initialising
    // a LogManager subclass would start the JDK's logging before the property is set.
    if (System.getProperty("java.util.logging.manager") == null) {
      System.setProperty("java.util.logging.manager", DrainAwareLogManager.class.getName());
    }
    // One line per console record, unless the operator configured logging themselves.
    ConsoleFormat.install();
    int code = Cli.run(args, System.out, System.err, System.getenv(), Invocation.current());
    if (code != 0) {
      System.exit(code);
    }
  }
}
