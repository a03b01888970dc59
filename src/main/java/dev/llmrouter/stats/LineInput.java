package dev.llmrouter.stats;

import java.io.IOException;
import java.io.InputStream;

/**
 * A file read through one fixed buffer, handed out in whole lines: each {@link #next()} gives
 * either a run of complete lines in the buffer (every normal record is far smaller than the
 * buffer), for the JSON parser to read in place, or one line longer than the buffer (a logged body
 * can be tens of megabytes) as an {@link InputStream} that ends at its newline, which the parser
 * reads through its own small buffer. Either way a line of any length costs the same memory, and
 * whatever the parser left of a bad long line is skipped by the next {@link #next()}.
 */
final class LineInput implements AutoCloseable {

  static final int BUFFER = 1 << 18;

  private final InputStream in;
  private final byte[] buffer;
  private int pos;
  private int limit;
  private boolean eof;

  // The current piece: whole lines at [start, end) of the buffer, or one long line streamed.
  private int start;
  private int end;
  private boolean streamed;
  private boolean streamEnded;
  private final InputStream stream = new LineStream();

  LineInput(InputStream in) {
    this(in, BUFFER);
  }

  /** With a buffer of {@code size} bytes: lines longer than that are streamed. */
  LineInput(InputStream in, int size) {
    this.in = in;
    this.buffer = new byte[size];
  }

  /**
   * Moves to the next run of lines (or long line), skipping what is left of a long one.
   *
   * @return false at the end of the file
   */
  boolean next() throws IOException {
    if (streamed) {
      skipRestOfStream();
      streamed = false;
    }
    while (true) {
      int last = lastNewline(pos, limit);
      if (last >= 0) {
        return piece(pos, last + 1);
      }
      if (eof) {
        return pos < limit && piece(pos, limit); // a last line without a newline
      }
      if (pos > 0) { // make room: move the partial line to the front
        System.arraycopy(buffer, pos, buffer, 0, limit - pos);
        limit -= pos;
        pos = 0;
      }
      if (limit == buffer.length) { // one line longer than the buffer: stream it
        streamed = true;
        streamEnded = false;
        return true;
      }
      fill();
    }
  }

  private boolean piece(int from, int to) {
    start = from;
    end = to;
    pos = to;
    return true;
  }

  /**
   * Whether the current piece is whole lines in {@link #buffer()} at {@link #start()} (each ending
   * in a newline but perhaps the file's last), else one line to read from {@link #stream()}.
   */
  boolean inBuffer() {
    return !streamed;
  }

  byte[] buffer() {
    return buffer;
  }

  int start() {
    return start;
  }

  int end() {
    return end;
  }

  /** The current long line's bytes, without its newline; reading past them gives end of stream. */
  InputStream stream() {
    return stream;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  /** The index of the first newline in {@code b[from, to)}, or -1. */
  static int newline(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private int lastNewline(int from, int to) {
    for (int i = to - 1; i >= from; i--) {
      if (buffer[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Reads more after {@code limit}; sets {@link #eof} when there is no more. */
  private void fill() throws IOException {
    int n = in.read(buffer, limit, buffer.length - limit);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
  }

  /** Empties the buffer and reads more; false at the end of the file. */
  private boolean refill() throws IOException {
    pos = limit = 0;
    fill();
    return limit > 0;
  }

  /** What the parser did not read of a long line: a bad one stops it early. */
  private void skipRestOfStream() throws IOException {
    while (!streamEnded) {
      if (pos == limit && !refill()) {
        streamEnded = true;
        return;
      }
      int nl = newline(buffer, pos, limit);
      pos = nl < 0 ? limit : nl + 1;
      streamEnded = nl >= 0;
    }
  }

  /** A long line as a stream; closing it is the parser's habit and does nothing. */
  private final class LineStream extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (streamEnded) {
        return -1;
      }
      if (len == 0) {
        return 0;
      }
      if (pos == limit && !refill()) {
        streamEnded = true; // a last line without a newline ends with the file
        return -1;
      }
      int to = Math.min(limit, pos + len);
      int nl = newline(buffer, pos, to);
      int n = (nl < 0 ? to : nl) - pos;
      System.arraycopy(buffer, pos, b, off, n);
      pos += n;
      if (nl >= 0) {
        pos++; // past the newline
        streamEnded = true;
        if (n == 0) {
          return -1;
        }
      }
      return n;
    }
  }
}
