package dev.llmrouter.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies within the configured limit. The JDK server has no limit of its own, so
 * memory stays bounded only if every read goes through here.
 */
final class RequestBodies {

  private RequestBodies() {}

  static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;
    final long limit;

    TooLarge(long limit) {
      super(null, null, false, false);
      this.limit = limit;
    }
  }

  /**
   * Throws before reading when Content-Length says too much; else cuts off once it passes.
   *
   * @throws IOException when the client went away or sent a broken body; the exchange then ends
   *     without an answer and the JDK closes the connection
   */
  static byte[] read(HttpExchange exchange, long limit) throws IOException, TooLarge {
    try {
      return readWithin(exchange, limit);
    } catch (IndexOutOfBoundsException e) {
      // The JDK's chunked decoder reads a chunk size into an int with no overflow check: from hex
      // 80000000 up the size turns negative and the read fails with this. It is the client's
      // broken body, not a router fault: end it like any other malformed chunk.
      throw new IOException("malformed chunk size in the request body", e);
    }
  }

  private static byte[] readWithin(HttpExchange exchange, long limit) throws IOException, TooLarge {
    InputStream in = exchange.getRequestBody();
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length = parseLength(declared);
      if (length > limit) {
        throw new TooLarge(limit);
      }
      if (length >= 0) {
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
          throw new IOException("request body ended early");
        }
        return bytes;
      }
    }
    // Chunked: readNBytes grows its buffer as data arrives, so a liar costs no more than the limit.
    byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
    if (bytes.length > limit) {
      throw new TooLarge(limit);
    }
    return bytes;
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
