package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.routing.AttemptRecord.Action;
import dev.llmrouter.routing.RoutingResult.Answered;
import dev.llmrouter.routing.RoutingResult.Exhausted;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import dev.llmrouter.wire.ErrorKind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each row of the fallback table through the {@link FallbackExecutor.Attempt} interface, on a clock
 * the test owns: waits and backoffs move the clock instead of sleeping.
 */
class FallbackExecutorTest extends ScriptedWalk {

  @Test
  void aSuccessIsAnsweredAtOnce() {
    RoutingResult r = run(target("a", "h1", "m"));
    assertThat(r).isInstanceOf(Answered.class);
    assertThat(actions(r)).containsExactly(Action.SUCCESS);
  }

  @Test
  void aTransientFailureRetriesWithBackoffThenFallsBack() {
    answer("a", http(500, "{}"), http(502, "{}"));
    Target a = new Target(provider("a", "h1", 1), "m");
    RoutingResult r = run(a, target("b", "h2", "m"));
    assertThat(actions(r)).containsExactly(Action.RETRY, Action.FALLBACK, Action.SUCCESS);
    assertThat(((Answered) r).provider().name()).isEqualTo("b");
    assertThat(slept).containsExactly(Duration.ofMillis(75)); // 100 ms, equal jitter at 0.5
    assertThat(r.attempts().get(0).failureClass()).isEqualTo(FailureClass.SERVER_ERROR);
  }

  @Test
  void aRateLimitMovesOnAndCoolsOnlyThatModelOfTheProvider() {
    answer(
        "a",
        http(
            429,
            "{\"error\":{\"message\":\"Rate limit reached\",\"code\":\"rate_limit_exceeded\"}}",
            "retry-after",
            "30",
            "x-request-id",
            "req_abc"));
    RoutingResult first = run(target("a", "h1", "gpt-4o"), target("b", "h2", "gpt-4o"));
    AttemptRecord limited = first.attempts().get(0);
    assertThat(limited.failureClass()).isEqualTo(FailureClass.RATE_LIMITED);
    assertThat(limited.detail()).isEqualTo("Rate limit reached");
    assertThat(limited.upstreamRequestId()).isEqualTo("req_abc");
    assertThat(limited.retryAfterMillis()).isEqualTo(30_000);

    RoutingResult again = run(target("a", "h1", "gpt-4o"), target("b", "h2", "gpt-4o"));
    RoutingResult otherModel = run(target("a", "h1", "gpt-4o-mini"));
    assertThat(again.attempts().get(0).skipReason()).isEqualTo(SkipReason.COOLING_DOWN);
    assertThat(actions(otherModel)).containsExactly(Action.SUCCESS);
  }

  @Test
  void aRejectedKeyOrMissingCreditSkipsTheProviderForEveryModel() {
    answer("a", http(401, "{}"));
    answer(
        "c",
        http(
            429,
            "{\"error\":{\"message\":\"You exceeded your current quota\","
                + "\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"));
    run(target("a", "h1", "m1"), target("b", "h2", "m1"));
    run(target("c", "h3", "m1"), target("b", "h2", "m1"));

    RoutingResult later =
        run(target("a", "h1", "m2"), target("c", "h3", "m2"), target("b", "h2", "m2"));
    assertThat(later.attempts())
        .extracting(AttemptRecord::skipReason)
        .containsExactly(SkipReason.KEY_REJECTED, SkipReason.KEY_REJECTED, null);
    clock.addAndGet(Duration.ofSeconds(2).toNanos()); // a rate limit's default would be over
    assertThat(run(target("c", "h3", "m2"), target("b", "h2", "m2")).attempts().get(0).action())
        .isEqualTo(Action.SKIPPED);
  }

  @Test
  void aModelNotServedIsSkippedForThatModelOnly() {
    answer("a", http(404, "{\"error\":{\"code\":\"model_not_found\"}}"));
    run(target("a", "h1", "gpt-9"), target("b", "h2", "gpt-9"));

    assertThat(
            run(target("a", "h1", "gpt-9"), target("b", "h2", "gpt-9"))
                .attempts()
                .get(0)
                .skipReason())
        .isEqualTo(SkipReason.MODEL_NOT_SERVED);
    assertThat(actions(run(target("a", "h1", "gpt-4o")))).containsExactly(Action.SUCCESS);
    clock.addAndGet(Duration.ofMinutes(10).toNanos());
    assertThat(actions(run(target("a", "h1", "gpt-9")))).containsExactly(Action.SUCCESS);
  }

  private static final String TOO_LONG =
      "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\","
          + "\"code\":\"context_length_exceeded\"}}";

  @Test
  void aPromptTooLongSkipsProvidersOfTheSameModelAndReachesAnotherModel() {
    answer("a", http(400, TOO_LONG));
    RoutingResult r =
        run(target("a", "h1", "gpt-4o"), target("b", "h2", "gpt-4o"), target("c", "h3", "gpt-4.1"));
    assertThat(called).containsExactly("a:gpt-4o", "c:gpt-4.1");
    assertThat(((Answered) r).provider().name()).isEqualTo("c");
    assertThat(r.attempts().get(0).failureClass()).isEqualTo(FailureClass.CONTEXT_EXCEEDED);
    // No cooldown: the provider is healthy.
    assertThat(actions(run(target("a", "h1", "gpt-4o")))).containsExactly(Action.SUCCESS);
  }

  @Test
  void aPromptTooLongForEveryModelIsAnsweredWithTheFirst400AsItIs() {
    answer("a", http(400, TOO_LONG));
    answer("c", http(500, "{}"));
    RoutingResult r =
        run(target("a", "h1", "gpt-4o"), target("b", "h2", "gpt-4o"), target("c", "h3", "gpt-4.1"));
    Answered answered = (Answered) r;
    assertThat(answered.provider().name()).isEqualTo("a");
    assertThat(((Completed) answered.response()).status()).isEqualTo(400);
    assertThat(actions(r)).containsExactly(Action.RETURNED, Action.FALLBACK);
  }

  /** A rate limit of another provider does not turn a refusal of the prompt into a wait. */
  @Test
  void aPromptTooLongAfterAnotherProviderWasRateLimitedIsStillThe400() {
    answer("a", http(429, "{\"error\":{\"message\":\"slow down\"}}"));
    answer("b", http(400, TOO_LONG));
    RoutingResult r = run(target("a", "h1", "gpt-4o"), target("b", "h2", "gpt-4o"));
    Answered answered = (Answered) r;
    assertThat(answered.provider().name()).isEqualTo("b");
    assertThat(((Completed) answered.response()).status()).isEqualTo(400);
  }

  @Test
  void aFilteredPromptSkipsProvidersOnTheSameHost() {
    answer("a", http(400, "{\"error\":{\"code\":\"content_filter\",\"message\":\"filtered\"}}"));
    RoutingResult r =
        run(
            target("a", "azure.example", "m"),
            target("b", "azure.example", "m"),
            target("c", "h3", "m"));
    assertThat(called).containsExactly("a:m", "c:m");
    assertThat(((Answered) r).provider().name()).isEqualTo("c");
  }

  @Test
  void aCallerErrorIsReturnedWithoutTryingAnyoneElse() {
    answer("a", http(400, "{\"error\":{\"message\":\"bad temperature\"}}"));
    RoutingResult r = run(target("a", "h1", "m"), target("b", "h2", "m"));
    assertThat(actions(r)).containsExactly(Action.RETURNED);
    assertThat(called).containsExactly("a:m");
  }

  @Test
  void everyProviderCoolingLongerThanTheCapIsA429AtOnceWithTheSoonestReturn() {
    answer("a", http(429, "{}", "retry-after", "30"));
    run(target("a", "h1", "m"));

    RoutingResult r = run(target("a", "h1", "m"));
    Exhausted x = (Exhausted) r;
    assertThat(x.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(x.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(slept).isEmpty();
    assertThat(x.message()).contains("a skipped (cooling_down)");
  }

  @Test
  void aRateLimitHintPastTheCooldownCapTellsTheClientTheCap() {
    // The router tries the provider again after at most 10 min: the client is told no more.
    answer("a", http(429, "{}", "retry-after", "99999999"));

    Exhausted first = (Exhausted) run(target("a", "h1", "m"));
    Exhausted again = (Exhausted) run(target("a", "h1", "m"));

    assertThat(first.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(first.retryAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(again.retryAfter()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void aShortCooldownIsWaitedForAndTheWaitIsRecorded() {
    answer("a", http(429, "{}", "retry-after", "2"));
    run(target("a", "h1", "m"));

    RoutingResult r = run(target("a", "h1", "m"));
    assertThat(slept).containsExactly(Duration.ofSeconds(2));
    assertThat(actions(r)).containsExactly(Action.SKIPPED, Action.SUCCESS);
    assertThat(r.attempts().get(1).waitedMicros()).isEqualTo(2_000_000);
    assertThat(AttemptRecord.countTried(r.attempts())).isEqualTo(1);
  }

  @Test
  void afterAWaitedCooldownAProviderLimitedAgainGivesItsNewWaitNotWhatWasLeftOfTheOld() {
    answer("a", http(429, "{}", "retry-after", "2"), http(429, "{}", "retry-after", "4"));
    run(target("a", "h1", "m"));

    Exhausted x = (Exhausted) run(target("a", "h1", "m"));

    assertThat(slept).containsExactly(Duration.ofSeconds(2));
    assertThat(x.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(x.retryAfter()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void afterAWaitedCooldownTheOthersCountFromTheEndOfTheWait() {
    answer("a", http(429, "{}", "retry-after", "2"), http(429, "{}", "retry-after", "4"));
    answer("b", http(429, "{}", "retry-after", "3"));
    run(target("a", "h1", "m"), target("b", "h2", "m")); // a back in 2 s, b in 3 s

    Exhausted x = (Exhausted) run(target("a", "h1", "m"), target("b", "h2", "m"));

    assertThat(slept).containsExactly(Duration.ofSeconds(2)); // for a, which asks 4 s more
    assertThat(x.kind()).isEqualTo(ErrorKind.RATE_LIMITED);
    assertThat(x.retryAfter()).isEqualTo(Duration.ofSeconds(1)); // b, 1 s after the wait
  }

  @Test
  void aCapOfZeroNeverWaits() {
    answer("a", http(429, "{}", "retry-after", "1"));
    run(target("a", "h1", "m"));
    assertThat(run(Duration.ZERO, target("a", "h1", "m"))).isInstanceOf(Exhausted.class);
    assertThat(slept).isEmpty();
  }

  @Test
  void whenEveryoneFailedTheMessageNamesEachWithStatusAndReason() {
    answer("a", http(429, "{\"error\":{\"message\":\"Rate limit reached\"}}", "retry-after", "20"));
    answer("b", http(400, "{\"error\":{\"message\":\"model 'gpt-4o' does not exist\"}}"));
    answer("c", new Failed(FailureType.CONNECT, "connection refused"));
    Exhausted x =
        (Exhausted)
            run(
                target("a", "h1", "gpt-4o"),
                target("b", "h2", "gpt-4o"),
                target("c", "h3", "gpt-4o"));
    assertThat(x.kind()).isEqualTo(ErrorKind.UPSTREAM_FAILED);
    assertThat(x.message())
        .isEqualTo(
            "All providers failed: a 429 rate limited: \"Rate limit reached\" (Retry-After 20 s);"
                + " b 400 model not served: \"model 'gpt-4o' does not exist\";"
                + " c connection failed (connection refused)");
  }

  @Test
  void outOfCreditBesideARateLimitIsNoAllRateLimitedWalk() {
    // Issue 3: 429 only when every failure was a rate limit; out of credit is its own class.
    answer(
        "a",
        http(
            429,
            "{\"error\":{\"message\":\"You exceeded your current quota\","
                + "\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"));
    answer("b", http(429, "{\"error\":{\"message\":\"Rate limit reached\"}}", "retry-after", "10"));
    Exhausted x = (Exhausted) run(target("a", "h1", "m"), target("b", "h2", "m"));
    assertThat(x.kind()).isEqualTo(ErrorKind.UPSTREAM_FAILED);
  }

  @Test
  void theMessageQuotesTheRetryAfterTheClientIsGivenNotAnAbsurdAsk() {
    answer("a", http(429, "{}", "retry-after", "99999999999999999999"));
    Exhausted x = (Exhausted) run(target("a", "h1", "m"));
    assertThat(x.retryAfter()).isEqualTo(Duration.ofMinutes(10));
    assertThat(x.message()).endsWith("(Retry-After 600 s)");
  }

  private static final Failed TIMED_OUT =
      new Failed(FailureType.TIMEOUT, "no complete response within 10000 ms");

  @Test
  void aTimeoutAfterTheRequestWasSentMovesOnWithoutSendingItToTheSameProviderAgain() {
    answer("a", TIMED_OUT);
    Target a = new Target(provider("a", "h1", 2), "m");
    RoutingResult r = run(a, target("b", "h2", "m"));
    assertThat(called).containsExactly("a:m", "b:m");
    assertThat(actions(r)).containsExactly(Action.FALLBACK, Action.SUCCESS);
    assertThat(r.attempts().get(0).failureClass()).isEqualTo(FailureClass.TIMEOUT);
    assertThat(slept).isEmpty();
  }

  @Test
  void aProviderWithRetryOnTimeoutIsSentTheRequestAgainUpToItsRetries() {
    answer("a", TIMED_OUT, TIMED_OUT);
    Target a = new Target(provider("a", "h1", 1).withRetryOnTimeout(true), "m");
    RoutingResult r = run(a, target("b", "h2", "m"));
    assertThat(called).containsExactly("a:m", "a:m", "b:m");
    assertThat(actions(r)).containsExactly(Action.RETRY, Action.FALLBACK, Action.SUCCESS);
  }

  @Test
  void aTimeoutBeforeTheWholeRequestWasSentIsAConnectFailureAndRetries() {
    answer(
        "a",
        new Failed(
            FailureType.CONNECT,
            "no complete response within 10000 ms, before the whole request was sent"));
    Target a = new Target(provider("a", "h1", 1), "m");
    RoutingResult r = run(a);
    assertThat(called).containsExactly("a:m", "a:m");
    assertThat(actions(r)).containsExactly(Action.RETRY, Action.SUCCESS);
  }

  @Test
  void aTimeoutEndingTheLastAttemptIsA504ThatNamesIt() {
    answer("a", TIMED_OUT);
    answer("b", TIMED_OUT);
    Exhausted x =
        (Exhausted)
            run(new Target(provider("a", "h1", 1), "m"), new Target(provider("b", "h2", 1), "m"));
    assertThat(called).containsExactly("a:m", "b:m");
    assertThat(x.kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
    assertThat(x.message())
        .startsWith("The last provider timed out: a timed out")
        .contains("b timed out");
  }

  @Test
  void theDeadlinePassingEndsTheWalkWithATimeout() {
    answer("a", new Failed(FailureType.TIMEOUT, "no complete response within 10000 ms"));
    long deadline = clock.get() + Duration.ofSeconds(1).toNanos();
    RoutingResult r =
        executor.execute(
            List.of(target("a", "h1", "m"), target("b", "h2", "m")),
            deadline,
            Duration.ofSeconds(5),
            (t, timeout) -> {
              clock.addAndGet(timeout.toNanos());
              return script.get(t.provider().name()).poll();
            });
    assertThat(((Exhausted) r).kind()).isEqualTo(ErrorKind.UPSTREAM_TIMEOUT);
  }
}
