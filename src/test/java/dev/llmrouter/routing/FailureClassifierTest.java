package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.routing.FailureClassifier.Verdict;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per row of the fallback table (README "Fallback"). */
class FailureClassifierTest {

  private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (a, b) -> true);

  private static Completed response(int status, String body) {
    return new Completed(status, NO_HEADERS, body.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(value = FailureType.class, names = "OVER_BUDGET", mode = EnumSource.Mode.EXCLUDE)
  void transportFailuresRetryTheSameProviderThenFallBack(FailureType type) {
    assertThat(FailureClassifier.classify(new Failed(type, "x"))).isEqualTo(Verdict.RETRY);
  }

  @Test
  void aBodyOverTheRoutersMemoryBudgetMovesOnWithoutBlamingTheProvider() {
    assertThat(FailureClassifier.classify(new Failed(FailureType.OVER_BUDGET, "x")))
        .isEqualTo(Verdict.NEXT);
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 409, 500, 502, 503, 504, 529})
  void transientStatusesRetry(int status) {
    assertThat(FailureClassifier.classify(response(status, "{}"))).isEqualTo(Verdict.RETRY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"this is not json", "{\"id\":\"chatcmpl-1\",\"choices\":[", "", "{} {}"})
  void okWithInvalidOrTruncatedJsonRetries(String body) {
    assertThat(FailureClassifier.classify(response(200, body))).isEqualTo(Verdict.RETRY);
  }

  @Test
  void okWithJsonSucceeds() {
    assertThat(FailureClassifier.classify(response(200, "{\"id\":\"x\"}")))
        .isEqualTo(Verdict.SUCCESS);
  }

  @Test
  void rateLimitMovesOnAtOnce() {
    assertThat(FailureClassifier.classify(response(429, "{}"))).isEqualTo(Verdict.RATE_LIMITED);
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 402, 403})
  void rejectedKeysMoveToTheNextProviderWithoutRetryAndCoolTheirProviderDown(int status) {
    assertThat(FailureClassifier.classify(response(status, "{}"))).isEqualTo(Verdict.KEY_REJECTED);
  }

  @Test
  void aModelMissingForThisKeyMovesToTheNextProviderWithoutRetry() {
    assertThat(FailureClassifier.classify(response(404, "{}"))).isEqualTo(Verdict.NEXT);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 413, 422, 405, 415})
  void callerErrorsAreReturnedAsTheyAre(int status) {
    assertThat(FailureClassifier.classify(response(status, "{}"))).isEqualTo(Verdict.CALLER_ERROR);
  }

  @Test
  void redirectsAreNotFollowedButMoveOn() {
    assertThat(FailureClassifier.classify(response(302, ""))).isEqualTo(Verdict.NEXT);
  }
}
