package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.routing.ProviderHealth.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cooldown and breaker rules, on a clock the test moves. */
class ProviderHealthTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ProviderHealth health = new ProviderHealth(now::get);

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void rateLimitCoolsDownUntilTheResetTime() {
    health.rateLimited(Duration.ofSeconds(30));

    assertThat(health.waitNanos()).isEqualTo(Duration.ofSeconds(30).toNanos());
    assertThat(health.snapshot().state()).isEqualTo(State.COOLING_DOWN);
    assertThat(health.snapshot().secondsLeft()).isEqualTo(30);
    assertThat(health.snapshot().reason()).isEqualTo("rate_limited");
    advance(Duration.ofSeconds(30));
    assertThat(health.waitNanos()).isZero();
    assertThat(health.snapshot().state()).isEqualTo(State.HEALTHY);
  }

  @Test
  void rateLimitWithoutHintWaitsASecondAndIsCappedAtTenMinutes() {
    health.rateLimited(null);
    assertThat(health.waitNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());

    health.rateLimited(Duration.ofHours(3));
    assertThat(health.waitNanos()).isEqualTo(Duration.ofMinutes(10).toNanos());
  }

  @Test
  void badKeyCoolsDownForLong() {
    health.keyRejected(FailureClass.KEY_REJECTED);

    assertThat(health.waitNanos()).isEqualTo(Duration.ofMinutes(5).toNanos());
    assertThat(health.snapshot().reason()).isEqualTo("auth_failed");
  }

  @Test
  void consecutiveFailuresOpenTheBreakerThenOneProbeClosesIt() {
    health.failed("timeout");
    health.failed("connect");
    assertThat(health.waitNanos()).isZero();
    health.failed("http_503");

    assertThat(health.snapshot().state()).isEqualTo(State.OPEN);
    assertThat(health.waitNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
    advance(Duration.ofSeconds(5));
    assertThat(health.snapshot().state()).isEqualTo(State.HALF_OPEN);
    assertThat(health.waitNanos()).isZero(); // this caller holds the probe
    assertThat(health.waitNanos()).isPositive(); // nobody else gets in meanwhile
    health.succeeded();
    assertThat(health.snapshot().state()).isEqualTo(State.HEALTHY);
    assertThat(health.waitNanos()).isZero();
  }

  @Test
  void aFailedProbeReopensForTwiceAsLongUpToSixtySeconds() {
    for (int i = 0; i < 3; i++) {
      health.failed("http_500");
    }
    long[] expected = {10, 20, 40, 60, 60};
    for (long seconds : expected) {
      advance(Duration.ofMinutes(2));
      assertThat(health.admit(null).probe()).isTrue();
      health.failed("http_500", true);
      assertThat(health.waitNanos()).isEqualTo(Duration.ofSeconds(seconds).toNanos());
    }
  }

  @Test
  void failuresOfRequestsInFlightWhenItOpenedNeitherExtendNorDoubleIt() {
    for (int i = 0; i < 3; i++) {
      health.failed("http_503");
    }
    advance(Duration.ofSeconds(1));
    for (int i = 0; i < 29; i++) {
      assertThat(health.failed("http_503")).isNull(); // the rest of 32 in flight
    }
    assertThat(health.waitNanos()).isEqualTo(Duration.ofSeconds(4).toNanos());
    advance(Duration.ofSeconds(4));
    assertThat(health.admit(null).probe()).isTrue();
    assertThat(health.failed("http_503", true)).isEqualTo(Duration.ofSeconds(10));
    assertThat(health.snapshot().failures()).isEqualTo(33);
  }

  @Test
  void aLateFailureWhileAnotherRequestProbesIsNotTheProbesVerdict() {
    for (int i = 0; i < 3; i++) {
      health.failed("http_503");
    }
    advance(Duration.ofSeconds(5));
    ProviderHealth.Admission probe = health.admit(null);
    assertThat(probe.waitNanos()).isZero();
    assertThat(probe.probe()).isTrue();
    ProviderHealth.Admission other = health.admit(null);
    assertThat(other.waitNanos()).isPositive(); // one probe at a time
    assertThat(other.probe()).isFalse();
    assertThat(health.failed("http_503", false)).isNull(); // sent before it opened
    assertThat(health.snapshot().state()).isEqualTo(State.HALF_OPEN);
    assertThat(health.waitNanos()).isPositive(); // the probe is still out
    assertThat(health.failed("http_503", true)).isEqualTo(Duration.ofSeconds(10));
    assertThat(health.snapshot().state()).isEqualTo(State.OPEN);
  }

  @Test
  void aSuccessResetsTheFailureCount() {
    health.failed("timeout");
    health.failed("timeout");
    health.succeeded();
    health.failed("timeout");
    health.failed("timeout");

    assertThat(health.snapshot().state()).isEqualTo(State.HEALTHY);
  }

  @Test
  void aProbeReleasedWithoutVerdictLetsTheNextCallerProbe() {
    for (int i = 0; i < 3; i++) {
      health.failed("http_500");
    }
    advance(Duration.ofSeconds(5));
    assertThat(health.waitNanos()).isZero();
    health.released();
    assertThat(health.waitNanos()).isZero();
  }

  @Test
  void countsAndLastErrorAreKept() {
    health.succeeded();
    health.failed("timeout");

    ProviderSnapshot s = health.snapshot();
    assertThat(s.successes()).isEqualTo(1);
    assertThat(s.failures()).isEqualTo(1);
    assertThat(s.lastError()).isEqualTo("timeout");
    assertThat(s.lastErrorEpochMillis()).isPositive();
  }

  @Test
  void availabilityNamesWhatAnOperatorActsOn() {
    assertThat(health.snapshot().availability()).isEqualTo(Availability.AVAILABLE);

    // The usual rate limit is one model's: the provider still takes requests for the others.
    health.rateLimited("gpt-4o", Duration.ofSeconds(10));
    assertThat(health.snapshot().availability()).isEqualTo(Availability.COOLING_DOWN);
    assertThat(health.snapshot().takesRequests()).isTrue();
    advance(Duration.ofSeconds(10));
    assertThat(health.snapshot().availability()).isEqualTo(Availability.AVAILABLE);

    health.rateLimited(Duration.ofSeconds(10));
    assertThat(health.snapshot().availability()).isEqualTo(Availability.COOLING_DOWN);
    assertThat(health.snapshot().takesRequests()).isFalse();
    advance(Duration.ofSeconds(10));

    health.failed("timeout");
    health.failed("timeout");
    health.failed("timeout");
    assertThat(health.snapshot().availability()).isEqualTo(Availability.BREAKER_OPEN);
    assertThat(health.snapshot().takesRequests()).isFalse();
    advance(Duration.ofSeconds(5));
    // Half-open: the next request is its probe.
    assertThat(health.snapshot().availability()).isEqualTo(Availability.BREAKER_OPEN);
    assertThat(health.snapshot().takesRequests()).isTrue();
    health.succeeded();

    health.keyRejected(FailureClass.OUT_OF_CREDIT);
    assertThat(health.snapshot().availability()).isEqualTo(Availability.KEY_REJECTED);
    assertThat(health.snapshot().takesRequests()).isFalse();
  }

  @Test
  void aModelItDoesNotServeLeavesItAvailable() {
    health.modelNotServed("gpt-9");
    assertThat(health.snapshot().availability()).isEqualTo(Availability.AVAILABLE);
  }

  @Test
  void aModelNameLongerThanAnyRealOneIsNeverKept() {
    // A client can send a megabyte of model name; a thousand kept would fill the heap and /health.
    String huge = "m".repeat(1_000_000);
    health.rateLimited(huge, Duration.ofSeconds(20));
    health.modelNotServed(huge + "x");
    String longest = "m".repeat(ModelCooldowns.MAX_NAME);
    health.rateLimited(longest, Duration.ofSeconds(20));

    assertThat(health.snapshot().modelsCoolingDown()).containsOnlyKeys(longest);
    assertThat(health.snapshot().modelsNotServed()).isEmpty();
    // Its rate limit cools the provider as a whole, as past the count of names: a client that
    // rotates long names does not keep a rate-limited provider called.
    assertThat(health.snapshot().state()).isEqualTo(ProviderHealth.State.COOLING_DOWN);
    assertThat(health.snapshot().reason()).isEqualTo("rate_limited");
  }

  @Test
  void eachStateChangeIsReportedOnceNotPerRequest() {
    // A cooldown starts once; a 429 of a request already in flight when it started adds nothing.
    assertThat(health.rateLimited("gpt-x", Duration.ofSeconds(20)))
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(health.rateLimited("gpt-x", Duration.ofSeconds(20))).isNull();
    assertThat(health.rateLimited("other", null)).isEqualTo(ProviderHealth.DEFAULT_RATE_LIMIT_WAIT);
    // The breaker opens on the third failure in a row, and only then.
    assertThat(health.failed("http_500")).isNull();
    assertThat(health.failed("http_500")).isNull();
    assertThat(health.failed("http_500")).isEqualTo(ProviderHealth.FIRST_OPEN);
    assertThat(health.failed("http_500")).isNull();
    // Half open: a failed probe opens it again (for longer), a good one closes it.
    advance(Duration.ofMinutes(5));
    assertThat(health.admit(null).probe()).isTrue();
    assertThat(health.failed("timeout", true)).isGreaterThan(ProviderHealth.FIRST_OPEN);
    advance(Duration.ofMinutes(5));
    assertThat(health.waitNanos()).isZero();
    assertThat(health.succeeded()).isTrue();
    assertThat(health.succeeded()).isFalse();
    // A rejected key, once per class.
    assertThat(health.keyRejected(FailureClass.KEY_REJECTED)).isTrue();
    assertThat(health.keyRejected(FailureClass.KEY_REJECTED)).isFalse();
  }
}
