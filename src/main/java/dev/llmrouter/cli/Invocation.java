package dev.llmrouter.cli;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.regex.Pattern;

/**
 * How the user started the router, so that every message naming a command to run next names one
 * they can type: {@code llm-api-router check} from the launcher on the PATH, {@code
 * target/image/bin/llm-api-router check} from a launcher run by its path, {@code java -jar
 * target/llm-api-router.jar check} from the jar.
 */
final class Invocation {

  /**
   * Set by the runtime image's launcher ({@code src/main/image/llm-api-router}) to the name it was
   * run by: its bare name when that is what the PATH finds, else the path it was run by.
   */
  static final String LAUNCHER_PROPERTY = "llmrouter.command";

  /** The name when nothing better is known (in-process callers, a class-path start). */
  static final String DEFAULT = "llm-api-router";

  /** What a shell passes through as one word without quotes. */
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

  private Invocation() {}

  /** This JVM's invocation, from the launcher's property or the java command line. */
  static String current() {
    return of(
        System.getProperty(LAUNCHER_PROPERTY), System.getProperty("sun.java.command"), ownJar());
  }

  /**
   * @param launcher the launcher's {@link #LAUNCHER_PROPERTY}, or null
   * @param javaCommand the JVM's main class or jar and arguments ({@code sun.java.command}), or
   *     null
   * @param jar the jar this code was loaded from, or null when it is not a jar
   */
  static String of(String launcher, String javaCommand, Path jar) {
    if (launcher != null && !launcher.isBlank()) {
      return quoted(launcher.strip());
    }
    String typed = jarAsTyped(javaCommand, jar);
    return typed == null ? DEFAULT : "java -jar " + quoted(typed);
  }

  /**
   * The jar as the user typed it after {@code java -jar}: the start of the command line that names
   * this code's jar. Found by trying each {@code .jar} boundary, since a path may hold spaces.
   */
  private static String jarAsTyped(String javaCommand, Path jar) {
    if (javaCommand == null || jar == null) {
      return null;
    }
    Path own = jar.toAbsolutePath().normalize();
    for (int end = javaCommand.indexOf(".jar");
        end >= 0;
        end = javaCommand.indexOf(".jar", end + 1)) {
      int after = end + ".jar".length();
      if (after < javaCommand.length() && javaCommand.charAt(after) != ' ') {
        continue;
      }
      String candidate = javaCommand.substring(0, after);
      try {
        if (Path.of(candidate).toAbsolutePath().normalize().equals(own)) {
          return candidate;
        }
      } catch (RuntimeException e) {
        // not a path on this system
      }
    }
    return null;
  }

  private static Path ownJar() {
    try {
      CodeSource source = Invocation.class.getProtectionDomain().getCodeSource();
      if (source == null || source.getLocation() == null) {
        return null;
      }
      Path path = Path.of(source.getLocation().toURI());
      return path.getFileName() != null && path.getFileName().toString().endsWith(".jar")
          ? path
          : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** A word as a POSIX shell reads it: plain, or in single quotes. */
  static String quoted(String word) {
    if (PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
