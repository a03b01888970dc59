package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  private static HttpHeaders headers(String... nameValues) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < nameValues.length; i += 2) {
      map.put(nameValues[i], List.of(nameValues[i + 1]));
    }
    return HttpHeaders.of(map, (a, b) -> true);
  }

  @Test
  void deltaSeconds() {
    assertThat(RetryAfter.parseRetryAfter("30", NOW)).contains(Duration.ofSeconds(30));
    assertThat(RetryAfter.parseRetryAfter(" 1.5 ", NOW)).contains(Duration.ofMillis(1500));
  }

  @Test
  void httpDate() {
    assertThat(RetryAfter.parseRetryAfter("Wed, 25 Nov 2026 10:00:45 GMT", NOW))
        .contains(Duration.ofSeconds(45));
  }

  @Test
  void nonsenseMeansNoHint() {
    assertThat(RetryAfter.parseRetryAfter("soon", NOW)).isEmpty();
    assertThat(RetryAfter.parseRetryAfter("-1", NOW)).isEmpty();
    assertThat(RetryAfter.parseRetryAfter("0", NOW)).isEmpty();
    assertThat(RetryAfter.parseRetryAfter("Wed, 25 Nov 2026 09:00:00 GMT", NOW)).isEmpty();
    assertThat(RetryAfter.parseMillis("abc")).isEmpty();
  }

  @Test
  void goDurationsAsOpenAiSendsThem() {
    assertThat(RetryAfter.parseGoDuration("6m0s")).contains(Duration.ofMinutes(6));
    assertThat(RetryAfter.parseGoDuration("1.5s")).contains(Duration.ofMillis(1500));
    assertThat(RetryAfter.parseGoDuration("20ms")).contains(Duration.ofMillis(20));
    assertThat(RetryAfter.parseGoDuration("1h2m3s")).contains(Duration.ofSeconds(3723));
    assertThat(RetryAfter.parseGoDuration("12x")).isEmpty();
    assertThat(RetryAfter.parseGoDuration("s")).isEmpty();
  }

  @Test
  void rfc3339AsAnthropicSendsIt() {
    assertThat(RetryAfter.parseRfc3339("2026-11-25T10:00:12Z", NOW))
        .contains(Duration.ofSeconds(12));
    assertThat(RetryAfter.parseRfc3339("not a time", NOW)).isEmpty();
  }

  @Test
  void retryAfterMsWinsOverRetryAfter() {
    assertThat(RetryAfter.fromHeaders(headers("retry-after-ms", "250", "retry-after", "9"), NOW))
        .contains(Duration.ofMillis(250));
    assertThat(RetryAfter.fromHeaders(headers("retry-after", "9"), NOW))
        .contains(Duration.ofSeconds(9));
  }

  @Test
  void resetOfTheExhaustedBucketBinds() {
    HttpHeaders h =
        headers(
            "x-ratelimit-reset-requests", "1s",
            "x-ratelimit-remaining-requests", "10",
            "x-ratelimit-reset-tokens", "6m0s",
            "x-ratelimit-remaining-tokens", "0");
    assertThat(RetryAfter.fromHeaders(h, NOW)).contains(Duration.ofMinutes(6));
  }

  @Test
  void anthropicResets() {
    HttpHeaders h =
        headers(
            "anthropic-ratelimit-requests-reset", "2026-11-25T10:00:07Z",
            "anthropic-ratelimit-requests-remaining", "0");
    assertThat(RetryAfter.fromHeaders(h, NOW)).contains(Duration.ofSeconds(7));
  }

  @Test
  void noHeadersNoHint() {
    assertThat(RetryAfter.fromHeaders(headers(), NOW)).isEmpty();
  }
}
