package dev.llmrouter.upstream;

import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import dev.llmrouter.wire.SseFraming;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;

/** What a transport exception means for a retry: the one mapping from exceptions to failures. */
final class TransportFailures {

  private TransportFailures() {}

  /**
   * The same for an exception of {@code request}: a timeout counts as one only once the provider
   * had the whole request (see {@link #timedOut}).
   */
  static Failed of(Throwable t, HttpRequest request) {
    Failed f = of(t);
    return f.type() == FailureType.TIMEOUT ? timedOut(request, f.detail()) : f;
  }

  /**
   * A timeout of {@code request}, by whether the provider had all of it. Before that it is a
   * failure to connect: the provider cannot have started, so another try costs nothing. After it,
   * the provider may still be generating and bills for it: a {@link FailureType#TIMEOUT}, which the
   * router does not send to the same provider again unless told to ({@code retry_on_timeout}).
   */
  static Failed timedOut(HttpRequest request, String what) {
    return SentBody.wasSent(request)
        ? new Failed(FailureType.TIMEOUT, what)
        : new Failed(FailureType.CONNECT, what + ", before the whole request was sent");
  }

  /** Maps a transport exception to what it means for a retry; messages name no key or URL. */
  static Failed of(Throwable t) {
    if (t instanceof CappedBody.OverBudget) {
      return new Failed(FailureType.OVER_BUDGET, t.getMessage());
    }
    if (t instanceof CappedBody.TooLarge
        || t instanceof BodyFraming.Ambiguous
        || t instanceof ContentCoding.Unsupported
        || t instanceof SseFraming.EventTooLarge) {
      return new Failed(FailureType.BROKEN, t.getMessage()); // our own words: no key, no URL
    }
    if (t instanceof HttpConnectTimeoutException) {
      return new Failed(FailureType.CONNECT, "connect timeout");
    }
    if (t instanceof HttpTimeoutException) {
      return new Failed(FailureType.TIMEOUT, "timeout waiting for response headers");
    }
    if (t instanceof ConnectException || t instanceof UnresolvedAddressException) {
      Throwable cause = t.getCause();
      if (cause instanceof UnresolvedAddressException || t instanceof UnresolvedAddressException) {
        return new Failed(FailureType.CONNECT, "host not found");
      }
      return new Failed(FailureType.CONNECT, "connection refused");
    }
    if (t instanceof SSLException) {
      return new Failed(FailureType.CONNECT, "TLS failure: " + t.getClass().getSimpleName());
    }
    if (t instanceof java.util.zip.ZipException) {
      return new Failed(FailureType.BROKEN, "body does not match its content-encoding");
    }
    if (t instanceof IOException) {
      // The JDK's words may name the host: the router's own. A reset, an end of stream before the
      // answer's end, a close: the same for a retry.
      return new Failed(FailureType.BROKEN, "connection closed before a complete response");
    }
    return new Failed(FailureType.BROKEN, "request failed: " + t.getClass().getSimpleName());
  }
}
