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

  /** Throws before reading when Content-Length says too much; else cuts off once it passes. */
  static byte[] read(HttpExchange exchange, long limit) throws IOException, TooLarge {
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
