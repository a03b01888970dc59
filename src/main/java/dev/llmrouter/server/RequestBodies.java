package dev.llmrouter.server;

import com.sun.net.httpserver.HttpExchange;
import dev.llmrouter.json.Json;
import dev.llmrouter.memory.MemoryBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads request bodies within the configured limit. The JDK server has no limit of its own, so
 * memory stays bounded only if every read goes through here.
 */
final class RequestBodies {

  private RequestBodies() {}

  /** Reading the body would take the router past server.max_buffered_bytes. */
  static final class OverBudget extends Exception {
    private static final long serialVersionUID = 1L;

    OverBudget() {
      super(null, null, false, false);
    }
  }

  static final class TooLarge extends Exception {
    private static final long serialVersionUID = 1L;
    final long limit;

    TooLarge(long limit) {
      super(null, null, false, false);
      this.limit = limit;
    }
  }

  /** How much of the budget a chunked body takes at a time. */
  private static final int RESERVE_STEP = 64 * 1024;

  /**
   * What a chunked body with trailer fields looks like to the JDK's decoder: it reads the last
   * (empty) chunk, then expects the blank line at once and fails on the first trailer line.
   */
  private static final String TRAILER_FAILURE = "invalid chunk end";

  /**
   * Throws before reading when Content-Length says too much; else cuts off once it passes.
   *
   * @return the body, and whether the connection must close after the answer (see {@link
   *     #readChunked})
   * @throws IOException when the client went away or sent a broken body
   */
  static Body read(HttpExchange exchange, long limit, MemoryBudget.Ledger memory)
      throws IOException, TooLarge, OverBudget {
    try {
      InputStream in = exchange.getRequestBody();
      String declared = exchange.getRequestHeaders().getFirst("Content-Length");
      if (declared == null) {
        return readChunked(in, limit, memory);
      }
      long length = Long.parseLong(declared); // the server checked it is only digits
      if (length > limit) {
        throw new TooLarge(limit);
      }
      byte[] bytes = readDeclared(in, (int) length, memory);
      // Reading on to the end lets the JDK see the body finished: with drainAmount 0 (see
      // JdkServerTuning) it would otherwise close a connection the client may reuse.
      if (in.read() >= 0) {
        throw new IOException("request body longer than its Content-Length");
      }
      return new Body(bytes, false);
    } catch (IndexOutOfBoundsException e) {
      // The JDK's chunked decoder reads a chunk size into an int with no overflow check: from hex
      // 80000000 up the size turns negative and the read fails with this. It is the client's
      // broken body, not a router fault: end it like any other malformed chunk.
      throw new IOException("malformed chunk size in the request body", e);
    }
  }

  /**
   * How much of a declared length is reserved, and allocated, before a byte of it arrives: 64 KiB,
   * so that a connection that declares a large body and trickles it holds little of the budget (at
   * 1 MiB, 64 such connections held a 64 MiB budget for the server's 60 s limit).
   */
  private static final int RESERVE_AHEAD = 64 << 10;

  /**
   * How much each step grows the array once it is full: a body that arrives takes few copies (a 500
   * KB request, two: 64 and 256 KiB), and one that stalls holds at most four times what it sent.
   */
  private static final int GROWTH = 4;

  /**
   * A body of a declared length, into one array that grows ({@value #GROWTH} times, to exactly the
   * length) as its bytes arrive, each size reserved before it is allocated. A length reserved whole
   * before anything arrived would let a few connections that declare 32 MiB and send nothing hold
   * the whole budget until the server's 60 s limit, refusing every other request meanwhile.
   *
   * @throws OverBudget before the first byte when the whole length would not fit in what the budget
   *     has free now, or even the first step does not fit; else as soon as the next step does not
   */
  private static byte[] readDeclared(InputStream in, int length, MemoryBudget.Ledger memory)
      throws IOException, OverBudget {
    int size = Math.min(length, RESERVE_AHEAD);
    if (!memory.wouldFit(length) || !memory.reserve(size)) {
      throw new OverBudget();
    }
    byte[] bytes = new byte[size];
    int filled = 0;
    while (filled < length) {
      if (filled == bytes.length) {
        int next = (int) Math.min(length, (long) GROWTH * bytes.length);
        if (!memory.reserve(next - bytes.length)) {
          throw new OverBudget();
        }
        bytes = Arrays.copyOf(bytes, next);
      }
      int n = in.read(bytes, filled, bytes.length - filled);
      if (n < 0) {
        throw new IOException("request body ended early");
      }
      filled += n;
    }
    return bytes;
  }

  /**
   * For a request that declares no body (a GET, typically): reads its empty body to the end, which
   * returns at once. The JDK keeps a connection open after the answer only if it saw the request
   * body end (with drainAmount 0, see JdkServerTuning), and a GET's is never read otherwise. A
   * request that declares a body is left alone: its connection closes after the answer.
   */
  static void finishEmpty(HttpExchange exchange) throws IOException {
    var headers = exchange.getRequestHeaders();
    String length = headers.getFirst("Content-Length");
    if (!headers.containsKey("Transfer-Encoding") && (length == null || length.equals("0"))) {
      int unused = exchange.getRequestBody().read();
    }
  }

  /** A request body; {@code closeAfter} when the connection cannot serve another request. */
  @SuppressWarnings("ArrayRecordComponent") // handed on as it is; never mutated
  record Body(byte[] bytes, boolean closeAfter) {}

  /**
   * A chunked body, grown as data arrives, so a liar costs no more than the limit. Trailer fields
   * (RFC 9112 7.1.2) are legal, but the JDK's decoder fails on them after the body's last chunk: a
   * body that is then one whole JSON value was complete, and is taken, trailers ignored. The
   * trailer lines are still unread on the connection, so it is closed after the answer.
   */
  private static Body readChunked(InputStream in, long limit, MemoryBudget.Ledger memory)
      throws IOException, TooLarge, OverBudget {
    ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
    byte[] buffer = new byte[8192];
    long reserved = 0;
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (body.size() + (long) n > limit) {
          throw new TooLarge(limit);
        }
        if (body.size() + n > reserved) {
          // In steps, not per read: the budget is shared by every request.
          long step = Math.max(RESERVE_STEP, n);
          if (!memory.reserve(step)) {
            throw new OverBudget();
          }
          reserved += step;
        }
        body.write(buffer, 0, n);
      }
      return new Body(body.toByteArray(), false);
    } catch (IOException e) {
      byte[] sofar = body.toByteArray();
      if (TRAILER_FAILURE.equals(e.getMessage()) && Json.isWellFormed(sofar)) {
        return new Body(sofar, true);
      }
      throw e;
    }
  }
}
