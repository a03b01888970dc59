package dev.llmrouter.translation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.Family;
import dev.llmrouter.config.ModelMap;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Refusals a provider of one family gives to what another made or asked: Claude's of a history
 * without thinking (the turn came from an OpenAI-API provider), a smaller model's of Claude Code's
 * output limit. Which provider is tried next, and what the client gets when none is left.
 */
class CrossFamilyRefusalsOverSocketsTest extends CrossFamilyFixture {

  @Test
  void claudesRefusalOfAHistoryWithoutThinkingGoesToTheProviderThatMadeThatTurn() {
    // Turn one fell back to an OpenAI-API provider, which sends no thinking blocks; with thinking
    // on, Claude refuses the next turn's history (400). That provider takes it as it is.
    first.enqueue(
        Reply.anthropicError(
            400,
            "invalid_request_error",
            "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found"
                + " `text`. When `thinking` is enabled, a final `assistant` message must start"
                + " with a thinking block (preceeding the lastmost set of `tool_use` and"
                + " `tool_result` blocks)."));
    first.always(Reply.anthropicOk("claude again"));
    second.always(Reply.openAiOk("from deepseek"));
    router =
        RouterHarness.builder()
            .anthropic(speaking(Family.ANTHROPIC, "claude", first))
            // Another host than Claude's (the fakes share 127.0.0.1): Claude's whole host is
            // passed over for this request.
            .anthropic(
                RouterHarness.provider("deepseek", "http://localhost:" + second.port() + "/v1")
                    .withApi(Family.OPENAI))
            .start();

    HttpResponse<String> r = router.post(MESSAGES, CLAUDE);
    HttpResponse<String> next = router.post(MESSAGES, CLAUDE);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("deepseek");
    assertThat(r.body()).contains("from deepseek");
    // No mark on Claude's health: the next request goes to it first.
    assertThat(next.headers().firstValue("x-router-provider")).hasValue("claude");
    JsonNode attempt = json(router.closeAndReadLog().get(0)).path("attempts").get(0);
    assertThat(attempt.path("provider").asString()).isEqualTo("claude");
    assertThat(attempt.path("class").asString()).isEqualTo("response_not_found");
    assertThat(attempt.path("action").asString()).isEqualTo("fallback");
  }

  @Test
  void anOverloadThenASmallerModelsOutputLimitIsThatLimitsRefusalInTheClientsShape() {
    // Claude overloaded, DeepSeek refusing Claude Code's max_tokens: no provider of another model
    // is left, so the 400 goes to the client as it is (issue 13), in the Anthropic shape. The
    // provider's max_tokens setting is what keeps such a request from being refused.
    first.always(Reply.anthropicError(529, "overloaded_error", "Overloaded"));
    second.always(
        Reply.openAiError(
            400,
            "invalid_request_error",
            "invalid_request_error",
            "Invalid max_tokens value, the valid range of max_tokens is [1, 8192]"));
    router =
        RouterHarness.builder()
            .anthropic(speaking(Family.ANTHROPIC, "claude", first))
            .anthropic(
                speaking(Family.OPENAI, "deepseek", second)
                    .withModels(
                        ModelMap.of(List.of(new ModelMap.Entry("claude-*", "deepseek-chat")))))
            .start();

    HttpResponse<String> r = router.post(MESSAGES, CLAUDE);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).path("error").path("type").asString())
        .isEqualTo("invalid_request_error");
    assertThat(r.body()).contains("valid range of max_tokens");
  }

  @Test
  void claudesRefusalOfAHistoryWithoutThinkingPassesOverClaudeOnTheSameHostAndIsNoWait() {
    // Another Claude key on the same host would refuse the same history: passed over, and with
    // no other provider left the 400 is the answer (a wait would bring the same refusal).
    first.always(
        Reply.anthropicError(
            400,
            "invalid_request_error",
            "messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found"
                + " `text`. When `thinking` is enabled, a final `assistant` message must start"
                + " with a thinking block."));
    router =
        RouterHarness.builder()
            .anthropic(speaking(Family.ANTHROPIC, "claude", first))
            .anthropic(speaking(Family.ANTHROPIC, "claude-second-key", first))
            .start();

    HttpResponse<String> r = router.post(MESSAGES, CLAUDE);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("must start with a thinking block");
    assertThat(first.requestCount()).isEqualTo(1);
  }
}
