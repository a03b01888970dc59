package dev.llmrouter.routing;

import static dev.llmrouter.routing.ScriptedWalk.http;
import static dev.llmrouter.routing.ScriptedWalk.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.routing.RoutingResult.Exhausted;
import dev.llmrouter.upstream.UpstreamOutcome;
import dev.llmrouter.wire.ErrorKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * One request probes a broken provider: the others that waited for its breaker do not pile onto it
 * (they get 503 with a wait), and a request that does not hold the probe cannot end it.
 */
class BreakerProbeTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
  private final ProviderRegistry registry = new ProviderRegistry(clock::get);
  private final Target b = target("b", "h2", "m");
  private final List<String> called = new ArrayList<>();

  /** While a request waits for the breaker, another one takes the probe. */
  private final FallbackExecutor executor =
      new FallbackExecutor(
          registry,
          d -> {
            clock.addAndGet(d.toNanos());
            assertThat(registry.of(b.provider()).admit("m").probe()).isTrue();
            return true;
          },
          () -> 0.5,
          UnaryOperator.identity());

  private RoutingResult run(UpstreamOutcome answer) {
    return executor.execute(
        List.of(b),
        clock.get() + Duration.ofMinutes(1).toNanos(),
        Duration.ofSeconds(5),
        (t, timeout) -> {
          called.add(t.provider().name());
          return answer;
        });
  }

  @Test
  void aRequestThatWaitedForTheBreakerWhileAnotherProbesIsNotSent() {
    for (int i = 0; i < 3; i++) {
      run(http(500, "{\"error\":{\"message\":\"boom\"}}")); // opens b's breaker
    }
    called.clear();

    RoutingResult r = run(http(500, "{\"error\":{\"message\":\"boom\"}}"));

    assertThat(called).as("the other request probes; this one is not sent").isEmpty();
    assertThat(((Exhausted) r).kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(((Exhausted) r).retryAfter()).isPositive();
  }

  @Test
  void aRateLimitOfARequestThatDoesNotHoldTheProbeLeavesTheProbeToItsHolder() {
    ProviderHealth health = registry.of(b.provider());
    for (int i = 0; i < 3; i++) {
      health.failed("http_500");
    }
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(health.admit("m").probe()).isTrue(); // another request probes

    // A request pinned to b (a Responses conversation) is rate limited meanwhile.
    FallbackExecutor plain =
        new FallbackExecutor(registry, d -> true, () -> 0.5, UnaryOperator.identity());
    plain.executeOnly(
        b,
        clock.get() + Duration.ofMinutes(1).toNanos(),
        (t, timeout) -> http(429, "{\"error\":{\"code\":\"rate_limit_exceeded\"}}"));

    ProviderHealth.Admission next = health.admit("other-model");
    assertThat(next.probe()).as("the probe is still out: no second one").isFalse();
    assertThat(next.waitNanos()).isPositive();
  }
}
