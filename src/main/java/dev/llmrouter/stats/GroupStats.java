package dev.llmrouter.stats;

import dev.llmrouter.logging.UsageTokens;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The running counts of one row: an endpoint, a provider or a requested model. */
final class GroupStats {

  /** Past this many distinct class names in one row, the rarer newcomers share one count. */
  private static final int MAX_CLASSES = 64;

  static final String OTHER_CLASSES = "(other)";
  private static final int TOP_CLASSES = 5;

  private long requests;
  private long successes;
  private long fallbacks;
  private long attempts;
  private long inputTokens;
  private long outputTokens;
  private final Histogram durations = new Histogram();
  private Histogram firstEvents; // only rows with streams pay for it
  private final Map<String, long[]> failures = new HashMap<>();

  void request(LogRecord r) {
    requests++;
    if (r.success()) {
      successes++;
    }
    if (r.fallback()) {
      fallbacks++;
    }
    inputTokens = UsageTokens.plus(inputTokens, r.inputTokens());
    outputTokens = UsageTokens.plus(outputTokens, r.outputTokens());
    durations.add(r.durationMs());
    if (!Double.isNaN(r.firstEventMs())) {
      if (firstEvents == null) {
        firstEvents = new Histogram();
      }
      firstEvents.add(r.firstEventMs());
    }
  }

  /** One provider call (a skip is none), with its failure class if it failed. */
  void attempt(LogRecord.Attempt a) {
    if (a.called()) {
      attempts++;
    }
    if (a.failureClass() != null) {
      failure(a.failureClass())[0]++;
    }
  }

  /** Adds what {@code other} counted (the same row, read from another file). */
  void merge(GroupStats other) {
    requests += other.requests;
    successes += other.successes;
    fallbacks += other.fallbacks;
    attempts += other.attempts;
    inputTokens = UsageTokens.plus(inputTokens, other.inputTokens);
    outputTokens = UsageTokens.plus(outputTokens, other.outputTokens);
    durations.merge(other.durations);
    if (other.firstEvents != null) {
      if (firstEvents == null) {
        firstEvents = new Histogram();
      }
      firstEvents.merge(other.firstEvents);
    }
    other.failures.forEach((name, n) -> failure(name)[0] += n[0]);
  }

  private long[] failure(String failureClass) {
    String name =
        failures.containsKey(failureClass) || failures.size() < MAX_CLASSES
            ? failureClass
            : OTHER_CLASSES;
    return failures.computeIfAbsent(name, k -> new long[1]);
  }

  GroupRow row(String name) {
    List<GroupRow.ClassCount> top = new ArrayList<>();
    failures.forEach((k, v) -> top.add(new GroupRow.ClassCount(k, v[0])));
    top.sort(
        (a, b) ->
            a.count() != b.count()
                ? Long.compare(b.count(), a.count())
                : a.failureClass().compareTo(b.failureClass()));
    return new GroupRow(
        name,
        requests,
        successes,
        fallbacks,
        attempts,
        GroupRow.Percentiles.of(durations),
        firstEvents == null ? null : GroupRow.Percentiles.of(firstEvents),
        inputTokens,
        outputTokens,
        List.copyOf(top.subList(0, Math.min(TOP_CLASSES, top.size()))));
  }
}
