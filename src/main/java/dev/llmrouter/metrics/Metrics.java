package dev.llmrouter.metrics;

import dev.llmrouter.routing.AttemptRecord;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The router's Prometheus metrics, kept without any dependency: counters and histograms updated
 * with {@link LongAdder}s on the request thread (a few nanoseconds each) and rendered in the text
 * exposition format on {@code GET /metrics}. Labels are low-cardinality on purpose: endpoint,
 * status code, configured provider names and fixed outcome words, never a model name from a
 * request.
 */
public final class Metrics {

  /** Seconds; request latency spans sub-millisecond errors to multi-minute generations. */
  static final double[] DURATION_BUCKETS = {
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300
  };

  private final Map<String, LongAdder> requests = new ConcurrentSkipListMap<>();
  private final Map<String, LongAdder> attempts = new ConcurrentSkipListMap<>();
  private final Map<String, LongAdder> fallbacks = new ConcurrentSkipListMap<>();
  private final Map<String, Histogram> durations = new ConcurrentHashMap<>();
  private final Map<String, Histogram> firstEvents = new ConcurrentHashMap<>();

  /** One finished request. */
  public void request(
      String endpoint,
      String route,
      int status,
      List<AttemptRecord> tried,
      long durationMicros,
      long firstEventMicros) {
    count(
        requests,
        "endpoint=\"" + endpoint + "\",route=\"" + route + "\",status=\"" + status + "\"");
    boolean fellBack = false;
    for (AttemptRecord a : tried) {
      count(
          attempts,
          "endpoint=\""
              + endpoint
              + "\",provider=\""
              + escape(a.provider())
              + "\",outcome=\""
              + a.action().logName()
              + "\"");
      fellBack |= a.action() == AttemptRecord.Action.FALLBACK;
    }
    if (fellBack) {
      count(fallbacks, "endpoint=\"" + endpoint + "\"");
    }
    durations.computeIfAbsent(endpoint, e -> new Histogram()).observe(durationMicros / 1e6);
    if (firstEventMicros >= 0) {
      firstEvents.computeIfAbsent(endpoint, e -> new Histogram()).observe(firstEventMicros / 1e6);
    }
  }

  /** Renders every metric; {@code extra} adds the gauges whose values live elsewhere. */
  public String render(int inFlight, List<String> providerStateLines) {
    StringBuilder out = new StringBuilder(4096);
    counter(
        out,
        "llm_router_requests_total",
        "Requests answered, by endpoint, route and status.",
        requests);
    counter(
        out,
        "llm_router_attempts_total",
        "Provider attempts, by provider and what followed (success, returned, retry, fallback, skipped).",
        attempts);
    counter(
        out,
        "llm_router_fallbacks_total",
        "Requests that moved past at least one provider.",
        fallbacks);
    histogram(out, "llm_router_request_duration_seconds", "Request duration.", durations);
    histogram(
        out,
        "llm_router_stream_first_event_seconds",
        "Time to the first event of relayed streams.",
        firstEvents);
    out.append("# HELP llm_router_in_flight Requests being served now.\n");
    out.append("# TYPE llm_router_in_flight gauge\n");
    out.append("llm_router_in_flight ").append(inFlight).append('\n');
    out.append(
        "# HELP llm_router_provider_state 1 for each provider's current state (healthy, cooling_down, open, half_open).\n");
    out.append("# TYPE llm_router_provider_state gauge\n");
    for (String line : providerStateLines) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  /** Label values are config names: escape what the format requires. */
  public static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static void count(Map<String, LongAdder> family, String labels) {
    family.computeIfAbsent(labels, k -> new LongAdder()).increment();
  }

  private static void counter(
      StringBuilder out, String name, String help, Map<String, LongAdder> family) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    family.forEach(
        (labels, value) ->
            out.append(name)
                .append('{')
                .append(labels)
                .append("} ")
                .append(value.sum())
                .append('\n'));
  }

  private static void histogram(
      StringBuilder out, String name, String help, Map<String, Histogram> family) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" histogram\n");
    new ConcurrentSkipListMap<>(family).forEach((endpoint, h) -> h.render(out, name, endpoint));
  }

  /** Cumulative buckets as Prometheus expects them. */
  private static final class Histogram {
    private final LongAdder[] buckets = new LongAdder[DURATION_BUCKETS.length];
    private final LongAdder count = new LongAdder();
    private final java.util.concurrent.atomic.DoubleAdder sum =
        new java.util.concurrent.atomic.DoubleAdder();

    Histogram() {
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    void observe(double seconds) {
      for (int i = 0; i < DURATION_BUCKETS.length; i++) {
        if (seconds <= DURATION_BUCKETS[i]) {
          buckets[i].increment();
          break;
        }
      }
      count.increment();
      sum.add(seconds);
    }

    void render(StringBuilder out, String name, String endpoint) {
      long cumulative = 0;
      String labels = "endpoint=\"" + endpoint + "\"";
      for (int i = 0; i < DURATION_BUCKETS.length; i++) {
        cumulative += buckets[i].sum();
        out.append(name)
            .append("_bucket{")
            .append(labels)
            .append(",le=\"")
            .append(DURATION_BUCKETS[i])
            .append("\"} ")
            .append(cumulative)
            .append('\n');
      }
      out.append(name)
          .append("_bucket{")
          .append(labels)
          .append(",le=\"+Inf\"} ")
          .append(count.sum())
          .append('\n');
      out.append(name).append("_sum{").append(labels).append("} ").append(sum.sum()).append('\n');
      out.append(name)
          .append("_count{")
          .append(labels)
          .append("} ")
          .append(count.sum())
          .append('\n');
    }
  }
}
