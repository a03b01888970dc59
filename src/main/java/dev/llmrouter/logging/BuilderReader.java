package dev.llmrouter.logging;

import java.io.Reader;

/**
 * A {@link StringBuilder} read in place, a buffer at a time, without a copy into a String first
 * ({@code java.io.Reader.of} is JDK 24+).
 */
final class BuilderReader extends Reader {
  private final StringBuilder text;
  private int next;

  BuilderReader(StringBuilder text) {
    this.text = text;
  }

  @Override
  public int read(char[] into, int off, int len) {
    if (next >= text.length()) {
      return -1;
    }
    int n = Math.min(len, text.length() - next);
    text.getChars(next, next + n, into, off);
    next += n;
    return n;
  }

  @Override
  public void close() {}
}
