package dev.llmrouter.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A response body as a blocking stream that hands out every byte that arrived before it reports a
 * failure. The JDK's own {@code BodyHandlers.ofInputStream()} throws as soon as the connection
 * breaks, dropping bytes it already holds: for a stream cut mid-answer that would lose the last
 * events the upstream did send, and the client must receive exactly those.
 */
final class DrainingBodyStream extends InputStream
    implements HttpResponse.BodySubscriber<InputStream> {

  static final HttpResponse.BodyHandler<InputStream> HANDLER = info -> new DrainingBodyStream();

  /** Queue items: a data batch, the end, a failure, or a close. */
  private sealed interface Item {}

  private record Data(List<ByteBuffer> buffers) implements Item {}

  private record End() implements Item {}

  private record Failure(Throwable cause) implements Item {}

  private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private volatile Flow.Subscription subscription;
  private volatile boolean closed;
  private Iterator<ByteBuffer> current;
  private ByteBuffer buffer;
  private Item terminal;

  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedFuture(this);
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (closed) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    try {
      queue.add(new Data(item));
    } catch (Throwable t) { // an OutOfMemoryError must not kill the client's selector thread
      close();
    }
  }

  @Override
  public void onError(Throwable throwable) {
    queue.add(new Failure(throwable));
  }

  @Override
  public void onComplete() {
    queue.add(new End());
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, buffer.remaining());
    buffer.get(b, off, n);
    return n;
  }

  /** Makes {@link #buffer} non-empty; false at the clean end; throws at a failure or close. */
  private boolean fill() throws IOException {
    while (buffer == null || !buffer.hasRemaining()) {
      if (current != null && current.hasNext()) {
        buffer = current.next();
        continue;
      }
      if (terminal == null) {
        Item item = take();
        switch (item) {
          case Data d -> {
            current = d.buffers().iterator();
            Flow.Subscription s = subscription;
            if (s != null && !closed) {
              s.request(1);
            }
            continue;
          }
          case End e -> terminal = e;
          case Failure f -> terminal = f;
        }
      }
      return switch (terminal) {
        case End e -> false;
        case Failure f -> throw new IOException("the upstream connection broke", f.cause());
        case Data d -> throw new IllegalStateException("data is never terminal");
      };
    }
    return true;
  }

  private Item take() throws IOException {
    if (closed) {
      throw new IOException("closed");
    }
    try {
      Item item = queue.take();
      if (closed) {
        throw new IOException("closed");
      }
      return item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Aborts the exchange and wakes a blocked reader, which then sees "closed". */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    queue.add(new Failure(new IOException("closed")));
  }
}
