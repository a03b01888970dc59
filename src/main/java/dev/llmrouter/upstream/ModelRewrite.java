package dev.llmrouter.upstream;

import dev.llmrouter.memory.MemoryBudget;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Sends a client's body with another model ID: only the value of its top-level {@code model} field
 * changes, every other byte stays as the client wrote it (key order, spacing, number formats,
 * unknown fields, and any {@code model} nested deeper). Works on the bytes: no parse, one copy.
 *
 * <p>One per request: attempts that send the same ID share one rewritten copy, which is reserved in
 * the request's memory budget like any body it holds.
 */
public final class ModelRewrite {

  private final int start;
  private final int end;
  private String lastModel;
  private byte[] lastBody;

  /**
   * @param start byte offset of the opening quote of the top-level {@code model} string
   * @param end byte offset just past its closing quote
   */
  public ModelRewrite(int start, int end) {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("model value at " + start + ".." + end);
    }
    this.start = start;
    this.end = end;
  }

  /** The body with {@code model} in place of the client's, or null when over the memory budget. */
  synchronized byte[] bodyFor(byte[] body, String model, MemoryBudget.Ledger memory) {
    if (model.equals(lastModel)) {
      return lastBody;
    }
    byte[] rewritten = splice(body, start, end, model);
    if (!memory.reserve(rewritten.length)) {
      return null;
    }
    if (lastBody != null) {
      memory.release(lastBody.length); // that copy is no longer sent
    }
    lastModel = model;
    lastBody = rewritten;
    return rewritten;
  }

  /** {@code body} with {@code model} as its model ID: a new array, uncounted and uncached. */
  public byte[] apply(byte[] body, String model) {
    return splice(body, start, end, model);
  }

  /** {@code body} with the JSON string at {@code [start, end)} replaced by {@code value}. */
  static byte[] splice(byte[] body, int start, int end, String value) {
    byte[] quoted = quote(value);
    byte[] out = new byte[body.length - (end - start) + quoted.length];
    System.arraycopy(body, 0, out, 0, start);
    System.arraycopy(quoted, 0, out, start, quoted.length);
    System.arraycopy(body, end, out, start + quoted.length, body.length - end);
    return out;
  }

  private static boolean isPlain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** A JSON string literal: quotes, backslashes and control characters escaped, UTF-8 as is. */
  static byte[] quote(String value) {
    if (isPlain(value)) {
      // Model IDs are nearly always plain ASCII: one array, no escaping.
      byte[] out = new byte[value.length() + 2];
      out[0] = '"';
      for (int i = 0; i < value.length(); i++) {
        out[i + 1] = (byte) value.charAt(i); // ASCII: one byte per char
      }
      out[out.length - 1] = '"';
      return out;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length() + 8);
    out.write('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.write('\\');
        out.write(c);
      } else if (c < 0x20) {
        byte[] esc = String.format("\\u%04x", (int) c).getBytes(StandardCharsets.US_ASCII);
        out.write(esc, 0, esc.length);
      } else if (c < 0x80) {
        out.write(c);
      } else {
        int runEnd = i + 1;
        while (runEnd < value.length() && value.charAt(runEnd) >= 0x80) {
          runEnd++;
        }
        byte[] utf8 = value.substring(i, runEnd).getBytes(StandardCharsets.UTF_8);
        out.write(utf8, 0, utf8.length);
        i = runEnd - 1;
      }
    }
    out.write('"');
    return out.toByteArray();
  }
}
