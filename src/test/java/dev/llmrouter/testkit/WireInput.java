package dev.llmrouter.testkit;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * Buffered, byte-exact reader over one accepted socket, used by {@link FakeUpstream} to parse
 * requests and to wait while watching for the client going away. Bytes read while waiting (a
 * pipelined request) stay buffered for the next parse. Not thread-safe: one connection thread owns
 * it.
 */
final class WireInput {

  /** Why {@link #waitWatching} returned. */
  enum Wait {
    /** The full duration passed with the client still connected. */
    ELAPSED,
    /** The client closed or reset the connection. */
    CLIENT_GONE,
    /** The socket was closed locally (the fake is shutting down). */
    CLOSED
  }

  private static final int MAX_BUFFER = 64 * 1024 * 1024;

  private final Socket socket;
  private final InputStream in;
  private byte[] buf = new byte[8192];
  private int pos;
  private int end;

  WireInput(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /**
   * Reads one line ending in LF (a preceding CR is dropped), decoded as ISO-8859-1.
   *
   * @return the line, or {@code null} if the stream ended before any byte of it
   * @throws EOFException if the stream ends mid-line
   */
  String readLine(int maxLength) throws IOException {
    int scanned = 0; // bytes after pos already known to hold no LF
    while (true) {
      for (int i = pos + scanned; i < end; i++) {
        if (buf[i] == '\n') {
          int lineEnd = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
          String line = new String(buf, pos, lineEnd - pos, StandardCharsets.ISO_8859_1);
          pos = i + 1;
          return line;
        }
      }
      scanned = end - pos;
      if (scanned > maxLength) {
        throw new IOException("line longer than " + maxLength + " bytes");
      }
      if (fill() < 0) {
        if (end == pos) {
          return null;
        }
        throw new EOFException("stream ended mid-line");
      }
    }
  }

  /** Reads exactly {@code n} bytes. */
  byte[] readExactly(int n) throws IOException {
    byte[] out = new byte[n];
    int copied = 0;
    while (copied < n) {
      if (pos == end && fill() < 0) {
        throw new EOFException("stream ended after " + copied + " of " + n + " body bytes");
      }
      int take = Math.min(n - copied, end - pos);
      System.arraycopy(buf, pos, out, copied, take);
      pos += take;
      copied += take;
    }
    return out;
  }

  /**
   * Waits up to {@code d} (forever if {@code null}) while reading from the socket, so that the
   * client closing the connection or the fake closing the socket ends the wait at once.
   */
  Wait waitWatching(Duration d) {
    long deadline = d == null ? 0 : System.nanoTime() + d.toNanos();
    try {
      while (true) {
        int timeoutMs = 0;
        if (d != null) {
          long remaining = deadline - System.nanoTime();
          if (remaining <= 0) {
            return Wait.ELAPSED;
          }
          timeoutMs =
              (int) Math.min(Integer.MAX_VALUE, Math.max(1, (remaining + 999_999) / 1_000_000));
        }
        socket.setSoTimeout(timeoutMs);
        try {
          if (fill() < 0) {
            return Wait.CLIENT_GONE;
          }
        } catch (SocketTimeoutException e) {
          // loop: re-check the deadline
        } finally {
          socket.setSoTimeout(0);
        }
      }
    } catch (IOException e) {
      return socket.isClosed() ? Wait.CLOSED : Wait.CLIENT_GONE;
    }
  }

  /** Reads once into the buffer; returns the count read or -1 at end of stream. */
  private int fill() throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, end - pos);
      end -= pos;
      pos = 0;
    }
    if (end == buf.length) {
      if (buf.length >= MAX_BUFFER) {
        throw new IOException("request buffer over " + MAX_BUFFER + " bytes");
      }
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = in.read(buf, end, buf.length - end);
    if (n > 0) {
      end += n;
    }
    return n;
  }
}
