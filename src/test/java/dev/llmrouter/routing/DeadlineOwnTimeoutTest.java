package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A provider whose timeout equals the request deadline times out on its own account, though the
 * attempt always gets a little less than the deadline: its breaker opens.
 */
class DeadlineOwnTimeoutTest extends ScriptedWalk {
  @Test
  void aDeadProviderWhoseTimeoutEqualsTheRequestTimeoutOpensItsBreaker() {
    Target a = target("a", "h1", "m"); // provider timeout 10 s
    for (int i = 0; i < 5; i++) {
      long arrived = clock.get();
      long deadline = arrived + Duration.ofSeconds(10).toNanos(); // request_timeout == timeout
      clock.addAndGet(1_000_000); // 1 ms of admission/parsing before the walk
      executor.execute(
          List.of(a),
          deadline,
          Duration.ZERO,
          (t, timeout) -> {
            clock.addAndGet(timeout.toNanos());
            return new Failed(FailureType.TIMEOUT, "no complete response within " + timeout);
          });
      clock.addAndGet(1_000_000);
    }
    // Five black-holed requests: the breaker should be open, so the provider is skipped now.
    assertThat(registry.of(a.provider()).admit("m").waitNanos()).isPositive();
  }
}
