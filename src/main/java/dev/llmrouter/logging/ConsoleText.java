package dev.llmrouter.logging;

/**
 * Client-controlled text made safe for one console line: control characters (newlines, ANSI
 * escapes, DEL, the C1 range, Unicode line separators, and the bidirectional controls that make a
 * terminal show text in another order than it is, U+202A-U+202E, U+2066-U+2069, U+200E, U+200F,
 * U+061C) are written as escapes ({@code \n}, <code>
 * &#92;u001b</code>), backslashes are doubled so that an escape cannot be faked, and the text is
 * cut at {@value #MAX_CHARS} characters.
 */
public final class ConsoleText {

  static final int MAX_CHARS = 200;

  private ConsoleText() {}

  public static String clean(String text) {
    int n = Math.min(text.length(), MAX_CHARS);
    StringBuilder out = null;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      boolean unsafe =
          c < 0x20
              || (c >= 0x7f && c <= 0x9f)
              || c == '\\'
              || c == 0x2028
              || c == 0x2029
              || isBidiControl(c);
      if (unsafe && out == null) {
        out = new StringBuilder(n + 16).append(text, 0, i);
      }
      if (out == null) {
        continue;
      }
      if (!unsafe) {
        out.append(c);
        continue;
      }
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> out.append(String.format("\\u%04x", (int) c));
      }
    }
    String clean = out == null ? text.substring(0, n) : out.toString();
    return text.length() > MAX_CHARS ? clean + "..." : clean;
  }

  private static boolean isBidiControl(char c) {
    return (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e
        || c == 0x200f
        || c == 0x061c;
  }
}
