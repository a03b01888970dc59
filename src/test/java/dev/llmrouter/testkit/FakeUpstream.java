package dev.llmrouter.testkit;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
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
 *
 * <p>This class owns the state and the threads; {@link RequestReader} parses the requests and
 * {@link ReplyWriter} plays the replies on the wire.
 */
public final class FakeUpstream implements AutoCloseable {

  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(5);

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
      ReplyWriter writer = new ReplyWriter(socket, in, out, this::noteClientGone);
      while (true) {
        RequestReader.ParsedRequest req;
        try {
          req = RequestReader.read(in, out);
        } catch (RequestReader.BadRequest e) {
          writer.badRequest(e.getMessage());
          return;
        }
        if (req == null) {
          return; // client closed an idle connection
        }
        Reply reply = record(req.received());
        if (!writer.write(reply, req.keepAlive())) {
          return;
        }
      }
    } catch (IOException e) {
      // the connection ends; failures that matter are reported by the ReplyWriter
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

  /**
   * Counts a client that left mid-reply. Once the fake is closed, broken connections are its own
   * doing, so they do not count.
   */
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
