package dev.llmrouter.metrics;

import dev.llmrouter.logging.UsageTokens;
import dev.llmrouter.routing.AttemptRecord;
import dev.llmrouter.routing.FailureClass;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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

  /**
   * Counters are keyed by records of their label values, not by label strings: a request costs a
   * hash lookup, and the strings are built only when /metrics is read.
   */
  private interface Labelled {
    String labels();
  }

  private record RequestKey(String endpoint, String route, int status) implements Labelled {
    @Override
    public String labels() {
      return "endpoint=\"" + endpoint + "\",route=\"" + route + "\",status=\"" + status + "\"";
    }
  }

  private record AttemptKey(String endpoint, String provider, AttemptRecord.Action outcome)
      implements Labelled {
    @Override
    public String labels() {
      return "endpoint=\""
          + endpoint
          + "\",provider=\""
          + escape(provider)
          + "\",outcome=\""
          + outcome.logName()
          + "\"";
    }
  }

  private record EndpointKey(String endpoint) implements Labelled {
    @Override
    public String labels() {
      return "endpoint=\"" + endpoint + "\"";
    }
  }

  private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<AttemptKey, LongAdder> attempts = new ConcurrentHashMap<>();
  private final Map<EndpointKey, LongAdder> fallbacks = new ConcurrentHashMap<>();
  private final Map<String, Histogram> durations = new ConcurrentHashMap<>();
  private final Map<String, Histogram> firstEvents = new ConcurrentHashMap<>();

  /**
   * Config reloads, for an alert on a config push that did not take: how many were applied and
   * rejected, whether the last one was applied, and when the running config was loaded.
   */
  private final LongAdder reloadsApplied = new LongAdder();

  private final LongAdder reloadsRejected = new LongAdder();
  private volatile boolean lastReloadApplied = true;
  private volatile long configLoadedAt = System.currentTimeMillis();

  /** A new config was swapped in ({@code Router.reload}). */
  public void reloadApplied() {
    reloadsApplied.increment();
    configLoadedAt = System.currentTimeMillis();
    lastReloadApplied = true;
  }

  /** A changed config file was invalid; the running config stays. */
  public void reloadRejected() {
    reloadsRejected.increment();
    lastReloadApplied = false;
  }

  /** What may follow a failed attempt, in the order of a failure row's columns. */
  private static final List<AttemptRecord.Action> FAILED_OUTCOMES =
      List.of(
          AttemptRecord.Action.RETRY, AttemptRecord.Action.FALLBACK, AttemptRecord.Action.RETURNED);

  /** The failure classes in the order of a failure row's column groups. */
  private static final List<FailureClass> CLASSES = List.of(FailureClass.values());

  /** Each class's column group, found without a search. */
  private static final Map<FailureClass, Integer> CLASS_GROUP = groups();

  /** Failed attempts: a column per failure class and outcome. */
  private final ProviderCounters failures =
      new ProviderCounters(CLASSES.size() * FAILED_OUTCOMES.size());

  /** Tokens from the answers' usage: input, output. */
  private final ProviderCounters tokens = new ProviderCounters(2);

  /** One finished request. */
  public void request(
      String endpoint,
      String route,
      int status,
      List<AttemptRecord> tried,
      long durationMicros,
      long firstEventMicros) {
    count(requests, new RequestKey(endpoint, route, status));
    boolean fellBack = false;
    for (AttemptRecord a : tried) {
      count(attempts, new AttemptKey(endpoint, a.provider(), a.action()));
      fellBack |= a.action() == AttemptRecord.Action.FALLBACK;
    }
    if (fellBack) {
      count(fallbacks, new EndpointKey(endpoint));
    }
    durations.computeIfAbsent(endpoint, e -> new Histogram()).observe(durationMicros / 1e6);
    if (firstEventMicros >= 0) {
      firstEvents.computeIfAbsent(endpoint, e -> new Histogram()).observe(firstEventMicros / 1e6);
    }
    failures(endpoint, tried);
  }

  /** Every failed attempt of one request, by its failure class and what followed it. */
  private void failures(String endpoint, List<AttemptRecord> tried) {
    for (AttemptRecord a : tried) {
      int outcome = FAILED_OUTCOMES.indexOf(a.action());
      if (a.failureClass() != null && outcome >= 0) {
        int column = CLASS_GROUP.get(a.failureClass()) * FAILED_OUTCOMES.size() + outcome;
        failures.row(endpoint, a.provider())[column].increment();
      }
    }
  }

  /**
   * The tokens one answer's usage reported; called by the request log's writer thread, which reads
   * the usage for its line anyway.
   */
  public void tokens(String endpoint, String provider, long input, long output) {
    LongAdder[] row = tokens.row(endpoint, provider);
    addSaturating(row[0], input);
    addSaturating(row[1], output);
  }

  /**
   * Adds a count by {@link UsageTokens#plus}, the saturating sum: a counter wrapped below zero
   * would read as a reset to a scraper. Read-then-add is exact because one thread, the log's
   * writer, is the only one that adds tokens.
   */
  private static void addSaturating(LongAdder counter, long n) {
    long sum = counter.sum();
    counter.add(UsageTokens.plus(sum, n) - sum);
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
        "Provider attempts, by provider and what followed (success, returned, retry, fallback, skipped,"
            + " cancelled).",
        attempts);
    counter(
        out,
        "llm_router_fallbacks_total",
        "Requests that moved past at least one provider.",
        fallbacks);
    out.append(
        "# HELP llm_router_attempt_failures_total Failed provider attempts, by failure class and what followed (retry, fallback, returned).\n");
    out.append("# TYPE llm_router_attempt_failures_total counter\n");
    failures.render(out, "llm_router_attempt_failures_total", Metrics::failureLabels, false);
    out.append(
        "# HELP llm_router_input_tokens_total Input tokens the providers' usage reported (cached ones included).\n");
    out.append("# TYPE llm_router_input_tokens_total counter\n");
    tokens.render(out, "llm_router_input_tokens_total", i -> i == 0 ? "" : null, true);
    out.append(
        "# HELP llm_router_output_tokens_total Output tokens the providers' usage reported.\n");
    out.append("# TYPE llm_router_output_tokens_total counter\n");
    tokens.render(out, "llm_router_output_tokens_total", i -> i == 1 ? "" : null, true);
    histogram(out, "llm_router_request_duration_seconds", "Request duration.", durations);
    histogram(
        out,
        "llm_router_stream_first_event_seconds",
        "Time to the first event of relayed streams.",
        firstEvents);
    renderReloads(out);
    out.append("# HELP llm_router_in_flight Requests being served now.\n");
    out.append("# TYPE llm_router_in_flight gauge\n");
    out.append("llm_router_in_flight ").append(inFlight).append('\n');
    out.append(
        "# HELP llm_router_provider_state 1 for each provider's current state (available, cooling_down, breaker_open, key_rejected).\n");
    out.append("# TYPE llm_router_provider_state gauge\n");
    for (String line : providerStateLines) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  private void renderReloads(StringBuilder out) {
    out.append(
        "# HELP llm_router_config_reloads_total Config reloads, by result (applied, rejected).\n");
    out.append("# TYPE llm_router_config_reloads_total counter\n");
    out.append("llm_router_config_reloads_total{result=\"applied\"} ")
        .append(reloadsApplied.sum())
        .append('\n');
    out.append("llm_router_config_reloads_total{result=\"rejected\"} ")
        .append(reloadsRejected.sum())
        .append('\n');
    out.append(
        "# HELP llm_router_config_last_reload_successful 0 when the last changed config was rejected (the one before keeps serving), else 1.\n");
    out.append("# TYPE llm_router_config_last_reload_successful gauge\n");
    out.append("llm_router_config_last_reload_successful ")
        .append(lastReloadApplied ? 1 : 0)
        .append('\n');
    out.append(
        "# HELP llm_router_config_loaded_timestamp_seconds When the running config was loaded: the start, or the last applied reload.\n");
    out.append("# TYPE llm_router_config_loaded_timestamp_seconds gauge\n");
    long loaded = configLoadedAt;
    out.append("llm_router_config_loaded_timestamp_seconds ")
        .append(loaded / 1000)
        .append('.')
        .append(String.format(Locale.ROOT, "%03d", loaded % 1000))
        .append('\n');
  }

  private static Map<FailureClass, Integer> groups() {
    Map<FailureClass, Integer> groups = new EnumMap<>(FailureClass.class);
    for (FailureClass c : CLASSES) {
      groups.put(c, groups.size());
    }
    return Collections.unmodifiableMap(groups);
  }

  /** {@code class="timeout",outcome="fallback"} for a failure row's column. */
  private static String failureLabels(int column) {
    int outcomes = FAILED_OUTCOMES.size();
    return "class=\""
        + CLASSES.get(column / outcomes).logName()
        + "\",outcome=\""
        + FAILED_OUTCOMES.get(column % outcomes).logName()
        + "\"";
  }

  /** Label values are config names: escape what the format requires. */
  public static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  private static <K> void count(Map<K, LongAdder> family, K key) {
    LongAdder adder = family.get(key); // no lambda, no allocation once the key is known
    if (adder == null) {
      adder = family.computeIfAbsent(key, k -> new LongAdder());
    }
    adder.increment();
  }

  private static void counter(
      StringBuilder out, String name, String help, Map<? extends Labelled, LongAdder> family) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    Map<String, LongAdder> sorted = new TreeMap<>();
    family.forEach((key, value) -> sorted.put(key.labels(), value));
    sorted.forEach(
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
      // One reading of the count for +Inf and _count, never below the buckets: an observation
      // counted in its bucket but not yet in the count must not make the two disagree.
      long total = count.sum();
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
          .append(Math.max(total, cumulative))
          .append('\n');
      out.append(name).append("_sum{").append(labels).append("} ").append(sum.sum()).append('\n');
      out.append(name)
          .append("_count{")
          .append(labels)
          .append("} ")
          .append(Math.max(total, cumulative))
          .append('\n');
    }
  }
}
