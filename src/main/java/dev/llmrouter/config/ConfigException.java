package dev.llmrouter.config;

import java.util.List;

/**
 * The configuration is unusable. Carries every problem found, each one line of the form {@code
 * "<path>: <what is wrong>"}, in document order, so a user can fix them all in one edit.
 *
 * <p>It deliberately has no cause and no stack trace: a config problem is the user's to fix, and
 * printing Jackson internals or frames would bury the one line that matters (and Jackson's own
 * messages can quote parts of the file, which may contain secrets).
 */
public final class ConfigException extends Exception {

  private final List<String> problems;

  /**
   * @param problems at least one; each should already be free of secrets
   */
  public ConfigException(List<String> problems) {
    super(joined(problems), null, false, false);
    this.problems = List.copyOf(problems);
  }

  /** The problems, in the order they were found (document order). Never empty. */
  public List<String> problems() {
    return problems;
  }

  private static String joined(List<String> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    return String.join("\n", problems);
  }
}
