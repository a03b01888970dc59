package dev.llmrouter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AttemptDeadlineTest {

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void beforeItsDeadlineItOnlyKeepsWatching() {
    AttemptDeadline d = new AttemptDeadline(1_000);

    assertThat(d.tick(999)).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThat(d.end()).isFalse();
  }

  @Test
  void atItsDeadlineItInterruptsTheWaiterOnceAndEndSaysSoAndClearsIt() {
    AttemptDeadline d = new AttemptDeadline(1_000);

    assertThat(d.tick(1_000)).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
    assertThat(d.end()).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void onlyTheFirstEndClearsTheDeadlinesInterrupt() {
    AttemptDeadline d = new AttemptDeadline(1_000);
    d.tick(1_000);
    assertThat(d.end()).isTrue();
    Thread.currentThread().interrupt(); // the client went away after the deadline

    assertThat(d.end()).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void anEndedWatchNeverInterrupts() {
    AttemptDeadline d = new AttemptDeadline(1_000);

    assertThat(d.end()).isFalse();
    assertThat(d.tick(5_000)).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void anInterruptFromElsewhereIsLeftAlone() {
    AttemptDeadline d = new AttemptDeadline(1_000);
    Thread.currentThread().interrupt(); // the client went away (ClientWatch)

    assertThat(d.end()).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }
}
