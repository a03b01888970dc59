package dev.llmrouter.stats;

import java.util.List;

/**
 * One row of the report, finished: what {@code stats} prints for an endpoint, a provider or a
 * requested model.
 *
 * @param name the endpoint, provider or model; null for "none" (no provider answered, no model
 *     asked for)
 * @param requests requests in this row
 * @param successes of those, how many succeeded ({@link LogRecord#success()})
 * @param fallbacks of those, how many were answered by another than the first provider called
 * @param attempts provider calls made (skips are none): for a provider row its own calls, for the
 *     other rows the calls of their requests
 * @param duration request durations
 * @param firstEvent time to first event of the relayed streams, or null when the row has none
 * @param inputTokens sum of usage input tokens
 * @param outputTokens sum of usage output tokens
 * @param failures the most frequent failure classes, most frequent first (at most five)
 */
public record GroupRow(
    String name,
    long requests,
    long successes,
    long fallbacks,
    long attempts,
    Percentiles duration,
    Percentiles firstEvent,
    long inputTokens,
    long outputTokens,
    List<ClassCount> failures) {

  /** Successes as a percentage of requests; NaN for a row without requests. */
  public double successPercent() {
    return requests == 0 ? Double.NaN : 100.0 * successes / requests;
  }

  /**
   * p50, p95 and p99 in milliseconds, each within {@link Histogram#PRECISION} of the exact value;
   * NaN when there were no values.
   */
  public record Percentiles(long count, double p50, double p95, double p99) {
    static Percentiles of(Histogram h) {
      return new Percentiles(h.count(), h.percentile(50), h.percentile(95), h.percentile(99));
    }
  }

  /** A failure class and how many attempts failed with it. */
  public record ClassCount(String failureClass, long count) {}
}
