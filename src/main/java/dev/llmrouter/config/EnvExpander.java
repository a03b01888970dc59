package dev.llmrouter.config;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} references in a config string with environment variables, so that keys
 * need not be written into the file.
 *
 * <p>Rules: a reference is <code>${NAME}</code> with NAME matching {@code [A-Za-z_][A-Za-z0-9_]*};
 * any number may appear anywhere in a string. A lone {@code $} is literal, but a dollar followed by
 * an opening brace always starts a reference, and a malformed one is a problem. There is no escape:
 * no key or URL needs that literal pair. Substituted values are not expanded again, so a value
 * never pulls in another variable.
 *
 * <p>Problems name the variable but never contain the string or any variable's value: the string is
 * typically an api key.
 */
final class EnvExpander {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private EnvExpander() {}

  /** The expanded string, or empty after reporting every bad or unset reference in it. */
  static Optional<String> expand(String raw, String path, ParseContext ctx) {
    if (!raw.contains("${")) {
      return Optional.of(raw);
    }
    StringBuilder out = new StringBuilder(raw.length());
    Set<String> unset = new LinkedHashSet<>();
    boolean malformed = false;
    int pos = 0;
    while (pos < raw.length()) {
      int start = raw.indexOf("${", pos);
      if (start < 0) {
        out.append(raw, pos, raw.length());
        break;
      }
      out.append(raw, pos, start);
      int end = raw.indexOf('}', start + 2);
      String name = end < 0 ? "" : raw.substring(start + 2, end);
      if (end < 0 || !NAME.matcher(name).matches()) {
        malformed = true;
        // Skip just the "${" so that later, well-formed references are still checked.
        pos = start + 2;
        continue;
      }
      Optional<String> value = ctx.env(name);
      if (value.isPresent()) {
        out.append(value.get());
      } else {
        unset.add(name);
      }
      pos = end + 1;
    }
    if (malformed) {
      ctx.problem(path, "malformed ${...} reference (expected ${NAME}, NAME = letters, digits, _)");
    }
    for (String name : unset) {
      ctx.problem(path, "environment variable " + name + " is not set");
    }
    return malformed || !unset.isEmpty() ? Optional.empty() : Optional.of(out.toString());
  }
}
