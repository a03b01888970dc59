package dev.llmrouter.routing;

import dev.llmrouter.logging.StreamLog;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * What a committed stream tells its provider's health, held until the stream ends: its first event
 * says only that the provider started to answer. One that then breaks (a reset, a stall past {@code
 * stream_idle_timeout}, an {@code overloaded_error} event) is a transient failure like a reset
 * before it, so three in a row open the breaker and the next provider takes the streams; counted a
 * success at the first event, a provider whose every stream broke would stay healthy.
 *
 * <p>A stream that took the half-open breaker's probe already closed it at its first event (the
 * provider answers again, and a long stream would keep every other request off it): its end then
 * only counts against it when the stream broke. A rate limit in the stream cools it down, as a 429
 * status would. Told once; later calls do nothing.
 */
public final class StreamVerdict {

  private final Target target;
  private final ProviderHealth health;
  private final boolean succeededAtCommit;
  private final String limitKey;
  private final HttpHeaders headers;
  private final UnaryOperator<String> redact;
  private final AtomicBoolean told = new AtomicBoolean();

  /**
   * @param limitKey what a rate limit cools (the model, or null for the provider)
   * @param headers the stream's response headers: a rate limit's wait, if they say one
   */
  StreamVerdict(
      Target target,
      ProviderHealth health,
      boolean succeededAtCommit,
      String limitKey,
      HttpHeaders headers,
      UnaryOperator<String> redact) {
    this.target = target;
    this.health = health;
    this.succeededAtCommit = succeededAtCommit;
    this.limitKey = limitKey;
    this.headers = headers;
    this.redact = redact;
  }

  /**
   * The stream ended as {@code stream} says (null: it was never relayed, the client having gone): a
   * transient failure when {@link FailureClassifier#streamFailure} names one, else the answer it
   * was.
   */
  public void ended(StreamLog stream) {
    if (!told.compareAndSet(false, true)) {
      return;
    }
    if (stream != null && FailureClassifier.streamRateLimited(stream)) {
      HealthReports.coolDown(
          target,
          health,
          limitKey,
          RetryAfter.fromHeaders(headers, Instant.now()).orElse(null),
          "429 in its stream, " + FailureClass.RATE_LIMITED.logName(),
          redact);
      return;
    }
    String failure = stream == null ? null : FailureClassifier.streamFailure(stream);
    if (failure != null) {
      HealthReports.transientFailure(target, health, failure, false);
    } else if (!succeededAtCommit) {
      HealthReports.succeeded(target, health);
    }
  }
}
