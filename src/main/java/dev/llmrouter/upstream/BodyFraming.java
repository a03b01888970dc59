package dev.llmrouter.upstream;

import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An answer whose headers give its length two ways is refused before a byte of it is read. With
 * both {@code Transfer-Encoding} and {@code Content-Length} the JDK's client frames by the length,
 * where RFC 9112 (6.3) says the encoding wins and the message "ought to be handled as an error": a
 * chunked answer with {@code Content-Length: 3} read as {@code 100}, its first chunk's size, would
 * pass as a whole JSON answer. Two different lengths are the same ambiguity, and so is an encoding
 * other than {@code chunked}, which the JDK does not take apart.
 */
final class BodyFraming {

  /** The failure of an answer refused for its framing: the upstream's fault, our own words. */
  static final class Ambiguous extends IOException {
    private static final long serialVersionUID = 1L;

    Ambiguous(String message) {
      super(message);
    }
  }

  private BodyFraming() {}

  /** {@code handler}, except that an answer with ambiguous framing fails as {@link Ambiguous}. */
  static <T> HttpResponse.BodyHandler<T> checked(HttpResponse.BodyHandler<T> handler) {
    return info -> {
      String why = ambiguity(info.headers());
      return why == null ? handler.apply(info) : new Refused<>(new Ambiguous(why));
    };
  }

  /** Why the headers frame the body ambiguously, or null when they do not. */
  static String ambiguity(HttpHeaders headers) {
    List<String> encodings = headers.allValues("transfer-encoding");
    if (!encodings.isEmpty()) {
      // The JDK frames by chunks only for exactly "chunked"; "gzip, chunked" it reads to the end
      // of the connection, chunk sizes and all (Http1Response). Providers send plain "chunked".
      if (encodings.size() > 1 || !encodings.getFirst().strip().equalsIgnoreCase("chunked")) {
        return "answer with a Transfer-Encoding other than chunked";
      }
      return headers.firstValue("content-length").isPresent()
          ? "answer with both Transfer-Encoding and Content-Length"
          : null;
    }
    String first = null;
    for (String value : headers.allValues("content-length")) {
      for (String one : value.split(",", -1)) { // "3, 3" is one length said twice (RFC 9110 8.6)
        String length = one.strip();
        if (first == null) {
          first = length;
        } else if (!first.equals(length)) {
          return "answer whose Content-Length is not one length";
        }
      }
    }
    return null;
  }

  /** A body subscriber that reads nothing and fails at once. */
  private record Refused<T>(IOException failure) implements HttpResponse.BodySubscriber<T> {
    @Override
    public CompletionStage<T> getBody() {
      return CompletableFuture.failedFuture(failure);
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      // cancelled: nothing comes, and nothing would be read
    }

    @Override
    public void onError(Throwable throwable) {
      // the answer has already failed
    }

    @Override
    public void onComplete() {
      // the answer has already failed
    }
  }
}
