package dev.llmrouter.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * State shared by one parse: the environment used for {@code ${NAME}} expansion and the problems
 * and warnings found so far. Validation never stops at the first problem; everything is collected
 * here and thrown once at the end.
 */
final class ParseContext {

  /** Keys that can be written as {@code a.b} in a path; anything else is quoted. */
  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_$-]+");

  /**
   * Longer property names are not echoed in problems: no setting is that long, but an api key
   * pasted where a property name belongs is.
   */
  static final int MAX_SHOWN_KEY = 40;

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  ParseContext(Map<String, String> env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  /** Records one problem. The message must never contain a secret or an env value. */
  void problem(String path, String message) {
    problems.add(path + ": " + message);
  }

  /**
   * Records something that is valid but probably not what the user meant; it never fails the load.
   * The same rule as for problems: never a secret or an env value.
   */
  void warning(String path, String message) {
    warnings.add(path + ": " + message);
  }

  /** The warnings so far, in document order. */
  List<String> warnings() {
    return List.copyOf(warnings);
  }

  Optional<String> env(String name) {
    return Optional.ofNullable(env.get(name));
  }

  void throwIfAny() throws ConfigException {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** {@code server} + {@code port} = {@code server.port}; children of the root have no prefix. */
  static String child(String parent, String key) {
    String part;
    if (key.length() > MAX_SHOWN_KEY) {
      part = "<" + key.length() + "-character key>";
    } else {
      part = PLAIN_KEY.matcher(key).matches() ? key : quoted(key);
    }
    if (parent.equals("$")) {
      return part.startsWith("[") ? "$" + part : part;
    }
    return part.startsWith("[") ? parent + part : parent + "." + part;
  }

  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /**
   * Odd keys (spaces, dots, control characters) are shown as {@code ["..."]} with control
   * characters escaped, so that every problem stays on one unambiguous line.
   */
  private static String quoted(String key) {
    StringBuilder sb = new StringBuilder("[\"");
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.append("\"]").toString();
  }
}
