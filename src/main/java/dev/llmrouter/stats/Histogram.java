package dev.llmrouter.stats;

/**
 * Durations in milliseconds, counted in fixed log-scale buckets: the same few kilobytes for ten
 * records or a billion, so percentiles over a log of any size need no list of every value.
 *
 * <p>Bucket {@code i > 0} holds the values in {@code (MIN_MS * RATIO^(i-1), MIN_MS * RATIO^i]} and
 * reports their geometric middle, so a percentile is within {@link #PRECISION} of the exact one
 * (nearest rank) for values from {@code MIN_MS} to {@code MAX_MS}. Below and above that range the
 * first and last buckets collect everything; the exact minimum and maximum are kept beside, and a
 * reported value never leaves {@code [min, max]}.
 */
final class Histogram {

  static final double MIN_MS = 0.01;
  static final double MAX_MS = 1e8; // 28 hours: longer than any request the router lets run
  static final double RATIO = 1.02;

  /** The relative error of a reported percentile: half a bucket, geometrically. */
  static final double PRECISION = Math.sqrt(RATIO) - 1; // 0.995 %

  private static final double LOG_RATIO = Math.log(RATIO);
  static final int BUCKETS = 2 + (int) Math.ceil(Math.log(MAX_MS / MIN_MS) / LOG_RATIO);

  private final long[] counts = new long[BUCKETS];
  private long total;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  void add(double ms) {
    if (!(ms >= 0)) {
      return; // NaN or negative: not a duration the router writes
    }
    counts[index(ms)]++;
    total++;
    min = Math.min(min, ms);
    max = Math.max(max, ms);
  }

  /** Adds every value {@code other} counted. */
  void merge(Histogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
  }

  long count() {
    return total;
  }

  /**
   * The nearest-rank percentile: the smallest value with at least {@code p} percent of all values
   * at or below it, to within {@link #PRECISION}; NaN when empty.
   */
  double percentile(double p) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100 * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.clamp(middle(i), min, max);
      }
    }
    return max; // unreachable: the counts add up to total
  }

  static int index(double ms) {
    if (ms <= MIN_MS) {
      return 0;
    }
    int i = (int) Math.ceil(Math.log(ms / MIN_MS) / LOG_RATIO);
    return Math.min(i, BUCKETS - 1);
  }

  /**
   * Clamped to {@code [min, max]}: bucket 0 says the minimum (within 10 µs of every value there),
   * the overflow bucket the maximum.
   */
  private static double middle(int i) {
    if (i == 0) {
      return 0;
    }
    return i == BUCKETS - 1 ? Double.POSITIVE_INFINITY : MIN_MS * Math.pow(RATIO, i - 0.5);
  }
}
