package dev.llmrouter.logging;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one home of the request logs' file names: {@code router_<YYYYMMDD_HHMMSS>_<session>.jsonl},
 * its errors file {@code ..._errors.jsonl}, and after a rotation {@code ..._<n>.jsonl} (n = 2,
 * 3...). The writer makes them, pruning deletes only them, {@code stats} reads them in order.
 *
 * @param time the local start time of the file, {@code YYYYMMDD_HHMMSS}
 * @param session 8 hex digits, one per router run
 * @param sequence 1 for the first file of a run, then 2, 3... after each rotation
 * @param errors whether it is the errors file of its pair
 */
public record LogName(String time, String session, int sequence, boolean errors) {

  private static final Pattern NAME =
      Pattern.compile(
          "router_(\\d{8}_\\d{6})_([0-9a-f]{8})(?:_([1-9][0-9]{0,8}))?(_errors)?\\.jsonl");

  /** Time, then sequence ({@code _10} after {@code _9}): the order of names of one clock. */
  private static final Comparator<LogName> BY_NAME =
      Comparator.comparing(LogName::time)
          .thenComparingInt(LogName::sequence)
          .thenComparing(LogName::session);

  /**
   * The names in the order their files were written, oldest first: runs by the earliest time among
   * their files, and within a run by sequence. Time alone would put a run's later file before an
   * earlier one once the clock went back (the end of daylight saving time, a step of the system
   * clock), and pruning would then delete the newer one.
   */
  public static List<LogName> inWrittenOrder(Collection<LogName> names) {
    Map<String, String> firstTime = new HashMap<>();
    for (LogName n : names) {
      firstTime.merge(n.session(), n.time(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }
    List<LogName> sorted = new ArrayList<>(names);
    sorted.sort(
        Comparator.comparing((LogName n) -> firstTime.get(n.session()))
            .thenComparing(LogName::session)
            .thenComparingInt(LogName::sequence)
            .thenComparing(BY_NAME));
    return sorted;
  }

  /** The name of a file the router writes, or null when a file is not one of its request logs. */
  public static LogName parse(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return null;
    }
    int sequence = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
    return new LogName(m.group(1), m.group(2), sequence, m.group(4) != null);
  }

  /** {@code router_<time>_<session>[_<n>]}: the main file adds {@code .jsonl}. */
  String prefix() {
    return "router_" + time + "_" + session + (sequence == 1 ? "" : "_" + sequence);
  }

  /** The pair this file belongs to (main and errors file share it). */
  public LogName pair() {
    return errors ? new LogName(time, session, sequence, false) : this;
  }
}
