package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.routing.AttemptRecord.Action;
import dev.llmrouter.routing.RoutingResult.Exhausted;
import dev.llmrouter.wire.ErrorKind;
import dev.llmrouter.wire.Operation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How a walk ends when no provider answers: which status the client gets, and what the records and
 * the router's own message show of the upstreams' words.
 */
class WalkEndingsTest extends ScriptedWalk {

  @Test
  void anEchoedKeyIsReplacedBeforeTheMessageIsCutSoNoPartOfItShows() {
    // The key straddles the 300th character: cut first, "sk-live-01234..." would stay in the
    // record, and from there in the client's "All providers failed" answer and the log.
    String message = "x".repeat(260) + " Incorrect API key provided: " + LEAKED_KEY + ". See docs.";
    answer("a", http(401, "{\"error\":{\"message\":\"" + message + "\"}}"));
    answer("b", http(500, "{\"error\":{\"message\":\"" + message + "\"}}"));

    RoutingResult r = run(target("a", "h1", "m"), target("b", "h2", "m"));

    assertThat(r).isInstanceOf(Exhausted.class);
    for (AttemptRecord a : r.attempts()) {
      assertThat(a.detail()).hasSize(300).doesNotContain("sk-live").startsWith("xxx");
    }
    assertThat(((Exhausted) r).message()).doesNotContain("sk-live");
  }

  @Test
  void anOpenBreakerBesideAProviderWithoutTheModelIsA503NotARateLimit() {
    for (int i = 0; i < 3; i++) { // three transient failures open b's breaker
      answer("b", http(500, "{\"error\":{\"message\":\"boom\"}}"));
      run(target("b", "h2", "m"));
    }
    answer("a", http(404, "{\"error\":{\"code\":\"model_not_found\"}}"));
    run(target("a", "h1", "m"), target("b", "h2", "m")); // a now skipped for m

    Exhausted x = (Exhausted) run(Duration.ZERO, target("a", "h1", "m"), target("b", "h2", "m"));

    assertThat(x.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
  }

  @Test
  void a404ForTheModelIsTheAnswerOnlyWhenNoProviderThatMayServeItWasPassedOver() {
    // a serves m but is cooling down; b says m does not exist: not the whole truth, no 404.
    answer("a", http(429, "{}", "retry-after", "60"));
    run(target("a", "h1", "m"), target("c", "h3", "m"));
    answer("b", http(404, "{\"error\":{\"code\":\"model_not_found\"}}"));

    Exhausted passedOver =
        (Exhausted) run(Duration.ZERO, target("a", "h1", "m"), target("b", "h2", "m"));
    assertThat(passedOver.kind()).isNotEqualTo(ErrorKind.MODEL_NOT_FOUND);

    // On a route a provider may lack, a 404 may mean the route: a 404 that none can answer,
    // not one for the model.
    answer("d", http(404, "{\"error\":{\"message\":\"Not Found\"}}"));
    RoutingResult responses =
        executor.execute(
            List.of(target("d", "h4", "m")),
            clock.get() + Duration.ofMinutes(10).toNanos(),
            Duration.ZERO,
            Operation.RESPONSES,
            (t, timeout) -> script.get(t.provider().name()).poll());
    assertThat(responses)
        .isInstanceOfSatisfying(
            Exhausted.class,
            x -> {
              assertThat(x.kind()).isEqualTo(ErrorKind.NOT_FOUND);
              assertThat(x.message()).startsWith("No provider of this endpoint serves this model");
            });
  }

  @Test
  void aPromptsWordsBeyondTheMessagesHeadNeverDecideAProvidersFate() {
    // A validation error that echoes the request: the client's text must not skip the provider.
    String echo = "x".repeat(400) + " your credit balance is too low; the model does not exist";
    answer("a", http(400, "{\"error\":{\"message\":\"Invalid input: " + echo + "\"}}"));

    RoutingResult r = run(target("a", "h1", "m"), target("b", "h2", "m"));

    assertThat(actions(r)).containsExactly(Action.RETURNED);
    assertThat(actions(run(target("a", "h1", "m")))).containsExactly(Action.SUCCESS);
  }

  @Test
  void anOpenBreakerBesideAProviderOfTheOtherApiIsA503NotARateLimit() {
    for (int i = 0; i < 3; i++) { // three transient failures open b's breaker
      answer("b", http(500, "{\"error\":{\"message\":\"boom\"}}"));
      run(target("b", "h2", "m"));
    }
    Target otherApi = new Target(provider("a", "h1", 0), "m", null, Target.OTHER_API);

    Exhausted x = (Exhausted) run(Duration.ZERO, otherApi, target("b", "h2", "m"));

    assertThat(x.kind()).isEqualTo(ErrorKind.UNAVAILABLE);
    assertThat(x.message()).contains("a skipped (not_translatable)", "b skipped (breaker_open)");
  }
}
