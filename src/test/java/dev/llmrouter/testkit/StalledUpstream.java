package dev.llmrouter.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A provider whose connections open but that never reads a byte from them: a request larger than
 * the sockets' buffers is never sent whole. What {@link FakeUpstream} cannot play, since it reads
 * every request before it replies. Counts the connections it accepted (one per attempt).
 */
public final class StalledUpstream implements AutoCloseable {

  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  private StalledUpstream(ServerSocket server) {
    this.server = server;
    this.acceptor = Thread.ofVirtual().name("stalled-upstream").start(this::acceptLoop);
  }

  public static StalledUpstream start() {
    try {
      ServerSocket server = new ServerSocket();
      // A small receive window, set before binding so that accepted connections inherit it: only
      // the sender's own buffer (at most a few MiB) then holds what is never read.
      server.setReceiveBufferSize(4096);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      return new StalledUpstream(server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Connections accepted so far. */
  public int connections() {
    return accepted.size();
  }

  private void acceptLoop() {
    while (true) {
      try {
        accepted.add(server.accept());
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : accepted) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    try {
      acceptor.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
