package dev.llmrouter.testkit;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A scriptable fake upstream HTTP/1.1 server on {@code 127.0.0.1}, built on a raw {@link
 * ServerSocket} so replies can misbehave at the byte level (resets, truncation, hangs, slow or
 * broken event streams).
 *
 * <p>Each connection gets one virtual thread that serves requests in a keep-alive loop. Every
 * request is recorded before its reply starts, then answered with the next {@link Reply} from the
 * {@linkplain #enqueue queue}, or with the {@linkplain #always default} once the queue is empty.
 * {@link #close()} stops everything, including hanging and delayed replies.
 */
public final class FakeUpstream implements AutoCloseable {

  private static final int MAX_LINE = 64 * 1024;
  private static final int MAX_HEADERS = 256;
  private static final int MAX_BODY = 64 * 1024 * 1024;
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);
  private static final byte[] CRLF = {'\r', '\n'};

  private final ServerSocket server;
  private final Thread acceptor;
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  // guarded by lock
  private final Deque<Reply> queue = new ArrayDeque<>();
  private final List<Received> received = new ArrayList<>();
  private final Set<Socket> sockets = new HashSet<>();
  private Reply always = Reply.openAiOk();
  private int clientsGone;
  private boolean closed;

  private FakeUpstream(ServerSocket server) {
    this.server = server;
    this.acceptor =
        Thread.ofVirtual()
            .name("fake-upstream-accept-" + server.getLocalPort())
            .unstarted(this::acceptLoop);
  }

  /** Binds a new fake to {@code 127.0.0.1} on a free port and starts accepting. */
  public static FakeUpstream start() {
    try {
      ServerSocket server =
          new ServerSocket(0, 128, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
      FakeUpstream fake = new FakeUpstream(server);
      fake.acceptor.start();
      return fake;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The bound port. */
  public int port() {
    return server.getLocalPort();
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  /** Queues replies, served in order, one per request, before falling back to {@link #always}. */
  public FakeUpstream enqueue(Reply... replies) {
    lock.lock();
    try {
      for (Reply r : replies) {
        queue.addLast(Objects.requireNonNull(r, "reply"));
      }
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** Sets the reply used when the queue is empty (initially {@link Reply#openAiOk()}). */
  public FakeUpstream always(Reply reply) {
    lock.lock();
    try {
      always = Objects.requireNonNull(reply, "reply");
    } finally {
      lock.unlock();
    }
    return this;
  }

  /** A snapshot of every request received so far, in arrival order. */
  public List<Received> received() {
    lock.lock();
    try {
      return List.copyOf(received);
    } finally {
      lock.unlock();
    }
  }

  /** How many requests have been received so far. */
  public int requestCount() {
    lock.lock();
    try {
      return received.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Blocks until the {@code n}-th request (1-based) has been received and returns it.
   *
   * @throws AssertionError if it has not arrived within {@code timeout}, or the fake was closed
   */
  public Received awaitRequest(int n, Duration timeout) {
    if (n < 1) {
      throw new IllegalArgumentException("n is 1-based, was " + n);
    }
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (received.size() < n) {
        if (remaining <= 0 || closed) {
          throw new AssertionError(
              "expected request #"
                  + n
                  + " within "
                  + timeout
                  + " but got "
                  + received.size()
                  + ": "
                  + received);
        }
        remaining = changed.awaitNanos(remaining);
      }
      return received.get(n - 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for request #" + n, e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the client has gone away from a connection on which a reply was being written or
   * held (a delay, a hang, a slow event stream): detected as EOF or a reset on read, or a failed
   * write.
   *
   * @return {@code true} once that has happened (at any time since start), {@code false} on timeout
   */
  public boolean awaitClientGone(Duration timeout) {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (clientsGone == 0) {
        if (remaining <= 0 || closed) {
          return false;
        }
        remaining = changed.awaitNanos(remaining);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for the client to go away", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the listening socket and every open connection, releasing hangs and delays, and waits
   * (bounded) for all of the fake's threads to end. Idempotent.
   *
   * @throws IllegalStateException if a thread of the fake is still running after the bounded wait
   */
  @Override
  public void close() {
    List<Socket> open;
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      open = List.copyOf(sockets);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    closeQuietly(server);
    open.forEach(FakeUpstream::closeQuietly);
    long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
    join(acceptor, deadline);
    for (Thread t : List.copyOf(threads)) {
      join(t, deadline);
    }
    if (acceptor.isAlive() || !threads.isEmpty()) {
      throw new IllegalStateException(
          "fake upstream threads still running after close: " + threads);
    }
  }

  /** Live connection threads; for the fake's own tests. */
  int liveThreads() {
    return threads.size() + (acceptor.isAlive() ? 1 : 0);
  }

  // ---------------------------------------------------------------- server side

  private void acceptLoop() {
    while (true) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return; // server socket closed
      }
      lock.lock();
      try {
        if (closed) {
          closeQuietly(socket);
          return;
        }
        sockets.add(socket);
      } finally {
        lock.unlock();
      }
      Thread t =
          Thread.ofVirtual()
              .name("fake-upstream-conn-" + port() + "-" + socket.getPort())
              .unstarted(() -> serveConnection(socket));
      threads.add(t);
      t.start();
    }
  }

  private void serveConnection(Socket socket) {
    try (socket) {
      socket.setTcpNoDelay(true);
      WireInput in = new WireInput(socket);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      while (true) {
        ParsedRequest req;
        try {
          req = readRequest(in, out);
        } catch (BadRequest e) {
          byte[] message = e.getMessage().getBytes(StandardCharsets.UTF_8);
          writeHead(out, 400, List.of(new Reply.Header("Content-Type", "text/plain")), true);
          writeHeader(out, "Content-Length", Integer.toString(message.length));
          out.write(CRLF);
          out.write(message);
          out.flush();
          return;
        }
        if (req == null) {
          return; // client closed an idle connection
        }
        Reply reply = record(req.received);
        if (!serve(reply, req.keepAlive, socket, in, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // the connection ends; failures that matter are recorded by serve()
    } finally {
      lock.lock();
      try {
        sockets.remove(socket);
      } finally {
        lock.unlock();
      }
      threads.remove(Thread.currentThread());
    }
  }

  private Reply record(Received r) {
    lock.lock();
    try {
      received.add(r);
      changed.signalAll();
      Reply next = queue.pollFirst();
      return next != null ? next : always;
    } finally {
      lock.unlock();
    }
  }

  private void noteClientGone() {
    lock.lock();
    try {
      if (!closed) {
        clientsGone++;
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private boolean isClosed() {
    lock.lock();
    try {
      return closed;
    } finally {
      lock.unlock();
    }
  }

  /** Returns true when the connection may serve another request. */
  private boolean serve(
      Reply reply, boolean keepAlive, Socket socket, WireInput in, OutputStream out)
      throws IOException {
    if (!reply.delay.isZero() && !held(in.waitWatching(reply.delay))) {
      return false;
    }
    try {
      return switch (reply.kind) {
        case RESPONSE -> {
          byte[] body = reply.body();
          writeHead(out, reply.status, reply.headers, !keepAlive);
          writeHeader(out, "Content-Length", Integer.toString(body.length));
          out.write(CRLF);
          out.write(body);
          out.flush();
          yield keepAlive;
        }
        case TRUNCATED -> {
          byte[] body = reply.body();
          writeHead(out, reply.status, reply.headers, false);
          writeHeader(out, "Content-Length", Integer.toString(body.length));
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
        case RESET -> {
          reset(socket);
          yield false;
        }
        case HANG -> {
          held(in.waitWatching(null));
          yield false;
        }
        case SSE -> serveSse(reply, keepAlive, socket, in, out);
      };
    } catch (IOException e) {
      if (!isClosed()) {
        noteClientGone(); // a write failed: the client is gone
      }
      return false;
    }
  }

  private boolean serveSse(
      Reply reply, boolean keepAlive, Socket socket, WireInput in, OutputStream out)
      throws IOException {
    writeHead(out, reply.status, reply.headers, !keepAlive);
    writeHeader(out, "Transfer-Encoding", "chunked");
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
      case RESET -> {
        reset(socket);
        yield false;
      }
      case HANG -> {
        held(in.waitWatching(null));
        yield false;
      }
    };
  }

  /** Interprets the end of a wait on a held reply; true if the reply should go on. */
  private boolean held(WireInput.Wait outcome) {
    return switch (outcome) {
      case ELAPSED -> true;
      case CLIENT_GONE -> {
        noteClientGone();
        yield false;
      }
      case CLOSED -> false;
    };
  }

  private static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  private static void writeHead(
      OutputStream out, int status, List<Reply.Header> headers, boolean connectionClose)
      throws IOException {
    out.write(
        ("HTTP/1.1 " + status + " " + reason(status) + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    for (Reply.Header h : headers) {
      writeHeader(out, h.name(), h.value());
    }
    if (connectionClose) {
      writeHeader(out, "Connection", "close");
    }
  }

  private static void writeHeader(OutputStream out, String name, String value) throws IOException {
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

  // ---------------------------------------------------------------- request parsing

  private record ParsedRequest(Received received, boolean keepAlive) {}

  /** A malformed request; the message is sent back in a 400. */
  private static final class BadRequest extends IOException {
    BadRequest(String message) {
      super(message);
    }
  }

  /** Reads one request, or returns null if the client closed the connection between requests. */
  private static ParsedRequest readRequest(WireInput in, OutputStream out) throws IOException {
    String line = in.readLine(MAX_LINE);
    while (line != null && line.isEmpty()) {
      line = in.readLine(MAX_LINE); // tolerate stray CRLFs between requests
    }
    if (line == null) {
      return null;
    }
    String[] parts = line.split(" ", -1);
    if (parts.length != 3
        || parts[0].isEmpty()
        || parts[1].isEmpty()
        || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest("bad request line: " + line);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int count = 0; ; count++) {
      String h = in.readLine(MAX_LINE);
      if (h == null) {
        throw new EOFException("stream ended in the headers");
      }
      if (h.isEmpty()) {
        break;
      }
      int colon = h.indexOf(':');
      if (colon <= 0 || count >= MAX_HEADERS) {
        throw new BadRequest("bad header line: " + h);
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).strip();
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }

    if ("100-continue".equalsIgnoreCase(first(headers, "expect"))) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    byte[] body = readBody(in, headers);

    String connection =
        String.join(",", headers.getOrDefault("connection", List.of())).toLowerCase(Locale.ROOT);
    boolean keepAlive =
        parts[2].equals("HTTP/1.0")
            ? hasToken(connection, "keep-alive")
            : !hasToken(connection, "close");
    return new ParsedRequest(new Received(parts[0], parts[1], headers, body), keepAlive);
  }

  private static byte[] readBody(WireInput in, Map<String, List<String>> headers)
      throws IOException {
    List<String> te = headers.get("transfer-encoding");
    if (te != null) {
      String codings = String.join(",", te).toLowerCase(Locale.ROOT).strip();
      if (!codings.endsWith("chunked")) {
        throw new BadRequest("unsupported transfer-encoding: " + codings);
      }
      return readChunked(in);
    }
    List<String> cl = headers.get("content-length");
    if (cl == null) {
      return new byte[0];
    }
    List<String> distinct = cl.stream().map(String::strip).distinct().toList();
    long length;
    try {
      length = distinct.size() == 1 ? Long.parseLong(distinct.get(0)) : -1;
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length < 0 || length > MAX_BODY) {
      throw new BadRequest("bad content-length: " + cl);
    }
    return in.readExactly((int) length);
  }

  private static byte[] readChunked(WireInput in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = in.readLine(MAX_LINE);
      if (sizeLine == null) {
        throw new EOFException("stream ended in a chunked body");
      }
      int semi = sizeLine.indexOf(';');
      String hex = (semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).strip();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw new BadRequest("bad chunk size: " + sizeLine);
      }
      if (size < 0 || body.size() + (long) size > MAX_BODY) {
        throw new BadRequest("bad chunk size: " + sizeLine);
      }
      if (size == 0) {
        // trailer section, ignored
        String trailer;
        do {
          trailer = in.readLine(MAX_LINE);
          if (trailer == null) {
            throw new EOFException("stream ended in chunked trailers");
          }
        } while (!trailer.isEmpty());
        return body.toByteArray();
      }
      body.write(in.readExactly(size));
      String crlf = in.readLine(MAX_LINE);
      if (crlf == null || !crlf.isEmpty()) {
        throw new BadRequest("missing CRLF after chunk data");
      }
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static boolean hasToken(String commaList, String token) {
    for (String t : commaList.split(",", -1)) {
      if (t.strip().equals(token)) {
        return true;
      }
    }
    return false;
  }

  private static void join(Thread t, long deadlineNanos) {
    long ms = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    try {
      if (ms > 0) {
        t.join(ms);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // closing anyway
    }
  }
}
