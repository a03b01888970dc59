package dev.llmrouter.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** Sends exact bytes to a server and reads what comes back, for what an HTTP client won't send. */
public final class RawHttp {
  private RawHttp() {}

  /** The server's answer: the raw text up to the server closing, or the read timeout. */
  public record Answer(String text) {
    /** The status code of the first status line, or 0 when there was none (closed). */
    public int status() {
      if (!text.startsWith("HTTP/1.")) {
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
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
      socket.setSoTimeout(3_000);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // The server may close before reading everything; what it answered still counts.
      }
      return new Answer(readAvailable(socket.getInputStream(), socket));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readAvailable(InputStream in, Socket socket) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    while (true) {
      int n;
      try {
        n = in.read(buf);
      } catch (SocketTimeoutException e) {
        break;
      } catch (IOException e) {
        break; // reset by the server: what arrived before counts
      }
      if (n < 0) {
        break;
      }
      out.write(buf, 0, n);
      if (isCompleteResponse(out.toString(StandardCharsets.ISO_8859_1))) {
        socket.setSoTimeout(200);
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  private static boolean isCompleteResponse(String text) {
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return false;
    }
    String head = text.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
    int cl = head.indexOf("content-length:");
    if (cl < 0) {
      return true;
    }
    int end = head.indexOf("\r\n", cl);
    long length = Long.parseLong(head.substring(cl + 15, end < 0 ? head.length() : end).trim());
    return text.length() - headEnd - 4 >= length;
  }
}
