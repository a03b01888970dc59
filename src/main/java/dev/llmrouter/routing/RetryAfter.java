package dev.llmrouter.routing;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads how long a provider asks us to wait, from every header the two APIs use for it. Unknown or
 * nonsensical values (negative, zero, unparseable: some compatible hosts send -1) mean "no hint".
 */
final class RetryAfter {

  private static final Pattern GO_DURATION_TERM = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

  /** OpenAI pairs each reset with a remaining count; the exhausted bucket is the one that binds. */
  private static final String[][] OPENAI_RESETS = {
    {"x-ratelimit-reset-requests", "x-ratelimit-remaining-requests"},
    {"x-ratelimit-reset-tokens", "x-ratelimit-remaining-tokens"},
  };

  private static final String[][] ANTHROPIC_RESETS = {
    {"anthropic-ratelimit-requests-reset", "anthropic-ratelimit-requests-remaining"},
    {"anthropic-ratelimit-tokens-reset", "anthropic-ratelimit-tokens-remaining"},
    {"anthropic-ratelimit-input-tokens-reset", "anthropic-ratelimit-input-tokens-remaining"},
    {"anthropic-ratelimit-output-tokens-reset", "anthropic-ratelimit-output-tokens-remaining"},
  };

  private RetryAfter() {}

  /**
   * The wait a response asks for. Precedence: {@code retry-after-ms} (the SDKs prefer it), {@code
   * retry-after}, then the rate-limit reset headers of either API.
   */
  public static Optional<Duration> fromHeaders(HttpHeaders headers, Instant now) {
    Optional<Duration> ms = headers.firstValue("retry-after-ms").flatMap(RetryAfter::parseMillis);
    if (ms.isPresent()) {
      return ms;
    }
    Optional<Duration> ra = headers.firstValue("retry-after").flatMap(v -> parseRetryAfter(v, now));
    if (ra.isPresent()) {
      return ra;
    }
    Optional<Duration> reset = bindingReset(headers, OPENAI_RESETS, v -> parseGoDuration(v));
    if (reset.isPresent()) {
      return reset;
    }
    return bindingReset(headers, ANTHROPIC_RESETS, v -> parseRfc3339(v, now));
  }

  /** {@code Retry-After}: delta-seconds (fractions tolerated) or an HTTP-date (RFC 9110 10.2.3). */
  static Optional<Duration> parseRetryAfter(String value, Instant now) {
    String v = value.trim();
    if (v.isEmpty()) {
      return Optional.empty();
    }
    if (Character.isDigit(v.charAt(0)) || v.charAt(0) == '-') {
      try {
        return positive(
            Duration.ofMillis(Math.round(Math.min(Double.parseDouble(v), 1e12) * 1000)));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return positive(Duration.between(now, at));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  static Optional<Duration> parseMillis(String value) {
    try {
      double ms = Math.min(Double.parseDouble(value.trim()), 1e12);
      return positive(Duration.ofMillis(Math.round(ms)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Go-style durations as OpenAI sends them: {@code 6m0s}, {@code 1.5s}, {@code 20ms}. */
  static Optional<Duration> parseGoDuration(String value) {
    String v = value.trim();
    Matcher m = GO_DURATION_TERM.matcher(v);
    double millis = 0;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        return Optional.empty();
      }
      double n = Double.parseDouble(m.group(1));
      millis +=
          switch (m.group(2)) {
            case "h" -> n * 3_600_000;
            case "m" -> n * 60_000;
            case "s" -> n * 1000;
            default -> n;
          };
      end = m.end();
    }
    if (end == 0 || end != v.length()) {
      return Optional.empty();
    }
    return positive(Duration.ofMillis(Math.round(Math.min(millis, 1e12))));
  }

  /** Anthropic's resets are RFC 3339 instants, not durations. */
  static Optional<Duration> parseRfc3339(String value, Instant now) {
    try {
      return positive(Duration.between(now, OffsetDateTime.parse(value.trim()).toInstant()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * The reset of the bucket that ran out (remaining 0); if none says so, the soonest reset, since
   * the reset headers give the time until a bucket is full again, not the minimum wait.
   */
  private static Optional<Duration> bindingReset(
      HttpHeaders headers,
      String[][] pairs,
      java.util.function.Function<String, Optional<Duration>> parse) {
    Duration exhausted = null;
    Duration soonest = null;
    for (String[] pair : pairs) {
      Optional<Duration> reset = headers.firstValue(pair[0]).flatMap(parse);
      if (reset.isEmpty()) {
        continue;
      }
      Duration d = reset.get();
      boolean empty = headers.firstValue(pair[1]).map(r -> r.trim().equals("0")).orElse(false);
      if (empty && (exhausted == null || d.compareTo(exhausted) > 0)) {
        exhausted = d;
      }
      if (soonest == null || d.compareTo(soonest) < 0) {
        soonest = d;
      }
    }
    return Optional.ofNullable(exhausted != null ? exhausted : soonest);
  }

  /** Longer than any real reset; also keeps later arithmetic far from overflow. */
  static final Duration MAX = Duration.ofDays(1);

  private static Optional<Duration> positive(Duration d) {
    if (d.isNegative() || d.isZero()) {
      return Optional.empty();
    }
    return Optional.of(d.compareTo(MAX) > 0 ? MAX : d);
  }
}
