package dev.llmrouter.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * Names the slips people make when they edit JSON by hand, at the place of the slip rather than
 * where the parser noticed it. A parser notices a trailing comma only at the closing bracket, often
 * on the next line, and a missing comma only at the start of the next value; a user looks for the
 * mistake where the message points. Pure: text in, a reason and an offset out.
 *
 * <p>Only Jackson's message kind and the character it stopped at are used, never its wording as
 * shown to the user (see {@link JsonText}). No reason quotes the document: a slip can sit inside an
 * api key.
 */
final class JsonSlips {

  /**
   * A slip at {@code offset} (a char index into the text).
   *
   * @param reason what is wrong and what to do, in words
   */
  record Slip(int offset, String reason) {}

  private JsonSlips() {}

  /**
   * The slip behind a syntax error, if it is one of the common ones.
   *
   * @param text the document the parser read
   * @param offset the char index where the parser stopped (Jackson's char offset); negative when
   *     unknown
   * @param message Jackson's original message (without location)
   */
  static Optional<Slip> find(String text, int offset, String message) {
    String m = message == null ? "" : message;
    if (m.startsWith("Unexpected end-of-input") && !m.contains("closing quote")) {
      // Cut after a value, a comma, a colon or a key (a cut string is named as one: JsonText).
      return unclosed(text, text.length()).map(at -> unclosedSlip(text, at));
    }
    if (m.startsWith("Unexpected close marker") && offset >= 0 && offset < text.length()) {
      // "[ ... }": the bracket that closes is not the one that is open.
      char closer = text.charAt(offset);
      return unclosed(text, offset)
          .map(
              at -> {
                char opener = text.charAt(at);
                return new Slip(
                    offset,
                    "'"
                        + closer
                        + "' closes the '"
                        + opener
                        + "' opened at "
                        + position(text, at)
                        + " (use '"
                        + (opener == '{' ? '}' : ']')
                        + "', or close what is open first)");
              });
    }
    if (offset < 0 || offset >= text.length() || !m.startsWith("Unexpected character")) {
      return Optional.empty();
    }
    char c = text.charAt(offset);
    int before = previousSignificant(text, offset);
    char previous = before < 0 ? 0 : text.charAt(before);
    if (m.contains("expecting comma to separate")) {
      // The comma belongs right after the value before, which may end a line or two earlier.
      return Optional.of(
          new Slip(
              before + 1,
              "missing comma (a comma goes after every property or array element but the last)"));
    }
    if (m.contains("expecting a colon")) {
      return Optional.of(new Slip(before + 1, "missing colon after the key"));
    }
    if (c == '/' || c == '#') {
      return Optional.of(new Slip(offset, "comment (JSON has no comments: remove it)"));
    }
    if (c == '\'') {
      return Optional.of(
          new Slip(offset, "single quote (JSON keys and strings need double quotes)"));
    }
    if ((c == '}' || c == ']') && previous == ',') {
      return Optional.of(
          new Slip(
              before, "trailing comma (remove it: JSON allows no comma after the last entry)"));
    }
    if ((c == '}' || c == ']' || c == ',') && previous == ':') {
      return Optional.of(new Slip(offset, "missing value after the colon"));
    }
    if (c == ',' && (previous == ',' || previous == '[' || previous == '{')) {
      return Optional.of(new Slip(offset, "extra comma (remove it)"));
    }
    if (m.contains("double-quote to start property name") && startsWord(c)) {
      return Optional.of(
          new Slip(offset, "key without double quotes (write \"key\": value, quotes included)"));
    }
    return Optional.empty();
  }

  /** Where the innermost bracket still open before {@code end} is, outside strings. */
  private static Optional<Integer> unclosed(String text, int end) {
    Deque<Integer> open = new ArrayDeque<>();
    boolean inString = false;
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        open.push(i);
      } else if ((c == '}' || c == ']') && !open.isEmpty()) {
        open.pop();
      }
    }
    return Optional.ofNullable(open.peek());
  }

  /** The bracket still open at the end of the text: the one the user forgot to close. */
  private static Slip unclosedSlip(String text, int at) {
    char opener = text.charAt(at);
    return new Slip(
        at,
        "the document ends before this '"
            + opener
            + "' is closed (add a '"
            + (opener == '{' ? '}' : ']')
            + "' where it should end)");
  }

  /** The index of the last non-whitespace character before {@code offset}, or -1. */
  private static int previousSignificant(String text, int offset) {
    int i = offset - 1;
    while (i >= 0 && isJsonWhitespace(text.charAt(i))) {
      i--;
    }
    return i;
  }

  private static boolean isJsonWhitespace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  private static boolean startsWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '-';
  }

  /**
   * The 1-based line and column of {@code offset}, counted as Jackson counts them: {@code \n},
   * {@code \r\n} and a lone {@code \r} each end a line; a column is a UTF-16 char.
   */
  static Position position(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    int end = Math.min(offset, text.length());
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
        continue; // counted at the \n
      }
      if (c == '\n' || c == '\r') {
        line++;
        lineStart = i + 1;
      }
    }
    return new Position(line, offset - lineStart + 1);
  }

  /** A 1-based line and column. */
  record Position(int line, int column) {
    @Override
    public String toString() {
      return "line " + line + ", column " + column;
    }
  }
}
