package dev.llmrouter.logging;

import java.io.IOException;
import java.io.OutputStream;

/**
 * One log file's buffer, which sends only whole lines to the file and keeps the file whole when a
 * write fails. A {@code BufferedOutputStream} keeps what it could not write and writes it all again
 * at the next flush: after a disk-full error had let part of it through, the file got half a line
 * followed by the same lines once more (invalid JSON, and records twice). Here a failed write drops
 * the lines it held, cuts the file back to the last whole line ({@link Sink#truncate}) and says how
 * many were lost; the line being written at that moment stays and goes out with the next.
 *
 * <p>Lines end at a {@code '\n'} written last in a {@code write} call (the serializer writes it on
 * its own). A line longer than the buffer goes to the file as it comes; if a write of it fails, the
 * file is cut back to where it began and the rest of it is dropped. Only the writer thread uses it.
 */
final class LineFile extends OutputStream {

  /** Where the bytes go: a file, and the way to cut it back after a failed write. */
  interface Sink {
    void write(byte[] b, int off, int len) throws IOException;

    /** Cuts the file to {@code size} bytes. */
    void truncate(long size) throws IOException;
  }

  /** Thrown by {@link #flush}: that many lines were dropped since the last flush that worked. */
  static final class LinesLost extends IOException {
    private static final long serialVersionUID = 1L;

    final int lines;

    LinesLost(int lines, IOException cause) {
      super(lines + " lines could not be written: " + cause.getMessage(), cause);
      this.lines = lines;
    }
  }

  private static final int SIZE = 1 << 16;

  private final Sink sink;
  private final byte[] buf = new byte[SIZE];
  private final byte[] one = new byte[1];
  private int count;

  /** Where the line being written starts: everything before it is whole lines. */
  private int lineStart;

  /** What the file holds for sure: everything written before, cut back to after a failure. */
  private long committed;

  /**
   * A line longer than the buffer goes straight to the file as it comes (a body of tens of MB is
   * not copied again); {@code lineOrigin} is where it began, to cut back to if a write fails.
   */
  private boolean streaming;

  private long lineOrigin;

  /** A streamed line failed part-way: the rest of it is dropped, up to its newline. */
  private boolean dropping;

  private int lost;
  private IOException lastFailure;

  LineFile(Sink sink, long size) {
    this.sink = sink;
    this.committed = size;
  }

  /** The file's size once what is buffered is written: counted, no system call. */
  long size() {
    return committed + count;
  }

  @Override
  public void write(int b) {
    one[0] = (byte) b;
    write(one, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    if (len == 0) {
      return;
    }
    boolean endsLine = b[off + len - 1] == '\n';
    if (dropping || streaming) {
      direct(b, off, len, endsLine);
      return;
    }
    if (count + len > buf.length && lineStart > 0) {
      writeWholeLines(); // a failure is kept for flush to report: the line being written goes on
    }
    if (count + len <= buf.length) {
      System.arraycopy(b, off, buf, count, len);
      count += len;
      if (endsLine) {
        lineStart = count;
      }
      return;
    }
    // One line longer than the buffer: what is held of it, then the rest, straight to the file.
    streaming = true;
    lineOrigin = committed;
    int held = count;
    count = 0;
    direct(buf, 0, held, false);
    direct(b, off, len, endsLine);
  }

  /** Part of a streamed line; {@code endsLine}: its last part. */
  private void direct(byte[] b, int off, int len, boolean endsLine) {
    if (!dropping && len > 0) {
      try {
        sink.write(b, off, len);
        committed += len;
      } catch (IOException e) {
        lost++;
        lastFailure = e;
        cutBack(lineOrigin);
        dropping = true;
      }
    }
    if (endsLine) {
      streaming = false;
      dropping = false;
    }
  }

  /**
   * Writes the whole lines held; the line being written stays.
   *
   * @throws LinesLost when a write failed, now or since the last flush; the file holds whole lines
   */
  @Override
  public void flush() throws LinesLost {
    if (lineStart > 0) {
      writeWholeLines();
    }
    if (lost > 0) {
      LinesLost e = new LinesLost(lost, lastFailure);
      lost = 0;
      lastFailure = null;
      throw e;
    }
  }

  private void writeWholeLines() {
    int whole = lineStart;
    try {
      sink.write(buf, 0, whole);
      committed += whole;
    } catch (IOException e) {
      lost += lines(whole);
      lastFailure = e;
      cutBack(committed); // part of it may have reached the file: no half line stays
    }
    System.arraycopy(buf, whole, buf, 0, count - whole);
    count -= whole;
    lineStart = 0;
  }

  private void cutBack(long size) {
    try {
      sink.truncate(size);
      committed = size;
    } catch (IOException | RuntimeException ignored) {
      // The next write appends after whatever is there; the failure is reported either way.
    }
  }

  private int lines(int end) {
    int n = 0;
    for (int i = 0; i < end; i++) {
      if (buf[i] == '\n') {
        n++;
      }
    }
    return n;
  }
}
