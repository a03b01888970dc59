package dev.llmrouter.logging;

import java.time.Instant;

/**
 * The log line's {@code time}: exactly what {@code Instant.ofEpochMilli(ms).toString()} prints
 * ({@code 2026-12-06T00:28:04.012Z}, no fraction on a whole second), with the date and time of day
 * formatted once per second. The JDK's ISO formatter, run once per line, was 0.9 % of the router's
 * CPU at c=32 (bench/README). Used from one thread at a time; a stale cache is only a miss.
 */
final class LogTime {

  /** One second's text, without its {@code Z}. */
  private record Second(long epochSecond, String text) {}

  private Second last = new Second(Long.MIN_VALUE, "");

  String format(long epochMillis) {
    long epochSecond = Math.floorDiv(epochMillis, 1000);
    int millis = Math.floorMod(epochMillis, 1000);
    Second s = last;
    if (s.epochSecond() != epochSecond) {
      String whole = Instant.ofEpochSecond(epochSecond).toString(); // ends in Z
      s = new Second(epochSecond, whole.substring(0, whole.length() - 1));
      last = s;
    }
    if (millis == 0) {
      return s.text() + 'Z';
    }
    StringBuilder b = new StringBuilder(s.text().length() + 5).append(s.text()).append('.');
    b.append((char) ('0' + millis / 100))
        .append((char) ('0' + millis / 10 % 10))
        .append((char) ('0' + millis % 10));
    return b.append('Z').toString();
  }
}
