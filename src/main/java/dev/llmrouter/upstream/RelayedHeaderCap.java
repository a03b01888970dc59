package dev.llmrouter.upstream;

import dev.llmrouter.upstream.HeaderPolicy.Header;
import java.util.ArrayList;
import java.util.List;

/**
 * How many of an upstream's headers reach the client: at most {@link #MAX_LINES} lines and {@link
 * #MAX_BYTES} bytes. The JDK's client takes hundreds of KB of headers, while clients refuse far
 * less: Node.js (and the OpenAI and Anthropic SDKs on it) 16 KB in all, Python's http.client 100
 * lines. Real providers send 20-40 lines, under 3 KB, so only a flood is cut, and what clients read
 * goes first: the content type, the request id and the rate-limit headers.
 */
final class RelayedHeaderCap {

  static final int MAX_LINES = 64;

  static final int MAX_BYTES = 8 * 1024;

  private RelayedHeaderCap() {}

  /** {@code headers} (names lower-cased) as they are when within the caps, else those that fit. */
  static List<Header> bound(List<Header> headers) {
    int bytes = 0;
    for (Header h : headers) {
      bytes += size(h);
    }
    if (headers.size() <= MAX_LINES && bytes <= MAX_BYTES) {
      return headers;
    }
    boolean[] kept = new boolean[headers.size()];
    int[] used = new int[2]; // lines, bytes
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < headers.size(); i++) {
        Header h = headers.get(i);
        if (!kept[i] && (pass == 1 || readByClients(h.name()))) {
          // A header too large for what is left is passed over; a smaller one may still fit.
          if (used[0] < MAX_LINES && used[1] + size(h) <= MAX_BYTES) {
            kept[i] = true;
            used[0]++;
            used[1] += size(h);
          }
        }
      }
    }
    List<Header> out = new ArrayList<>(used[0]);
    for (int i = 0; i < headers.size(); i++) {
      if (kept[i]) {
        out.add(headers.get(i)); // in the upstream's order
      }
    }
    return out;
  }

  private static int size(Header h) {
    return h.name().length() + h.value().length() + 4; // ": " and CR LF
  }

  /** What the SDKs read: the body's type, the id to quote, when to try again and what is left. */
  private static boolean readByClients(String name) {
    return name.equals("content-type")
        || name.startsWith("retry-after")
        || name.endsWith("request-id")
        || name.contains("ratelimit");
  }
}
