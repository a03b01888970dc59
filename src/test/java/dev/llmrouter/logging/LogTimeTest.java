package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogTimeTest {

  @ParameterizedTest
  @ValueSource(
      longs = {
        1_796_000_000_000L, // a whole second: no fraction
        1_796_000_000_001L,
        1_796_000_000_010L,
        1_796_000_000_100L,
        1_796_000_000_999L,
        0L,
        -1L, // before 1970: the second below, 999 ms into it
        253_402_300_799_999L, // 9999-12-31T23:59:59.999Z
        253_402_300_800_000L // year 10000: the JDK's +10000 form
      })
  void printsWhatInstantPrints(long epochMillis) {
    assertThat(new LogTime().format(epochMillis))
        .isEqualTo(Instant.ofEpochMilli(epochMillis).toString());
  }

  @Test
  void aSecondsTextServesEveryMillisecondOfItAndTheNextSecondGetsItsOwn() {
    LogTime time = new LogTime();
    long base = 1_796_000_000_000L;
    for (long ms = base; ms < base + 2_500; ms += 7) {
      assertThat(time.format(ms)).isEqualTo(Instant.ofEpochMilli(ms).toString());
    }
  }
}
