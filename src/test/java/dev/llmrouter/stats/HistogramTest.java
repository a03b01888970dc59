package dev.llmrouter.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HistogramTest {

  /** Nearest rank over the sorted values: the reference the histogram approximates. */
  private static double exact(double[] sorted, double p) {
    int rank = (int) Math.max(1, Math.ceil(p / 100 * sorted.length));
    return sorted[rank - 1];
  }

  @Test
  void percentilesOfOneToAHundredAreTheNearestRankWithinOnePercent() {
    Histogram h = new Histogram();
    for (int ms = 1; ms <= 100; ms++) {
      h.add(ms);
    }

    assertThat(h.count()).isEqualTo(100);
    assertThat(h.percentile(50)).isCloseTo(50, within(50 * Histogram.PRECISION));
    assertThat(h.percentile(95)).isCloseTo(95, within(95 * Histogram.PRECISION));
    assertThat(h.percentile(99)).isCloseTo(99, within(99 * Histogram.PRECISION));
    assertThat(h.percentile(100)).isEqualTo(100); // the maximum is kept exactly
  }

  @Test
  void aMillionRandomDurationsOverSixDecadesStayWithinThePrecision() {
    SplittableRandom random = new SplittableRandom(7);
    double[] values = new double[1_000_000];
    Histogram h = new Histogram();
    for (int i = 0; i < values.length; i++) {
      values[i] = Math.exp(random.nextDouble(Math.log(0.05), Math.log(50_000)));
      h.add(values[i]);
    }
    Arrays.sort(values);

    for (double p : new double[] {1, 10, 50, 90, 95, 99, 99.9}) {
      double want = exact(values, p);
      assertThat(h.percentile(p)).as("p%s", p).isCloseTo(want, within(want * Histogram.PRECISION));
    }
    assertThat(Histogram.PRECISION).isLessThan(0.01);
  }

  @Test
  void oneValueIsReportedExactlyAndEmptyIsNaN() {
    Histogram h = new Histogram();
    assertThat(h.percentile(50)).isNaN();

    h.add(123.456);

    assertThat(h.percentile(50)).isEqualTo(123.456);
    assertThat(h.percentile(99)).isEqualTo(123.456);
  }

  @Test
  void valuesOutsideTheRangeLandInTheEndBucketsAndNegativesAreIgnored() {
    Histogram h = new Histogram();
    h.add(0);
    h.add(2e9); // 23 days: past MAX_MS
    h.add(-1);
    h.add(Double.NaN);

    assertThat(h.count()).isEqualTo(2);
    assertThat(h.percentile(50)).isZero();
    assertThat(h.percentile(100)).isEqualTo(2e9);
    assertThat(Histogram.index(0)).isZero();
    assertThat(Histogram.index(1e12)).isEqualTo(Histogram.BUCKETS - 1);
  }

  @Test
  void theBucketsAreFewEnoughToKeepOnePerRow() {
    assertThat(Histogram.BUCKETS).isLessThan(1300); // about 10 KB of longs
  }
}
