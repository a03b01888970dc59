package dev.llmrouter.stats;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code --since} value: a time back from now, or a point in time. */
public final class Since {

  private static final Pattern AGO = Pattern.compile("(\\d{1,9})([smhdw])");

  private Since() {}

  /**
   * {@code 30m}, {@code 2h}, {@code 7d} (also {@code s}, {@code w}) back from {@code now}, in whole
   * seconds; or an ISO instant ({@code 2026-12-05T10:00:00Z}), a date-time with an offset ({@code
   * +01:00}), a local date-time ({@code 2026-12-05T10:00}, a space for the {@code T} also does) or
   * a date ({@code 2026-12-05}, its midnight), the local ones in {@code zone}.
   *
   * @throws IllegalArgumentException with a message for the user when it is none of those
   */
  public static Instant parse(String text, Instant now, ZoneId zone) {
    String t = text.strip();
    Matcher ago = AGO.matcher(t.toLowerCase(Locale.ROOT));
    if (ago.matches()) {
      long n = Long.parseLong(ago.group(1));
      Duration back =
          switch (ago.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
          };
      // Whole seconds, as the report prints it; nothing before the epoch (--since 99999999d).
      Instant since = now.minus(back).truncatedTo(ChronoUnit.SECONDS);
      return since.isBefore(Instant.EPOCH) ? Instant.EPOCH : since;
    }
    String iso = t.length() > 10 && t.charAt(10) == ' ' ? t.replaceFirst(" ", "T") : t;
    try {
      return Instant.parse(iso);
    } catch (DateTimeException e) {
      // not an instant with Z: try the other forms
    }
    try {
      return OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeException e) {
      // no offset either
    }
    try {
      return LocalDateTime.parse(iso).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      // not a local date-time
    }
    try {
      return LocalDate.parse(iso).atStartOfDay(zone).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          "--since takes a duration (30m, 2h, 7d) or a time (2026-12-05T10:00:00Z or"
              + " 2026-12-05T10:00 local), got '"
              + text
              + "'");
    }
  }
}
