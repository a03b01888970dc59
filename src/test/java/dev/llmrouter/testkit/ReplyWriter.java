package dev.llmrouter.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes scripted {@link Reply}s onto one {@link FakeUpstream} connection, misbehaving at the byte
 * level as each one says: truncated bodies, raw bytes, resets, hangs, and event streams with gaps,
 * breaks and stalls. Kept apart from the fake so that its server loop only reads, records and hands
 * over. One per connection, owned by that connection's thread.
 */
final class ReplyWriter {

  private static final byte[] CRLF = {'\r', '\n'};

  /** An endless reply still ends by itself after this many bytes: every test is bounded. */
  static final long ENDLESS_LIMIT = 8L * 1024 * 1024 * 1024;

  /** ... or after this long. */
  static final long ENDLESS_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(90);

  private final Socket socket;
  private final WireInput in;
  private final OutputStream out;
  private final Runnable onClientGone;

  /**
   * @param in the connection's input, watched during delays and hangs to see the client leave
   * @param onClientGone told when the client goes away while a reply is written or held
   */
  ReplyWriter(Socket socket, WireInput in, OutputStream out, Runnable onClientGone) {
    this.socket = socket;
    this.in = in;
    this.out = out;
    this.onClientGone = onClientGone;
  }

  /** Answers a malformed request with a 400 carrying {@code message}; the connection then ends. */
  void badRequest(String message) throws IOException {
    byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
    writeHead(400, List.of(new Reply.Header("Content-Type", "text/plain")), true);
    writeHeader("Content-Length", Integer.toString(bytes.length));
    out.write(CRLF);
    out.write(bytes);
    out.flush();
  }

  /** Plays {@code reply}; returns true when the connection may serve another request. */
  boolean write(Reply reply, boolean keepAlive) throws IOException {
    if (!reply.delay.isZero() && !held(in.waitWatching(reply.delay))) {
      return false;
    }
    try {
      return switch (reply.kind) {
        case RESPONSE -> {
          byte[] body = reply.body();
          writeHead(reply.status, reply.headers, !keepAlive);
          writeHeader("Content-Length", Integer.toString(body.length));
          out.write(CRLF);
          out.write(body);
          out.flush();
          yield keepAlive;
        }
        case TRUNCATED -> {
          byte[] body = reply.body();
          writeHead(reply.status, reply.headers, false);
          writeHeader("Content-Length", Integer.toString(body.length));
          out.write(CRLF);
          out.write(body, 0, reply.bytesSent);
          out.flush();
          socket.shutdownOutput();
          yield false;
        }
        case RAW -> {
          out.write(reply.body());
          out.flush();
          socket.shutdownOutput();
          yield false;
        }
        case RESET -> endWithReset();
        case HANG -> endWithHang();
        case SSE -> writeSse(reply, keepAlive);
        case ENDLESS -> writeEndless(reply);
      };
    } catch (IOException e) {
      onClientGone.run(); // a write failed: the client is gone (or the fake closed the socket)
      return false;
    }
  }

  private boolean writeSse(Reply reply, boolean keepAlive) throws IOException {
    writeHead(reply.status, reply.headers, !keepAlive);
    writeHeader("Transfer-Encoding", "chunked");
    out.write(CRLF);
    out.flush();
    int count =
        reply.endAfter < 0 ? reply.events.size() : Math.min(reply.endAfter, reply.events.size());
    for (int i = 0; i < count; i++) {
      if (i > 0 && !reply.eventGap.isZero() && !held(in.waitWatching(reply.eventGap))) {
        return false;
      }
      byte[] chunk = (reply.events.get(i) + "\n\n").getBytes(StandardCharsets.UTF_8);
      out.write(Integer.toHexString(chunk.length).getBytes(StandardCharsets.ISO_8859_1));
      out.write(CRLF);
      out.write(chunk);
      out.write(CRLF);
      out.flush();
    }
    return switch (reply.streamEnd) {
      case COMPLETE -> {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        yield keepAlive;
      }
      case CLOSE -> {
        socket.shutdownOutput();
        yield false;
      }
      case RESET -> endWithReset();
      case HANG -> endWithHang();
    };
  }

  /** The body again and again, one chunk each, until the client leaves or a bound is reached. */
  private boolean writeEndless(Reply reply) throws IOException {
    writeHead(reply.status, reply.headers, true);
    writeHeader("Transfer-Encoding", "chunked");
    out.write(CRLF);
    byte[] unit = reply.body();
    byte[] size = (Integer.toHexString(unit.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    long deadline = System.nanoTime() + ENDLESS_NANOS;
    for (long sent = 0; sent < ENDLESS_LIMIT && System.nanoTime() < deadline; sent += unit.length) {
      out.write(size);
      out.write(unit);
      out.write(CRLF);
      out.flush();
    }
    socket.shutdownOutput();
    return false;
  }

  /** Interprets the end of a wait on a held reply; true if the reply should go on. */
  private boolean held(WireInput.Wait outcome) {
    return switch (outcome) {
      case ELAPSED -> true;
      case CLIENT_GONE -> {
        onClientGone.run();
        yield false;
      }
      case CLOSED -> false;
    };
  }

  /** Ends the connection with a TCP RST instead of a FIN: a zero linger makes close reset. */
  private boolean endWithReset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
    return false;
  }

  /** Goes silent and holds the connection until the client leaves or the fake closes. */
  private boolean endWithHang() {
    held(in.waitWatching(null));
    return false;
  }

  private void writeHead(int status, List<Reply.Header> headers, boolean connectionClose)
      throws IOException {
    out.write(
        ("HTTP/1.1 " + status + " " + reason(status) + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    for (Reply.Header h : headers) {
      writeHeader(h.name(), h.value());
    }
    if (connectionClose) {
      writeHeader("Connection", "close");
    }
  }

  private void writeHeader(String name, String value) throws IOException {
    out.write((name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  private static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 413 -> "Payload Too Large";
      case 422 -> "Unprocessable Entity";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "";
    };
  }
}
