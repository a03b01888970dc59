package dev.llmrouter.routing;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.routing.AttemptRecord.Action;
import dev.llmrouter.upstream.UpstreamOutcome;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A walk of the fallback table through the {@link FallbackExecutor.Attempt} interface, on a clock
 * the test owns (waits and backoffs move the clock instead of sleeping), with scripted outcomes per
 * provider.
 */
abstract class ScriptedWalk {

  final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  final List<Duration> slept = new ArrayList<>();
  final ProviderRegistry registry = new ProviderRegistry(clock::get);
  final FallbackExecutor executor =
      new FallbackExecutor(
          registry,
          d -> {
            slept.add(d);
            clock.addAndGet(d.toNanos());
            return true;
          },
          () -> 0.5,
          text -> text.replace(LEAKED_KEY, "[REDACTED]"));

  /** Scripted outcomes per provider name; every call is recorded. */
  final Map<String, Deque<UpstreamOutcome>> script = new HashMap<>();

  final List<String> called = new ArrayList<>();

  /** Priorities follow the names (a before b before c): no rotation among equals. */
  static ProviderConfig provider(String name, String host, int maxRetries) {
    return new ProviderConfig(
        name,
        "sk-test-" + name + "-0123456789",
        name.charAt(0) - 'a' + 1,
        URI.create("https://" + host + "/v1"),
        Duration.ofSeconds(10),
        maxRetries,
        Duration.ofSeconds(10),
        1);
  }

  static Target target(String name, String host, String model) {
    return new Target(provider(name, host, 0), model);
  }

  ScriptedWalk answer(String provider, UpstreamOutcome... outcomes) {
    script.computeIfAbsent(provider, p -> new ArrayDeque<>()).addAll(List.of(outcomes));
    return this;
  }

  static Completed http(int status, String body, String... headers) {
    Map<String, List<String>> map = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      map.put(headers[i], List.of(headers[i + 1]));
    }
    return new Completed(
        status, HttpHeaders.of(map, (a, b) -> true), body.getBytes(StandardCharsets.UTF_8));
  }

  /** What the executor's redaction knows as a secret (the provider key an upstream echoes). */
  static final String LEAKED_KEY = "sk-live-0123456789abcdefghij";

  static final Completed OK = http(200, "{\"id\":\"chatcmpl-1\",\"choices\":[]}");

  RoutingResult run(Duration maxCooldownWait, Target... targets) {
    long deadline = clock.get() + Duration.ofMinutes(10).toNanos();
    return executor.execute(
        List.of(targets),
        deadline,
        maxCooldownWait,
        (t, timeout) -> {
          called.add(t.provider().name() + ":" + t.model());
          Deque<UpstreamOutcome> queue = script.get(t.provider().name());
          return queue == null || queue.isEmpty() ? OK : queue.poll();
        });
  }

  RoutingResult run(Target... targets) {
    return run(Duration.ofSeconds(5), targets);
  }

  static List<Action> actions(RoutingResult r) {
    return r.attempts().stream().map(AttemptRecord::action).toList();
  }
}
