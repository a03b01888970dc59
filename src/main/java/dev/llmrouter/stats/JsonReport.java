package dev.llmrouter.stats;

import dev.llmrouter.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The report as one JSON object, the same figures as the text: names as they are in the log (null
 * for none), counts as integers, milliseconds as numbers, and null where the text shows {@code -}.
 */
final class JsonReport {

  private JsonReport() {}

  static String of(StatsReport r) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode files = root.putArray("files");
    for (Path f : r.files()) {
      files.add(f.toString());
    }
    root.put("since", instant(r.since()));
    root.put("requests", r.requests());
    root.put("first", instant(r.first()));
    root.put("last", instant(r.last()));
    root.put("malformed_lines", r.malformedLines());
    root.put("first_malformed", r.firstMalformed());
    root.put("percentile_precision", round(Histogram.PRECISION, 4));
    rows(root.putArray("endpoints"), r.endpoints());
    rows(root.putArray("providers"), r.providers());
    rows(root.putArray("models"), r.models());
    return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
  }

  private static void rows(ArrayNode out, List<GroupRow> rows) {
    for (GroupRow row : rows) {
      ObjectNode o = out.addObject();
      o.put("name", row.name());
      o.put("requests", row.requests());
      o.put("successes", row.successes());
      putNumber(o, "success_pct", round(row.successPercent(), 2));
      o.put("fallbacks", row.fallbacks());
      o.put("attempts", row.attempts());
      percentiles(o, "duration_ms", row.duration());
      percentiles(o, "ttfb_ms", row.firstEvent());
      o.put("input_tokens", row.inputTokens());
      o.put("output_tokens", row.outputTokens());
      ObjectNode failures = o.putObject("failure_classes");
      for (GroupRow.ClassCount c : row.failures()) {
        failures.put(c.failureClass(), c.count());
      }
    }
  }

  private static void percentiles(ObjectNode o, String name, GroupRow.Percentiles p) {
    if (p == null || p.count() == 0) {
      o.putNull(name);
      return;
    }
    ObjectNode values = o.putObject(name);
    values.put("count", p.count());
    putNumber(values, "p50", round(p.p50(), 3));
    putNumber(values, "p95", round(p.p95(), 3));
    putNumber(values, "p99", round(p.p99(), 3));
  }

  /** JSON has no NaN: a missing figure is null. */
  private static void putNumber(ObjectNode o, String name, double v) {
    if (Double.isNaN(v)) {
      o.putNull(name);
    } else {
      o.put(name, v);
    }
  }

  private static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Double.isNaN(v) ? v : Math.round(v * scale) / scale;
  }

  private static String instant(Instant t) {
    return t == null ? null : t.toString();
  }
}
