package dev.llmrouter.routes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ResponsesWire;
import dev.llmrouter.testkit.RouterHarness;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Two OpenAI providers of the Responses API and a router in front of them, first to second. */
abstract class TwoResponsesProviders {

  static final Duration WAIT = Duration.ofSeconds(10);

  FakeUpstream first;
  FakeUpstream second;
  RouterHarness router;

  @BeforeEach
  void start() {
    first = FakeUpstream.start();
    second = FakeUpstream.start();
    router = RouterHarness.builder().openai("first", first).openai("second", second).start();
  }

  @AfterEach
  void stop() {
    router.close();
    first.close();
    second.close();
  }

  static String continuing(String previous) {
    return "{\"model\":\"gpt-x\",\"input\":\"more\",\"previous_response_id\":\"" + previous + "\"}";
  }

  static Reply rateLimited() {
    return Reply.openAiError(429, "requests", "rate_limit_exceeded", "Rate limit reached");
  }

  /** The second provider makes resp_2 while the first is rate limited. */
  void secondMakesResp2() {
    first.enqueue(rateLimited());
    second.enqueue(Reply.json(200, ResponsesWire.response("resp_2", "made by second")));
    assertThat(
            router
                .post("/openai/v1/responses", "{\"model\":\"gpt-x\",\"input\":\"Hi\"}")
                .headers()
                .firstValue("x-router-provider"))
        .hasValue("second");
  }
}
