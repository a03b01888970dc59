package dev.llmrouter.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} references in a config string with environment variables, so that keys
 * need not be written into the file.
 *
 * <p>Rules: a reference is <code>${NAME}</code> with NAME matching {@code [A-Za-z_][A-Za-z0-9_]*};
 * any number may appear anywhere in a string. A lone {@code $} is literal, but a dollar followed by
 * an opening brace always starts a reference, and a malformed one is a problem. There is no escape:
 * no key or URL needs that literal pair. Substituted values are not expanded again, so a value
 * never pulls in another variable. A variable that is set but empty is a problem like an unset one:
 * no setting is meant to be empty, and an empty key would otherwise surface as {@code required}.
 *
 * <p><code>${file:PATH}</code> reads a secret from a file instead (one trailing newline removed),
 * the way container platforms and systemd credentials ({@code LoadCredential=}) hand secrets over.
 * It is read each time the config is, so a hot reload picks up a rotated key. A relative PATH is
 * taken from the working directory. Its problems name the path, never the content.
 *
 * <p>A whole string that is {@code $NAME} (no braces) stays literal but draws a warning: it is
 * almost always a reference written the shell's way.
 *
 * <p>Problems name the variable but never contain the string or any variable's value: the string is
 * typically an api key.
 */
final class EnvExpander {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * {@code $NAME} as the whole value. Names in capitals only, or set in the environment: a literal
   * key that happens to start with a dollar is not worth a warning that would echo it.
   */
  private static final Pattern BARE_REFERENCE = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

  private static final Pattern ENV_STYLE = Pattern.compile("[A-Z_][A-Z0-9_]*");

  private EnvExpander() {}

  /** The expanded string, or empty after reporting every bad or unset reference in it. */
  static Optional<String> expand(String raw, String path, ParseContext ctx) {
    return expand(raw, path, ctx, new ArrayList<>(0));
  }

  /**
   * The same, adding to {@code substituted} what each reference put in (a variable's value, a
   * file's content): the secret parts of a value such as {@code Bearer ${KEY}}.
   */
  static Optional<String> expand(
      String raw, String path, ParseContext ctx, List<String> substituted) {
    if (!raw.contains("${")) {
      warnIfBare(raw, path, ctx);
      return Optional.of(raw);
    }
    StringBuilder out = new StringBuilder(raw.length());
    Set<String> unset = new LinkedHashSet<>();
    Set<String> fileProblems = new LinkedHashSet<>();
    Set<String> empty = new LinkedHashSet<>();
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
      if (end > 0 && name.startsWith(FILE_PREFIX) && name.length() > FILE_PREFIX.length()) {
        int before = out.length();
        String problem = readSecretFile(name.substring(FILE_PREFIX.length()), out);
        if (problem != null) {
          fileProblems.add(problem);
        } else {
          substituted.add(out.substring(before));
        }
        pos = end + 1;
        continue;
      }
      if (end < 0 || !NAME.matcher(name).matches()) {
        malformed = true;
        // Skip just the "${" so that later, well-formed references are still checked.
        pos = start + 2;
        continue;
      }
      Optional<String> value = ctx.env(name);
      if (value.isPresent() && value.get().isEmpty()) {
        empty.add(name);
      } else if (value.isPresent()) {
        out.append(value.get());
        substituted.add(value.get());
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
    for (String name : empty) {
      ctx.problem(path, "environment variable " + name + " is empty");
    }
    for (String problem : fileProblems) {
      ctx.problem(path, problem);
    }
    return malformed || !unset.isEmpty() || !empty.isEmpty() || !fileProblems.isEmpty()
        ? Optional.empty()
        : Optional.of(out.toString());
  }

  private static final String FILE_PREFIX = "file:";

  /**
   * The files that {@code text} (a whole config, as written) reads secrets from: every <code>
   * ${file:PATH}</code> in it, read as {@link #expand} reads them, so that a watcher can notice a
   * rotated key. A PATH that is not a valid path is left out.
   */
  static List<Path> secretFiles(String text) {
    List<Path> files = new ArrayList<>();
    for (int start = text.indexOf("${"); start >= 0; start = text.indexOf("${", start + 2)) {
      int end = text.indexOf('}', start + 2);
      if (end < 0) {
        break;
      }
      String name = text.substring(start + 2, end);
      if (name.startsWith(FILE_PREFIX) && name.length() > FILE_PREFIX.length()) {
        try {
          // The raw text: a JSON writer may have escaped the slashes (PHP's json_encode does).
          Path file = Path.of(name.substring(FILE_PREFIX.length()).replace("\\/", "/"));
          if (!files.contains(file)) {
            files.add(file);
          }
        } catch (java.nio.file.InvalidPathException e) {
          // reported as a problem when the config is read
        }
      }
    }
    return files;
  }

  /** The most a secret file may hold: keys are short; a larger file is the wrong file. */
  private static final long MAX_SECRET_FILE_BYTES = 64 * 1024;

  /**
   * Appends the file's content, one trailing newline and a leading byte-order mark removed; a
   * problem naming the path (never the content) when it cannot be used.
   */
  private static String readSecretFile(String file, StringBuilder out) {
    Path path = Path.of(file);
    String content;
    try {
      if (Files.exists(path) && !Files.isRegularFile(path)) {
        // A FIFO would block the read, a device never end: Files.size says 0 for both.
        return "secret file " + file + " is not a regular file";
      }
      if (Files.size(path) > MAX_SECRET_FILE_BYTES) {
        return "secret file " + file + " is larger than " + MAX_SECRET_FILE_BYTES + " bytes";
      }
      content = Files.readString(path, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "secret file " + file + " does not exist";
    } catch (AccessDeniedException e) {
      return "secret file " + file + " cannot be read: permission denied";
    } catch (java.nio.charset.CharacterCodingException e) {
      return "secret file " + file + " is not valid UTF-8 text (save it as UTF-8)";
    } catch (IOException | UncheckedIOException e) {
      // The message never carries the content; the class says what failed.
      return "secret file " + file + " cannot be read: " + e.getClass().getSimpleName();
    } catch (java.nio.file.InvalidPathException e) {
      return "secret file " + file + " is not a valid path";
    }
    if (content.startsWith("\uFEFF")) {
      content = content.substring(1); // the byte-order mark some Windows editors write first
    }
    if (content.endsWith("\r\n")) {
      content = content.substring(0, content.length() - 2);
    } else if (content.endsWith("\n")) {
      content = content.substring(0, content.length() - 1);
    }
    if (content.isEmpty()) {
      return "secret file " + file + " is empty";
    }
    out.append(content);
    return null;
  }

  private static void warnIfBare(String raw, String path, ParseContext ctx) {
    Matcher bare = BARE_REFERENCE.matcher(raw);
    if (!bare.matches()) {
      return;
    }
    String name = bare.group(1);
    if (ENV_STYLE.matcher(name).matches() || ctx.env(name).isPresent()) {
      ctx.warning(
          path,
          "did you mean ${"
              + name
              + "}? \"$"
              + name
              + "\" is taken literally; only ${NAME} reads an environment variable");
    }
  }
}
