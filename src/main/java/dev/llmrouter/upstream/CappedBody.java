package dev.llmrouter.upstream;

import dev.llmrouter.memory.MemoryBudget;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A whole response body, up to a limit: one faulty or hostile upstream must not be able to fill the
 * heap. Past the limit (or at once, when Content-Length already says more) the exchange is
 * cancelled, which closes its connection, so nothing more is read, and the attempt fails with
 * {@link TooLarge}. The parts are joined into one array by {@link Parts#bytes()} on the caller's
 * thread, not here: these callbacks may run on the client's selector thread, which a 64 MiB copy
 * would hold up for every other upstream.
 */
final class CappedBody implements HttpResponse.BodySubscriber<CappedBody.Parts> {

  /** The body passed the limit: the attempt is broken, and the exchange was cancelled. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("response body over " + limit + " bytes");
    }
  }

  /**
   * Buffering more would take the router past {@code server.max_buffered_bytes}: the attempt is
   * broken, like one over the size limit.
   */
  static final class OverBudget extends IOException {
    private static final long serialVersionUID = 1L;

    OverBudget() {
      super("memory budget for buffered bodies (server.max_buffered_bytes) exhausted");
    }
  }

  /**
   * One body: an array filled as it arrived when its length was declared, else the received buffers
   * in order.
   */
  static final class Parts {
    private final byte[] whole;
    private final List<ByteBuffer> buffers;
    private final int size;

    Parts(byte[] whole, List<ByteBuffer> buffers, int size) {
      this.whole = whole;
      this.buffers = buffers;
      this.size = size;
    }

    /** The body as one array; call once. */
    byte[] bytes() {
      if (whole != null) {
        return whole;
      }
      byte[] body = new byte[size];
      int at = 0;
      for (ByteBuffer b : buffers) {
        int n = b.remaining();
        b.get(body, at, n);
        at += n;
      }
      return body;
    }
  }

  /**
   * A handler that reads at most {@code limit} bytes of any body, each reserved in {@code memory}
   * as it arrives. A body that ends well keeps its reservation (the request holds it); one that
   * fails gives its bytes back at once.
   */
  static HttpResponse.BodyHandler<Parts> handler(long limit, MemoryBudget.Ledger memory) {
    return info ->
        new CappedBody(limit, info.headers().firstValueAsLong("content-length").orElse(-1), memory);
  }

  private final CompletableFuture<Parts> result = new CompletableFuture<>();
  private final List<ByteBuffer> parts = new ArrayList<>();
  private final long limit;
  private final long declared;
  private final MemoryBudget.Ledger memory;

  /**
   * With a declared length, the body is copied into one array of that size as it arrives: the
   * buffers are dropped at once and no join is needed, so a large body takes its size once, not
   * twice. Each copy is one buffer's worth, cheap even on the client's selector thread.
   */
  private byte[] whole;

  private long size;
  private long reserved;
  private Flow.Subscription subscription;

  private CappedBody(long limit, long declared, MemoryBudget.Ledger memory) {
    this.limit = limit;
    this.declared = declared;
    this.memory = memory;
  }

  @Override
  public CompletionStage<Parts> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declared > limit) {
      fail(new TooLarge(limit)); // Content-Length says too much: not one byte is read
      return;
    }
    if (declared >= 0) {
      if (!memory.reserve(declared)) {
        fail(new OverBudget());
        return;
      }
      reserved = declared;
      whole = new byte[(int) declared];
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    try {
      long more = 0;
      for (ByteBuffer b : items) {
        more += b.remaining();
      }
      if (size + more > (whole != null ? whole.length : limit)) {
        fail(new TooLarge(limit)); // more than declared is as broken as more than the limit
        return;
      }
      if (whole != null) {
        for (ByteBuffer b : items) {
          int n = b.remaining();
          b.get(whole, (int) size, n);
          size += n;
        }
        return;
      }
      if (!memory.reserve(more)) {
        fail(new OverBudget());
        return;
      }
      reserved += more;
      size += more;
      parts.addAll(items);
    } catch (Throwable t) { // an OutOfMemoryError here must not kill the client's selector thread
      fail(t);
    }
  }

  private void fail(Throwable t) {
    subscription.cancel();
    onError(t);
  }

  @Override
  public void onError(Throwable t) {
    parts.clear();
    whole = null;
    memory.release(reserved);
    reserved = 0;
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    if (whole != null && size < whole.length) {
      onError(new IOException("response body shorter than its Content-Length"));
      return;
    }
    result.complete(new Parts(whole, List.copyOf(parts), (int) size));
  }
}
