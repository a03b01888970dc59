package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesFromOneHundredMillisWithEqualJitter() {
    assertThat(Backoff.delay(0, 0.0)).isEqualTo(Duration.ofMillis(50));
    assertThat(Backoff.delay(0, 0.999)).isBetween(Duration.ofMillis(99), Duration.ofMillis(100));
    assertThat(Backoff.delay(1, 0.0)).isEqualTo(Duration.ofMillis(100));
    assertThat(Backoff.delay(2, 0.0)).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void isCappedAtTwoSeconds() {
    assertThat(Backoff.delay(5, 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.delay(60, 0.999)).isLessThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(Backoff.delay(60, 0.0)).isEqualTo(Duration.ofSeconds(1));
  }
}
