package dev.llmrouter.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SinceTest {

  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private static final ZoneId PARIS = ZoneId.of("Europe/Paris"); // UTC+1 in December

  @ParameterizedTest
  @CsvSource({
    "30m, PT30M",
    "2h, PT2H",
    "7d, PT168H",
    "45s, PT45S",
    "1w, PT168H",
    "2H, PT2H",
    "0m, PT0S"
  })
  void aDurationIsThatLongBeforeNow(String text, Duration back) {
    assertThat(Since.parse(text, NOW, PARIS)).isEqualTo(NOW.minus(back));
  }

  @ParameterizedTest
  @CsvSource({
    "30m, 2026-12-05T11:30:00Z",
    "99999999d, 1970-01-01T00:00:00Z",
  })
  void aDurationGivesWholeSecondsAndNothingBeforeTheEpoch(String text, Instant at) {
    Instant now = NOW.plusNanos(437_229_029);
    assertThat(Since.parse(text, now, PARIS)).isEqualTo(at);
  }

  @ParameterizedTest
  @CsvSource({
    "2026-12-05T10:00:00Z, 2026-12-05T10:00:00Z",
    "2026-12-05T10:00:00.5Z, 2026-12-05T10:00:00.500Z",
    "2026-12-05T10:00:00+02:00, 2026-12-05T08:00:00Z",
    "2026-12-05T10:00:00, 2026-12-05T09:00:00Z",
    "2026-12-05T10:00, 2026-12-05T09:00:00Z",
    "2026-12-05 10:00, 2026-12-05T09:00:00Z",
    "2026-12-05, 2026-12-04T23:00:00Z"
  })
  void aTimeIsThatInstantLocalOnesInTheZone(String text, Instant at) {
    assertThat(Since.parse(text, NOW, PARIS)).isEqualTo(at);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "yesterday", "2x", "-2h", "2026-12-32", "10:00", "h"})
  void anythingElseIsAnErrorThatShowsTheForms(String text) {
    assertThatThrownBy(() -> Since.parse(text, NOW, PARIS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("30m, 2h, 7d")
        .hasMessageContaining("2026-12-05T10:00:00Z")
        .hasMessageContaining("'" + text + "'");
  }
}
