package dev.llmrouter.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Sends exact bytes to a server and reads what comes back, for what an HTTP client won't send. */
public final class RawHttp {
  private RawHttp() {}

  /** More than any test answer; a server that sends more is cut off here. */
  private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  /**
   * How to send and how long to listen.
   *
   * @param readTimeout the longest the whole answer may take; a server still silent or still
   *     sending then is left, with {@link Answer#closed()} false
   * @param settle how long to wait for more bytes (a second response, the server closing) once one
   *     complete response has arrived
   * @param finishSending half-close the socket after writing, as a client with nothing more to send
   *     does: the server then reads end-of-stream instead of waiting for the rest
   */
  public record Options(Duration readTimeout, Duration settle, boolean finishSending) {

    public static final Options DEFAULT =
        new Options(Duration.ofSeconds(3), Duration.ofMillis(200), false);

    public Options readTimeout(Duration d) {
      return new Options(d, settle, finishSending);
    }

    public Options settle(Duration d) {
      return new Options(readTimeout, d, finishSending);
    }

    public Options finishSending(boolean finish) {
      return new Options(readTimeout, settle, finish);
    }
  }

  /**
   * The server's answer.
   *
   * @param text the raw bytes as ISO-8859-1, up to the server closing or the listening ending
   * @param closed the server closed or reset the connection (rather than leaving it open)
   */
  public record Answer(String text, boolean closed) {
    /** The status code of the first status line, or 0 when there was none. */
    public int status() {
      if (!text.startsWith("HTTP/1.") || text.length() < 12) {
        return 0;
      }
      return Integer.parseInt(text.substring(9, 12));
    }
  }

  /**
   * Writes {@code request} and reads until the server closes or stays silent for a moment after
   * sending a complete response. Closes the socket after reading.
   */
  public static Answer exchange(int port, String request) {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
  }

  public static Answer exchange(int port, byte[] request) {
    return exchange(port, request, Options.DEFAULT);
  }

  /**
   * Writes {@code request} on its own thread while reading on this one, so a server that answers
   * (or closes) before reading everything is seen as it is; every wait is bounded by {@code
   * options}.
   */
  public static Answer exchange(int port, byte[] request, Options options) {
    Socket socket = new Socket();
    Thread writer = null;
    try {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      writer = Thread.ofVirtual().start(() -> write(socket, request, options));
      return read(socket, options);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        socket.close(); // also releases a writer still blocked on a server that stopped reading
      } catch (IOException e) {
        // closing to leave
      }
      if (writer != null) {
        join(writer);
      }
    }
  }

  private static void write(Socket socket, byte[] request, Options options) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      if (options.finishSending()) {
        socket.shutdownOutput();
      }
    } catch (IOException e) {
      // The server may close before reading everything; what it answered still counts.
    }
  }

  private static void join(Thread writer) {
    try {
      if (!writer.join(Duration.ofSeconds(2))) {
        throw new IllegalStateException("raw writer still running after its socket was closed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Answer read(Socket socket, Options options) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    long deadline = System.nanoTime() + options.readTimeout().toNanos();
    long settleNanos = options.settle().toNanos();
    boolean complete = false;
    while (out.size() < MAX_ANSWER_BYTES) {
      long wait = deadline - System.nanoTime();
      if (complete) {
        wait = Math.min(wait, settleNanos);
      }
      if (wait <= 0) {
        break;
      }
      socket.setSoTimeout((int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        if (complete || System.nanoTime() - deadline >= 0) {
          break;
        }
        continue; // rounding: the deadline has not quite come
      } catch (IOException e) {
        return new Answer(text(out), true); // reset by the server: what arrived before counts
      }
      if (n < 0) {
        return new Answer(text(out), true);
      }
      out.write(buf, 0, n);
      complete = isCompleteResponse(text(out));
    }
    return new Answer(text(out), false);
  }

  private static String text(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean isCompleteResponse(String text) {
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return false;
    }
    String head = text.substring(0, headEnd).toLowerCase(Locale.ROOT);
    int cl = head.indexOf("content-length:");
    if (cl < 0) {
      return true;
    }
    int end = head.indexOf("\r\n", cl);
    long length = Long.parseLong(head.substring(cl + 15, end < 0 ? head.length() : end).trim());
    return text.length() - headEnd - 4 >= length;
  }
}
