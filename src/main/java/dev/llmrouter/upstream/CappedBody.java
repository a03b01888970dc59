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
 * A whole response body as bytes, up to a limit: one faulty or hostile upstream must not be able to
 * fill the heap. Past the limit the exchange is cancelled and the attempt fails.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

  /** Far above any real chat answer, far below what would hurt the router. */
  static final long MAX_BYTES = 64L * 1024 * 1024;

  static final HttpResponse.BodyHandler<byte[]> HANDLER =
      info -> {
        long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
        if (declared > MAX_BYTES) {
          return HttpResponse.BodySubscribers.replacing(null);
        }
        return new CappedBody();
      };

  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final List<ByteBuffer> parts = new ArrayList<>();
  private long size;
  private Flow.Subscription subscription;

  @Override
  public CompletionStage<byte[]> getBody() {
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
    byte[] body = new byte[(int) size];
    int at = 0;
    for (ByteBuffer b : parts) {
      int n = b.remaining();
      b.get(body, at, n);
      at += n;
    }
    parts.clear();
    result.complete(body);
  }
}
