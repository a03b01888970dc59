package dev.llmrouter.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InstantsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-05T10:00:00Z",
        "2026-12-05T10:00:00.1Z",
        "2026-12-05T10:00:00.050Z",
        "2026-12-05T23:59:59.999999Z",
        "2026-12-05T23:59:59.123456789Z",
        "2024-02-29T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "1969-12-31T23:59:59.5Z",
        "0001-01-01T00:00:00Z",
        "2026-12-05T10:00:00+01:00", // not the router's shape: the JDK reads it
        "+12026-12-05T10:00:00Z",
        "2026-12-05T24:00:00Z", // the JDK reads these two; so does stats
        "2026-12-05T10:00:00.Z"
      })
  void readsWhatInstantParseReads(String text) {
    assertThat(Instants.parse(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-02-30T10:00:00Z",
        "2026-13-05T10:00:00Z",
        "2026-12-05T10:60:00Z",
        "2026-12-05T10:00:00.1234567890Z",
        "2026-12-05T1a:00:00Z",
        "2026-12-05 10:00:00Z",
        "yesterday",
        ""
      })
  void rejectsWhatInstantParseRejects(String text) {
    assertThatThrownBy(() -> Instants.parse(text)).isInstanceOf(DateTimeException.class);
  }
}
