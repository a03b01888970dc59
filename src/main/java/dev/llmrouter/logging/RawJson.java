package dev.llmrouter.logging;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * A body already proven to be one JSON value, handed to the generator as raw UTF-8 bytes: the
 * generator copies them into the line as they are, instead of parsing every token and writing it
 * again. Only the two methods a UTF-8 generator's {@code writeRawValue} calls are supported.
 */
@SuppressWarnings("ArrayRecordComponent")
record RawJson(byte[] bytes) implements SerializableString {

  /**
   * How deep a body may nest inside a line: the line's record object is one level more, and a
   * reader (the parser's default, which {@code stats} keeps) takes 500 in all. A deeper body goes
   * through the generator, which refuses it, and the record is written without its bodies.
   */
  static final int MAX_BODY_DEPTH = StreamReadConstraints.DEFAULT_MAX_DEPTH - 1;

  /** Reads a body for the line's scan, refusing one nested deeper than a line can carry it. */
  static final JsonMapper LINE_DEPTH =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(MAX_BODY_DEPTH).build())
                  .build())
          .build();

  /**
   * Whether JSON the parser accepted can be copied into the line as it is: no CR or LF (JSON allows
   * them as space between tokens, never raw in a string, and the line must stay one line) and
   * nested no deeper than {@link #MAX_BODY_DEPTH}. The generator checks nothing in a raw copy, and
   * a line a reader cannot parse is a record lost to {@code stats}.
   */
  static boolean copyable(byte[] body) {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < body.length; i++) {
      byte b = body[i];
      if (inString) {
        if (b == '\\') {
          i++; // the escaped byte, a quote maybe
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        if (++depth > MAX_BODY_DEPTH) {
          return false;
        }
      } else if (b == '}' || b == ']') {
        depth--;
      } else if (b == '\n' || b == '\r') {
        return false;
      }
    }
    return true;
  }

  @Override
  public int appendUnquotedUTF8(byte[] buffer, int offset) {
    if (offset + bytes.length > buffer.length) {
      return -1; // the generator then writes asUnquotedUTF8() itself
    }
    System.arraycopy(bytes, 0, buffer, offset, bytes.length);
    return bytes.length;
  }

  @Override
  public byte[] asUnquotedUTF8() {
    return bytes;
  }

  @Override
  public String getValue() {
    throw new UnsupportedOperationException();
  }

  @Override
  public int charLength() {
    throw new UnsupportedOperationException();
  }

  @Override
  public char[] asQuotedChars() {
    throw new UnsupportedOperationException();
  }

  @Override
  public byte[] asQuotedUTF8() {
    throw new UnsupportedOperationException();
  }

  @Override
  public int appendQuotedUTF8(byte[] buffer, int offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int appendQuoted(char[] buffer, int offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int appendUnquoted(char[] buffer, int offset) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int writeQuotedUTF8(OutputStream out) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int putQuotedUTF8(ByteBuffer buffer) {
    throw new UnsupportedOperationException();
  }

  @Override
  public int putUnquotedUTF8(ByteBuffer buffer) {
    throw new UnsupportedOperationException();
  }
}
