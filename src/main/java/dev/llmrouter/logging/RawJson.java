package dev.llmrouter.logging;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import tools.jackson.core.SerializableString;

/**
 * A body already proven to be one JSON value, handed to the generator as raw UTF-8 bytes: the
 * generator copies them into the line as they are, instead of parsing every token and writing it
 * again. Only the two methods a UTF-8 generator's {@code writeRawValue} calls are supported.
 */
@SuppressWarnings("ArrayRecordComponent")
record RawJson(byte[] bytes) implements SerializableString {

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
