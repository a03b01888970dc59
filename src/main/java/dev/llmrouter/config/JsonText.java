package dev.llmrouter.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses the config text into a tree, turning syntax errors into one short line with a position.
 *
 * <p>Jackson's own messages are never shown as they are: they are long, mention Jackson features,
 * and some quote the offending text (an unquoted api key would be echoed). Known messages are
 * reworded; anything else is stripped of every quoted or parenthesised part.
 */
final class JsonText {

  /**
   * The one mapper for config files. Duplicate keys are errors (the last one silently winning hides
   * mistakes); floats are read as BigDecimal so fractional seconds convert exactly; trailing
   * content after the root value is an error.
   */
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private static final Pattern UNEXPECTED_CHAR =
      Pattern.compile("^Unexpected character \\('.*' \\(code (\\d+)\\)\\)(.*)$", Pattern.DOTALL);
  private static final Pattern DUPLICATE = Pattern.compile("^Duplicate Object property \"(.*)\"");
  private static final Pattern QUOTED = Pattern.compile("'[^']*'|\"[^\"]*\"|`[^`]*`");
  private static final Pattern PARENS = Pattern.compile("\\([^()]*\\)");
  private static final int MAX_REASON = 100;

  private JsonText() {}

  /** The root node, or empty after reporting a single {@code $: invalid JSON ...} problem. */
  static Optional<JsonNode> read(String text, ParseContext ctx) {
    // Some editors on Windows save UTF-8 with a byte order mark; it is not JSON but harmless.
    String json = text.startsWith("\uFEFF") ? text.substring(1) : text;
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JacksonException e) {
      ctx.problem("$", "invalid JSON" + described(json, e));
      return Optional.empty();
    }
    if (root == null || root.isMissingNode()) {
      ctx.problem("$", "invalid JSON at line 1, column 1: empty document");
      return Optional.empty();
    }
    return Optional.of(root);
  }

  /**
   * {@code " at line L, column C: reason"}: a common slip at the place of the slip (see {@link
   * JsonSlips}), anything else where the parser stopped.
   */
  private static String described(String json, JacksonException e) {
    TokenStreamLocation location = e.getLocation();
    int offset =
        location == null ? -1 : (int) Math.min(location.getCharOffset(), Integer.MAX_VALUE);
    Optional<JsonSlips.Slip> slip = JsonSlips.find(json, offset, e.getOriginalMessage());
    if (slip.isPresent()) {
      return " at " + JsonSlips.position(json, slip.get().offset()) + ": " + slip.get().reason();
    }
    return at(location) + ": " + reason(e.getOriginalMessage());
  }

  private static String at(TokenStreamLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + Math.max(1, location.getColumnNr());
  }

  /** A short, single-line reason that quotes nothing from the document except a key name. */
  static String reason(String message) {
    String m = message == null ? "" : message;
    if (m.startsWith("Unexpected end-of-input")) {
      return m.contains("closing quote") ? "unterminated string" : "unexpected end of input";
    }
    if (m.startsWith("Unrecognized token") || m.startsWith("Non-standard token")) {
      return "unexpected word (strings need double quotes; NaN and Infinity are not allowed)";
    }
    if (m.startsWith("Trailing token")) {
      return "unexpected content after the end of the document";
    }
    if (m.startsWith("Illegal unquoted character")) {
      return "control character in a string (escape it, e.g. \\n)";
    }
    if (m.startsWith("Unrecognized character escape")) {
      return "invalid escape sequence in a string";
    }
    if (m.startsWith("Invalid numeric value") || m.contains("in numeric value")) {
      return "invalid number";
    }
    Matcher duplicate = DUPLICATE.matcher(m);
    if (duplicate.find()) {
      String key = duplicate.group(1);
      return key.length() > ParseContext.MAX_SHOWN_KEY
          ? "duplicate " + key.length() + "-character key"
          : "duplicate key \"" + printable(key) + "\"";
    }
    Matcher unexpected = UNEXPECTED_CHAR.matcher(m);
    if (unexpected.matches()) {
      int code = Integer.parseInt(unexpected.group(1));
      if (code == '/' || code == '#') {
        return "comments are not allowed in JSON";
      }
      String rest = stripped(unexpected.group(2).replaceFirst("^\\s*:\\s*", ""));
      return "unexpected character " + describe(code) + (rest.isEmpty() ? "" : ": " + rest);
    }
    String rest = stripped(m);
    return rest.isEmpty() ? "malformed JSON" : rest;
  }

  /** First line only, without quoted or parenthesised parts, lower-case start, length-capped. */
  private static String stripped(String message) {
    String s = message.lines().findFirst().orElse("");
    int source = s.indexOf("[Source");
    if (source >= 0) {
      s = s.substring(0, source);
    }
    s = QUOTED.matcher(s).replaceAll("");
    for (String prev = ""; !prev.equals(s); ) {
      prev = s;
      s = PARENS.matcher(s).replaceAll("");
    }
    s = s.replaceAll("\\s+", " ").replaceAll("\\s+([:,.])", "$1").strip();
    s = s.replaceAll("[:,;\\s]+$", "");
    if (s.length() > MAX_REASON) {
      s = s.substring(0, MAX_REASON) + "...";
    }
    return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }

  private static String describe(int code) {
    return code > 0x20 && code < 0x7f ? "'" + (char) code + "'" : String.format("U+%04X", code);
  }

  private static String printable(String key) {
    return key.replaceAll("\\p{Cntrl}", "?");
  }
}
