package dev.llmrouter.upstream;

import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How an attempt waits for its exchange within its timeout, and what each way of ending means: the
 * answer, a timeout, a transport failure, or the handler interrupted (the client went away).
 */
final class ExchangeWaits {

  private ExchangeWaits() {}

  /** Carries an attempt's failure out of a wait. */
  static final class AttemptFailed extends Exception {
    private static final long serialVersionUID = 1L;
    final transient Failed failed;

    AttemptFailed(Failed failed) {
      super(null, null, false, false);
      this.failed = failed;
    }
  }

  /**
   * {@code send} on this thread, for the inline client: the JDK completes the future {@code
   * sendAsync} returns on the CompletableFuture default pool ({@code HttpClientImpl.sendAsync}:
   * {@code whenCompleteAsync} on {@code ASYNC_POOL}), one more thread between the answer and the
   * handler on every exchange, while {@code send} is woken by the thread that read the answer.
   * Measured on one core at c=32: about 170 to 140 µs of router CPU per request (bench/README). The
   * request's own timeout covers connect and headers; {@link AttemptDeadline} covers the body.
   *
   * <p>Only for the inline client: {@code send} sets the exchange up on the calling thread, and for
   * a host name that includes the DNS lookup, which no interrupt or timeout cuts short; {@code
   * sendAsync} with the offloaded client does it on another thread while {@link #await} keeps the
   * deadline.
   */
  static <T> HttpResponse<T> send(
      HttpClient client,
      HttpRequest request,
      HttpResponse.BodyHandler<T> handler,
      Duration timeout,
      StreamWatchdog watchdog)
      throws AttemptFailed {
    AttemptDeadline deadline = new AttemptDeadline(System.nanoTime() + timeout.toNanos());
    watchdog.add(deadline);
    try {
      return client.send(request, handler);
    } catch (InterruptedException e) {
      if (deadline.end()) {
        throw timedOut(request, "no complete response", timeout);
      }
      throw interrupted();
    } catch (IOException | IllegalArgumentException | SecurityException e) {
      // send() throws the exchange's failure again as a new exception of its kind, with the
      // original as its cause (a header timeout's has none): the original is what maps. An
      // unchecked one is the upstream's fault too, e.g. a Content-Length that is not a number.
      throw new AttemptFailed(
          TransportFailures.of(e.getCause() == null ? e : e.getCause(), request));
    } finally {
      deadline.end();
      watchdog.remove(deadline);
    }
  }

  /**
   * Waits for the response to {@code request} within {@code timeout}; cancels the exchange when
   * giving up.
   */
  static <T> HttpResponse<T> await(
      CompletableFuture<HttpResponse<T>> future,
      HttpRequest request,
      Duration timeout,
      String timeoutWhat)
      throws AttemptFailed {
    try {
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      giveUp(future);
      throw timedOut(request, timeoutWhat, timeout);
    } catch (ExecutionException e) {
      throw new AttemptFailed(
          TransportFailures.of(e.getCause() == null ? e : e.getCause(), request));
    } catch (InterruptedException e) {
      giveUp(future);
      throw interrupted();
    }
  }

  private static AttemptFailed timedOut(HttpRequest request, String what, Duration timeout) {
    return new AttemptFailed(
        TransportFailures.timedOut(request, what + " within " + timeout.toMillis() + " ms"));
  }

  /** The client went away (ClientWatch interrupted the handler): the interrupt stays set. */
  private static AttemptFailed interrupted() {
    Thread.currentThread().interrupt();
    return new AttemptFailed(new Failed(FailureType.BROKEN, "interrupted"));
  }

  /**
   * Cancels the exchange; if the response arrived just as we gave up, its body (an open stream) is
   * closed instead, so no upstream stream is left running.
   */
  private static <T> void giveUp(CompletableFuture<HttpResponse<T>> future) {
    if (!future.cancel(true)) {
      var unused =
          future.thenAccept(
              r -> {
                if (r.body() instanceof AutoCloseable body) {
                  try {
                    body.close();
                  } catch (Exception ignored) {
                    // closing to abandon
                  }
                }
              });
    }
  }
}
