package dev.llmrouter.stats;

import dev.llmrouter.logging.ConsoleText;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report as text for a terminal: a summary, then one aligned table per grouping. */
final class TextReport {

  private static final String[] HEADERS = {
    "requests",
    "success",
    "fallbacks",
    "attempts",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "ttfb p50",
    "ttfb p95",
    "ttfb p99",
    "in tokens",
    "out tokens"
  };

  private TextReport() {}

  static String of(StatsReport r) {
    StringBuilder out = new StringBuilder(4096);
    out.append(
        String.format(
            Locale.ROOT,
            "%,d request%s in %d file%s",
            r.requests(),
            r.requests() == 1 ? "" : "s",
            r.files().size(),
            r.files().size() == 1 ? "" : "s"));
    if (r.first() != null) {
      out.append(", ").append(r.first()).append(" to ").append(r.last());
    }
    if (r.since() != null) {
      out.append(" (since ").append(r.since()).append(')');
    }
    out.append('\n');
    out.append(String.format(Locale.ROOT, "malformed lines skipped: %,d", r.malformedLines()));
    if (r.firstMalformed() != null) {
      out.append(" (the first at ").append(ConsoleText.clean(r.firstMalformed())).append(')');
    }
    out.append('\n');
    table(out, "endpoint", r.endpoints());
    table(out, "provider", r.providers());
    table(out, "model", r.models());
    out.append(
        """

        success: 2xx, and a relayed stream completed. fallbacks: answered by another provider
        than the first one called (skipped ones were not called). attempts: provider calls; a
        provider row counts its own calls and their failure classes. (none): no provider
        answered, the router did. ttfb: the answering provider's time to its first stream
        event. Percentiles: within 1%.
        """);
    return out.toString();
  }

  private static void table(StringBuilder out, String title, List<GroupRow> rows) {
    out.append('\n');
    if (rows.isEmpty()) {
      out.append("by ").append(title).append(": no requests\n");
      return;
    }
    List<String[]> cells = new ArrayList<>(rows.size() + 1);
    String[] header = new String[HEADERS.length + 2];
    header[0] = title;
    System.arraycopy(HEADERS, 0, header, 1, HEADERS.length);
    header[header.length - 1] = "top failure classes";
    cells.add(header);
    for (GroupRow row : rows) {
      cells.add(cells(row));
    }
    int[] width = new int[header.length];
    for (String[] line : cells) {
      for (int i = 0; i < line.length; i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    for (String[] line : cells) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < line.length; i++) {
        boolean left = i == 0 || i == line.length - 1;
        String pad = " ".repeat(width[i] - line[i].length());
        text.append(i == 0 ? "" : "  ").append(left ? line[i] + pad : pad + line[i]);
      }
      out.append(text.toString().stripTrailing()).append('\n');
    }
  }

  private static String[] cells(GroupRow row) {
    GroupRow.Percentiles d = row.duration();
    GroupRow.Percentiles f = row.firstEvent();
    return new String[] {
      row.name() == null ? "(none)" : ConsoleText.clean(row.name()),
      count(row.requests()),
      Double.isNaN(row.successPercent())
          ? "-"
          : String.format(Locale.ROOT, "%.1f%%", row.successPercent()),
      count(row.fallbacks()),
      count(row.attempts()),
      ms(d.p50()),
      ms(d.p95()),
      ms(d.p99()),
      f == null ? "-" : ms(f.p50()),
      f == null ? "-" : ms(f.p95()),
      f == null ? "-" : ms(f.p99()),
      count(row.inputTokens()),
      count(row.outputTokens()),
      failures(row.failures())
    };
  }

  private static String failures(List<GroupRow.ClassCount> top) {
    if (top.isEmpty()) {
      return "-";
    }
    List<String> shown = new ArrayList<>(top.size());
    for (GroupRow.ClassCount c : top) {
      shown.add(ConsoleText.clean(c.failureClass()) + " " + count(c.count()));
    }
    return String.join(", ", shown);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** Three significant digits or so: the histogram's precision is 1% anyway. */
  static String ms(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (v < 10) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    if (v < 100) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    return String.format(Locale.ROOT, "%,.0f", v);
  }
}
