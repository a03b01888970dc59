package dev.llmrouter.stats;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Reads the {@code time} of a log line. {@link Instant#parse} takes a microsecond or two a call,
 * which is a good part of the cost of a record; the router writes {@link Instant#toString()}, one
 * fixed shape, so that shape is read by hand and anything else goes to {@code Instant.parse}.
 */
final class Instants {

  /** Nanoseconds per unit of a fraction of {@code i} digits. */
  private static final int[] SCALE = {
    0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1
  };

  private Instants() {}

  /**
   * {@code 2026-12-05T10:00:00Z}, with 1 to 9 fraction digits or none.
   *
   * @throws java.time.DateTimeException when it is not an ISO instant
   */
  static Instant parse(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || n == 21
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z'
        || (n > 20 && s.charAt(19) != '.')) {
      return Instant.parse(s);
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int fraction = n > 20 ? digits(s, 20, n - 1) : 0;
    if (year < 0
        || !in(month, 1, 12)
        || !in(day, 1, 31)
        || !in(hour, 0, 23)
        || !in(minute, 0, 59)
        || !in(second, 0, 59)
        || fraction < 0) {
      return Instant.parse(s); // not a digit, or out of range: let the JDK say what is wrong
    }
    long days = LocalDate.of(year, month, day).toEpochDay(); // checks the day of the month
    long seconds = days * 86_400 + hour * 3_600L + minute * 60L + second;
    return Instant.ofEpochSecond(seconds, n > 20 ? (long) fraction * SCALE[n - 21] : 0);
  }

  private static boolean in(int v, int min, int max) {
    return v >= min && v <= max;
  }

  /** The decimal number in {@code s[from, to)}, or -1 when a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      int d = s.charAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }
}
