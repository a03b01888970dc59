package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.logging.StreamEnd;
import dev.llmrouter.logging.StreamLog;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How a committed stream's end counts for its provider. */
class StreamVerdictTest {

  private final AtomicLong now = new AtomicLong();
  private final ProviderHealth health = new ProviderHealth(now::get);
  private final Target target = ScriptedWalk.target("a", "a.example", "m");

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
    "UPSTREAM_ERROR, 429, 1, 0, ",
  })
  void eachEndCountsAsTheAnswerItWas(
      StreamEnd end, int status, long successes, long failures, String lastError) {
    StreamVerdict verdict = new StreamVerdict(target, health, false);

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
      new StreamVerdict(target, health, false).ended(ended(end, 0));
    }
    new StreamVerdict(target, health, false).ended(ended(StreamEnd.UPSTREAM_BROKEN, 0));
    assertThat(health.snapshot().state()).isNotEqualTo(ProviderHealth.State.OPEN);
    new StreamVerdict(target, health, false).ended(ended(StreamEnd.UPSTREAM_BROKEN, 0));
    new StreamVerdict(target, health, false).ended(ended(StreamEnd.UPSTREAM_BROKEN, 0));
    assertThat(health.snapshot().state()).isEqualTo(ProviderHealth.State.OPEN);
  }

  @Test
  void aProbeThatSucceededAtItsFirstEventCountsItsEndOnlyWhenItBroke() {
    StreamVerdict probe = new StreamVerdict(target, health, true);

    probe.ended(ended(StreamEnd.COMPLETED, 0));

    assertThat(health.snapshot().successes()).isZero(); // counted at the commit, by the walk
  }

  @Test
  void aStreamNeverRelayedCountsAsAnswered() {
    new StreamVerdict(target, health, false).ended(null);

    assertThat(health.snapshot().successes()).isEqualTo(1);
  }
}
