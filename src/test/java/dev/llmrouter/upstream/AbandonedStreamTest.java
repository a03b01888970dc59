package dev.llmrouter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.memory.MemoryBudget;
import dev.llmrouter.routing.FallbackExecutor;
import dev.llmrouter.routing.ProviderRegistry;
import dev.llmrouter.routing.RoutingResult;
import dev.llmrouter.routing.RoutingResult.Exhausted;
import dev.llmrouter.routing.Target;
import dev.llmrouter.upstream.UpstreamOutcome.Streaming;
import dev.llmrouter.wire.SseFraming;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A stream whose first event arrives just as the walk is interrupted (the client left, or a
 * shutdown past its grace) has no owner: the walk must close it, or the provider goes on
 * generating, and billing, until the stream's idle deadline.
 */
class AbandonedStreamTest {

  @Test
  void aStreamOpenedAsTheWalkIsInterruptedIsClosedByTheWalk() {
    AtomicBoolean closed = new AtomicBoolean();
    ByteArrayInputStream body =
        new ByteArrayInputStream(new byte[0]) {
          @Override
          public void close() {
            closed.set(true);
          }
        };
    StreamWatchdog watchdog = new StreamWatchdog();
    UpstreamStream rest =
        new UpstreamStream(
            body,
            watchdog,
            System.nanoTime() + Duration.ofMinutes(1).toNanos(),
            1 << 20,
            new MemoryBudget(1 << 20).ledger());
    SseFraming.Event first =
        new SseFraming.Event("data: {}\n\n".getBytes(StandardCharsets.UTF_8), null, "{}");
    Target target =
        new Target(
            ProviderConfig.of("p", "sk-test-0123456789", URI.create("http://127.0.0.1:1/v1")), "m");
    FallbackExecutor executor =
        new FallbackExecutor(new ProviderRegistry(), UnaryOperator.identity());

    RoutingResult result;
    try {
      result =
          executor.execute(
              List.of(target),
              System.nanoTime() + Duration.ofMinutes(1).toNanos(),
              Duration.ZERO,
              (t, timeout) -> {
                Thread.currentThread().interrupt(); // the client's watch, as the event came
                return new Streaming(
                    200, HttpHeaders.of(Map.of(), (a, b) -> true), List.of(), first, rest, 1_000);
              });
    } finally {
      Thread.interrupted();
      watchdog.close();
    }

    assertThat(result).isInstanceOf(Exhausted.class);
    assertThat(closed).isTrue();
  }
}
