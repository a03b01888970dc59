package dev.llmrouter.upstream;

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
 * heap. Past the limit the exchange is cancelled and the attempt fails. The parts are joined into
 * one array by {@link Parts#bytes()} on the caller's thread, not here: these callbacks may run on
 * the client's selector thread, which a 64 MiB copy would hold up for every other upstream.
 */
final class CappedBody implements HttpResponse.BodySubscriber<CappedBody.Parts> {

  /** The received buffers of one body, in order. */
  static final class Parts {
    private final List<ByteBuffer> buffers;
    private final int size;

    Parts(List<ByteBuffer> buffers, int size) {
      this.buffers = buffers;
      this.size = size;
    }

    /** The body as one array; call once. */
    byte[] bytes() {
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

  /** Far above any real chat answer, far below what would hurt the router. */
  static final long MAX_BYTES = 64L * 1024 * 1024;

  static final HttpResponse.BodyHandler<Parts> HANDLER =
      info -> {
        long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > MAX_BYTES) {
          return HttpResponse.BodySubscribers.replacing(null);
        }
        return new CappedBody();
      };

  private final CompletableFuture<Parts> result = new CompletableFuture<>();
  private final List<ByteBuffer> parts = new ArrayList<>();
  private long size;
  private Flow.Subscription subscription;

  @Override
  public CompletionStage<Parts> getBody() {
    return result;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    for (ByteBuffer b : items) {
      size += b.remaining();
      parts.add(b);
    }
    if (size > MAX_BYTES) {
      subscription.cancel();
      parts.clear();
      result.completeExceptionally(
          new IOException("the upstream response body exceeds " + MAX_BYTES + " bytes"));
    }
  }

  @Override
  public void onError(Throwable t) {
    parts.clear();
    result.completeExceptionally(t);
  }

  @Override
  public void onComplete() {
    result.complete(new Parts(List.copyOf(parts), (int) size));
  }
}
