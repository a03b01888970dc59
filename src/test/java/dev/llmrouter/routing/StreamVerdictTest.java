package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.logging.StreamEnd;
import dev.llmrouter.logging.StreamLog;
import java.net.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a committed stream's end counts for its provider. */
class StreamVerdictTest {

  private final AtomicLong now = new AtomicLong();
  private final ProviderHealth health = new ProviderHealth(now::get);
  private final Target target = ScriptedWalk.target("a", "a.example", "m");

  private StreamVerdict verdict(boolean succeededAtCommit, String... headers) {
    Map<String, List<String>> map = new HashMap<>();
    for (int i = 0; i < headers.length; i += 2) {
      map.put(headers[i], List.of(headers[i + 1]));
    }
    return new StreamVerdict(
        target,
        health,
        succeededAtCommit,
        null,
        HttpHeaders.of(map, (k, v) -> true),
        UnaryOperator.identity());
  }

  private static StreamLog ended(StreamEnd end, int errorStatus) {
    return new StreamLog(0, null, end == StreamEnd.COMPLETED, end, errorStatus);
  }

  @ParameterizedTest
  @CsvSource({
    "COMPLETED, 0, 1, 0, ",
    "CLIENT_CANCELLED, 0, 1, 0, ",
    "SHUTDOWN, 0, 1, 0, ",
    "UPSTREAM_BROKEN, 0, 0, 1, stream_broken",
    "IDLE_TIMEOUT, 0, 0, 1, stream_idle_timeout",
    "UPSTREAM_ERROR, 529, 0, 1, stream_error_529",
    "UPSTREAM_ERROR, 500, 0, 1, stream_error_500",
    "UPSTREAM_ERROR, 0, 0, 1, stream_error_event",
    "UPSTREAM_ERROR, 400, 1, 0, ",
    "UPSTREAM_ERROR, 429, 0, 1, rate_limited",
  })
  void eachEndCountsAsTheAnswerItWas(
      StreamEnd end, int status, long successes, long failures, String lastError) {
    StreamVerdict verdict = verdict(false);

    verdict.ended(ended(end, status));
    verdict.ended(ended(StreamEnd.UPSTREAM_BROKEN, 0)); // told once: later calls do nothing

    ProviderSnapshot s = health.snapshot();
    assertThat(s.successes()).isEqualTo(successes);
    assertThat(s.failures()).isEqualTo(failures);
    assertThat(s.lastError()).isEqualTo(lastError);
  }

  @Test
  void threeBrokenStreamsOpenTheBreakerAndACompletedOneBetweenResetsTheCount() {
    for (StreamEnd end :
        new StreamEnd[] {
          StreamEnd.UPSTREAM_BROKEN, StreamEnd.UPSTREAM_BROKEN, StreamEnd.COMPLETED
        }) {
      verdict(false).ended(ended(end, 0));
    }
    verdict(false).ended(ended(StreamEnd.UPSTREAM_BROKEN, 0));
    assertThat(health.snapshot().state()).isNotEqualTo(ProviderHealth.State.OPEN);
    verdict(false).ended(ended(StreamEnd.UPSTREAM_BROKEN, 0));
    verdict(false).ended(ended(StreamEnd.UPSTREAM_BROKEN, 0));
    assertThat(health.snapshot().state()).isEqualTo(ProviderHealth.State.OPEN);
  }

  @Test
  void aProbeThatSucceededAtItsFirstEventCountsItsEndOnlyWhenItBroke() {
    StreamVerdict probe = verdict(true);

    probe.ended(ended(StreamEnd.COMPLETED, 0));

    assertThat(health.snapshot().successes()).isZero(); // counted at the commit, by the walk
  }

  @Test
  void aRateLimitInTheStreamCoolsTheProviderForTheWaitItsHeadersAsk() {
    verdict(false, "retry-after", "20").ended(ended(StreamEnd.UPSTREAM_ERROR, 429));

    ProviderSnapshot s = health.snapshot();
    assertThat(s.state()).isEqualTo(ProviderHealth.State.COOLING_DOWN);
    assertThat(s.secondsLeft()).isEqualTo(20);
    assertThat(s.successes()).isZero();
  }

  @Test
  void aStreamNeverRelayedCountsAsAnswered() {
    verdict(false).ended(null);

    assertThat(health.snapshot().successes()).isEqualTo(1);
  }
}
