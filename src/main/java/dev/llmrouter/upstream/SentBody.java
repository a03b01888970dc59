package dev.llmrouter.upstream;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * A request body that remembers whether the HTTP client took all of it: what tells a timeout before
 * the provider had the whole request (safe to send again: the provider cannot have started) from
 * one after it (the provider may be generating, and bills for it).
 *
 * <p>The JDK client asks for the next piece of a body only once the previous one was written, so
 * the last piece being taken means the request is on its way; the last bytes may still sit in the
 * socket buffer, which is as sent as the router can know.
 */
final class SentBody implements HttpRequest.BodyPublisher {

  private final HttpRequest.BodyPublisher body;
  private volatile boolean sent;

  SentBody(byte[] bytes) {
    this.body = HttpRequest.BodyPublishers.ofByteArray(bytes);
  }

  /**
   * Whether {@code request} went out whole. A request without a body of ours (a GET, a stored
   * response's call) counts as sent: not knowing is no licence to send it twice.
   */
  static boolean wasSent(HttpRequest request) {
    return !(request.bodyPublisher().orElse(null) instanceof SentBody b) || b.sent;
  }

  @Override
  public long contentLength() {
    return body.contentLength();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    body.subscribe(
        new Flow.Subscriber<ByteBuffer>() {
          @Override
          public void onSubscribe(Flow.Subscription subscription) {
            subscriber.onSubscribe(subscription);
          }

          @Override
          public void onNext(ByteBuffer item) {
            subscriber.onNext(item);
          }

          @Override
          public void onError(Throwable throwable) {
            subscriber.onError(throwable);
          }

          @Override
          public void onComplete() {
            sent = true;
            subscriber.onComplete();
          }
        });
  }
}
