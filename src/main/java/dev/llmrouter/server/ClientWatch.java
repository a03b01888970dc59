package dev.llmrouter.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Notices a client that goes away while its request waits for an upstream, so that the upstream
 * call is cancelled at once instead of running on (and holding its in-flight slot) until the
 * provider answers. The JDK server notices a gone client only when a write fails, and a
 * non-streaming answer has nothing to write before the upstream answers.
 *
 * <p>A request that is still waiting after {@link #WATCH_AFTER_NANOS} has its connection watched by
 * one selector thread (sooner would only add work to the requests that are answered at once: until
 * then a watch is an entry in a queue, and releasing it touches nothing else). Readable means the
 * client closed (end of stream, or a reset), or sent bytes early (a pipelined request, which HTTP
 * clients do not send; that connection is then closed after the answer). Before the answer is
 * written the connection goes back to the JDK exactly as it was: blocking, and registered with no
 * selector of ours.
 *
 * <p>The JDK's server API does not expose the connection's channel: it is read through {@code
 * sun.net.httpserver}, which the runnable jar's manifest opens ({@code Add-Opens}) and the image's
 * launcher too ({@code --add-opens}). Where that package is not open (an embedding program that did
 * not add {@code --add-opens jdk.httpserver/sun.net.httpserver=...}), nothing is watched and such
 * requests run on as before.
 */
final class ClientWatch implements AutoCloseable {

  private static final System.Logger CONSOLE = System.getLogger("llm-api-router");

  /** How long a request waits before its connection is watched. */
  static final long WATCH_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  /** The watch thread's longest sleep: the precision of {@link #WATCH_AFTER_NANOS}. */
  private static final long TICK_MILLIS = 50;

  /** How long handing a connection back may take: one wake-up of the watch thread. */
  private static final long RELEASE_WAIT_MILLIS = 1000;

  private static final Channels CHANNELS = Channels.find();

  private final Selector selector;
  private final Thread thread;
  private final Queue<CountDownLatch> releases = new ConcurrentLinkedQueue<>();

  /** Watches not yet registered, in the order they become due (the delay is the same for all). */
  private final Queue<Watch> pending = new ConcurrentLinkedQueue<>();

  private volatile boolean closed;

  /** {@link #WATCH_AFTER_NANOS}, but for tests that must see a watch before it is due. */
  private final long watchAfterNanos;

  private ClientWatch(Selector selector, long watchAfterNanos) {
    this.selector = selector;
    this.watchAfterNanos = watchAfterNanos;
    this.thread = Thread.ofPlatform().daemon().name("client-watch").start(this::run);
  }

  /** A watch thread, or null where the JDK's connections cannot be reached. */
  static ClientWatch start() {
    return start(WATCH_AFTER_NANOS);
  }

  static ClientWatch start(long watchAfterNanos) {
    if (CHANNELS == null) {
      return null;
    }
    try {
      return new ClientWatch(Selector.open(), watchAfterNanos);
    } catch (IOException e) {
      CONSOLE.log(System.Logger.Level.WARNING, "client watch unavailable: " + e);
      return null;
    }
  }

  /** One request's watch. {@link #release} it before anything is written to the client. */
  final class Watch {
    private static final int PENDING = 0;
    private static final int WATCHING = 1;
    private static final int GONE = 2;
    private static final int RELEASED = 3;

    private final SocketChannel channel;

    /**
     * Dropped on release: a released watch waits in {@link #pending} until it is due, and what
     * {@code onGone} holds (the handler's virtual thread with its stack) would otherwise stay
     * reachable with it, 100-150 ms per request. At c=1 that was 3.8 MB of young objects copied by
     * every collection, which then took 5 ms instead of 1 (bench/README).
     */
    private volatile Runnable onGone;

    private final long due = System.nanoTime() + watchAfterNanos;
    private final AtomicInteger state = new AtomicInteger(PENDING);
    private volatile SelectionKey key;
    private volatile boolean spoiled;

    private Watch(SocketChannel channel, Runnable onGone) {
      this.channel = channel;
      this.onGone = onGone;
    }

    /** On the watch thread, once due: registers the connection unless the request is done. */
    private void activate() {
      synchronized (this) {
        if (state.get() != PENDING) {
          return; // released already: the JDK has the connection back
        }
        try {
          synchronized (channel.blockingLock()) {
            channel.configureBlocking(false);
          }
          key = channel.register(selector, SelectionKey.OP_READ, this);
          state.set(WATCHING);
        } catch (IOException | RuntimeException e) {
          restoreBlocking();
          state.set(RELEASED);
        }
      }
    }

    private boolean restoreBlocking() {
      try {
        synchronized (channel.blockingLock()) {
          channel.configureBlocking(true);
        }
        return true;
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }

    /** Called on the watch thread when the connection turned readable. */
    private void readable(SelectionKey k) {
      k.cancel();
      int n;
      try {
        n = channel.read(ByteBuffer.allocate(1));
      } catch (IOException e) {
        n = -1; // reset by the client
      }
      if (n > 0) {
        spoiled = true; // a byte of whatever came next is gone: close after the answer
        return;
      }
      Runnable gone = onGone;
      if (n < 0 && gone != null && state.compareAndSet(WATCHING, GONE)) {
        gone.run();
      }
    }

    /**
     * Stops watching and hands the connection back to the JDK as it was.
     *
     * @return false when the client went away (or the connection cannot be used for another
     *     request): answer nothing more than necessary and close it
     */
    boolean release() {
      synchronized (this) {
        if (state.compareAndSet(PENDING, RELEASED)) {
          onGone = null;
          return true; // never registered: answered within the delay, nothing to undo
        }
      }
      boolean gone = !state.compareAndSet(WATCHING, RELEASED);
      onGone = null;
      SelectionKey k = key;
      if (k != null) {
        k.cancel();
        CountDownLatch deregistered = new CountDownLatch(1);
        releases.add(deregistered);
        selector.wakeup();
        try {
          // A cancelled key leaves the channel only at the selector's next selection.
          if (!deregistered.await(RELEASE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            return false;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return restoreBlocking() && !gone && !spoiled;
    }
  }

  /**
   * Closes the exchange's connection, which fails a write blocked on it (a client that stopped
   * reading); false where the channel cannot be reached (nothing is closed).
   */
  static boolean close(HttpExchange exchange) {
    SocketChannel channel = CHANNELS == null ? null : CHANNELS.of(exchange);
    if (channel == null) {
      return false;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Closing to end it: nothing more to do.
    }
    return true;
  }

  /**
   * Starts watching the exchange's connection; {@code onGone} runs (once, on the watch thread) if
   * the client goes away before {@link Watch#release}. Null when it cannot be watched.
   */
  Watch watch(HttpExchange exchange, Runnable onGone) {
    SocketChannel channel = CHANNELS.of(exchange);
    if (channel == null || closed) {
      return null;
    }
    Watch watch = new Watch(channel, onGone);
    pending.add(watch);
    return watch;
  }

  private void run() {
    while (!closed) {
      try {
        selector.select(TICK_MILLIS);
        for (SelectionKey k : selector.selectedKeys()) {
          if (k.isValid() && k.attachment() instanceof Watch w) {
            w.readable(k);
          }
        }
        selector.selectedKeys().clear();
        // The selection just done has deregistered every key cancelled before it.
        CountDownLatch released;
        while ((released = releases.poll()) != null) {
          released.countDown();
        }
        long now = System.nanoTime();
        Watch due;
        while ((due = pending.peek()) != null && now - due.due >= 0) {
          pending.poll();
          due.activate();
        }
      } catch (ClosedSelectorException e) {
        return;
      } catch (Throwable t) { // this thread must outlive whatever one connection does
        CONSOLE.log(System.Logger.Level.DEBUG, "client watch: " + t);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      selector.close();
    } catch (IOException e) {
      // closing on the way out
    }
    thread.interrupt();
  }

  /** The JDK's channel of an exchange, through sun.net.httpserver when that package is open. */
  private record Channels(Field impl, Method connection, Method channel) {
    static Channels find() {
      try {
        Field impl = Class.forName("sun.net.httpserver.HttpExchangeImpl").getDeclaredField("impl");
        Method connection =
            Class.forName("sun.net.httpserver.ExchangeImpl").getDeclaredMethod("getConnection");
        Method channel =
            Class.forName("sun.net.httpserver.HttpConnection").getDeclaredMethod("getChannel");
        impl.setAccessible(true);
        connection.setAccessible(true);
        channel.setAccessible(true);
        return new Channels(impl, connection, channel);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // not open to us: requests waiting upstream are not watched
      }
    }

    SocketChannel of(HttpExchange exchange) {
      try {
        Object exchangeImpl = impl.get(exchange);
        return (SocketChannel) channel.invoke(connection.invoke(exchangeImpl));
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null; // another HttpExchange (HTTPS, another provider): not watched
      }
    }
  }
}
