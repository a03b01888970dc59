package dev.llmrouter.routes;

import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ModelMap;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.ResponsesWire;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a Responses API conversation's own provider is still held to: its model list when a
 * follow-up is pinned to it, and no SDK retries of its stored-response errors.
 */
class ResponseHolderRulesOverSocketsTest extends TwoResponsesProviders {

  /**
   * The holder's {@code models} still apply: an allow-list a follow-up with another model must not
   * get past, and the provider's own ID for the model the client names.
   */
  @Test
  void aContinuationKeepsToItsProvidersModelsAndTheirIds() {
    router.close();
    router =
        RouterHarness.builder()
            .openai("first", first)
            .openai(
                provider("second", second.baseUrl() + "/v1")
                    .withModels(ModelMap.of(List.of(new ModelMap.Entry("gpt-x", "gpt-x-eu")))))
            .start();
    secondMakesResp2();
    second.always(Reply.json(200, ResponsesWire.response("resp_3", "continued")));

    HttpResponse<String> other =
        router.post("/openai/v1/responses", continuing("resp_2").replace("gpt-x", "gpt-big"));
    HttpResponse<String> same = router.post("/openai/v1/responses", continuing("resp_2"));

    assertThat(other.statusCode()).isEqualTo(404);
    assertThat(Json.MAPPER.readTree(other.body()).path("error").path("code").asString())
        .isEqualTo("model_not_found");
    assertThat(other.body())
        .contains("The model 'gpt-big' is not served")
        .contains("only provider 'second' holds")
        .contains("It serves: gpt-x.");
    assertThat(same.statusCode()).isEqualTo(200);
    assertThat(same.headers().firstValue("x-router-model")).hasValue("gpt-x-eu");
    assertThat(second.awaitRequest(2, WAIT).bodyText()).contains("\"model\":\"gpt-x-eu\"");
    assertThat(second.requestCount()).isEqualTo(2);
    assertThat(first.requestCount()).isEqualTo(1);
  }

  /** As on POST /responses: an SDK's own retries of a 5xx would each ask the holder again. */
  @Test
  void aStoredResponseRoutesFailureTellsTheSdkNotToSendItAgain() {
    secondMakesResp2();
    second.always(Reply.json(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"));

    HttpResponse<String> got = router.get("/openai/v1/responses/resp_2");
    HttpResponse<String> cancel = router.post("/openai/v1/responses/resp_2/cancel", "{}");

    assertThat(got.statusCode()).isEqualTo(500);
    assertThat(got.headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(cancel.statusCode()).isEqualTo(500);
    assertThat(cancel.headers().firstValue("x-should-retry")).hasValue("false");
    second.enqueue(rateLimited().withHeader("retry-after", "2"));
    HttpResponse<String> limited = router.get("/openai/v1/responses/resp_2");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("x-should-retry")).isEmpty();
  }
}
