package dev.llmrouter.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for child JVMs that run this project's classes, as tests start them. */
public final class JavaProcesses {
  private JavaProcesses() {}

  /** {@code java <flags> -cp <this test run's class path> <mainClass> <args>}, quick to start. */
  public static List<String> command(Class<?> mainClass, List<String> jvmFlags, List<String> args) {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    // These processes live for a second or two: start fast rather than run fast.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    // What the runnable jar's manifest opens (server.ClientWatch).
    command.add("--add-opens");
    command.add("jdk.httpserver/sun.net.httpserver=ALL-UNNAMED");
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    return command;
  }
}
