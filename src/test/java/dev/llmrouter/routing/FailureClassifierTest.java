package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.routing.FailureClassifier.Classification;
import dev.llmrouter.routing.FailureClassifier.Verdict;
import dev.llmrouter.upstream.UpstreamOutcome.Completed;
import dev.llmrouter.upstream.UpstreamOutcome.Failed;
import dev.llmrouter.upstream.UpstreamOutcome.FailureType;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One test per row of the fallback table (README "Fallback"), each error class with the body its
 * provider really sends (PROTOCOLS.md 8.2).
 */
class FailureClassifierTest {

  private static final HttpHeaders NO_HEADERS = HttpHeaders.of(Map.of(), (a, b) -> true);

  private static Completed response(int status, String body) {
    return new Completed(status, NO_HEADERS, body.getBytes(StandardCharsets.UTF_8));
  }

  private static Classification classify(int status, String body) {
    return FailureClassifier.classify(response(status, body));
  }

  private static void assertClass(Classification c, Verdict verdict, FailureClass cls) {
    assertThat(c.verdict()).isEqualTo(verdict);
    assertThat(c.failureClass()).isEqualTo(cls);
  }

  @ParameterizedTest
  @CsvSource({"CONNECT, CONNECT", "BROKEN, BROKEN"})
  void transportFailuresRetryTheSameProviderThenFallBack(FailureType type, FailureClass cls) {
    Classification c = FailureClassifier.classify(new Failed(type, "connection refused"));
    assertClass(c, Verdict.RETRY, cls);
    assertThat(c.reason()).isEqualTo("connection refused");
  }

  @Test
  void aTimeoutAfterTheRequestWasSentIsItsOwnVerdictSinceTheProviderMayStillBill() {
    Classification c =
        FailureClassifier.classify(
            new Failed(FailureType.TIMEOUT, "no complete response within 60000 ms"));
    assertClass(c, Verdict.TIMED_OUT, FailureClass.TIMEOUT);
  }

  @Test
  void aBodyOverTheRoutersMemoryBudgetMovesOnWithoutBlamingTheProvider() {
    assertThat(FailureClassifier.verdict(new Failed(FailureType.OVER_BUDGET, "x")))
        .isEqualTo(Verdict.NEXT);
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 409, 500, 502, 504, 520})
  void transientStatusesRetry(int status) {
    assertThat(classify(status, "{}").verdict()).isEqualTo(Verdict.RETRY);
  }

  @Test
  void anthropicOverloadedAndAny503AreOverloadedAndRetry() {
    assertClass(
        classify(
            529,
            "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
        Verdict.RETRY,
        FailureClass.OVERLOADED);
    Classification deepSeek = classify(503, "Server Overloaded");
    assertClass(deepSeek, Verdict.RETRY, FailureClass.OVERLOADED);
    assertThat(deepSeek.reason()).isEqualTo("Server Overloaded");
  }

  @ParameterizedTest
  @ValueSource(strings = {"this is not json", "{\"id\":\"chatcmpl-1\",\"choices\":[", "", "{} {}"})
  void okWithInvalidOrTruncatedJsonRetries(String body) {
    assertClass(classify(200, body), Verdict.RETRY, FailureClass.INVALID_BODY);
  }

  @ParameterizedTest
  @ValueSource(strings = {"100", "[]", "null", "\"text\"", " [ {\"choices\": []} ] "})
  void okWithWholeJsonThatIsNoObjectRetries(String body) {
    Classification c = classify(200, body);
    assertClass(c, Verdict.RETRY, FailureClass.INVALID_BODY);
    assertThat(c.reason()).isEqualTo("JSON body that is no object");
  }

  @Test
  void okWithAnAnswerSucceedsEvenWhenItsTextSaysError() {
    assertThat(
            classify(
                    200,
                    "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"an \\\"error\\\"\"}}]}")
                .verdict())
        .isEqualTo(Verdict.SUCCESS);
    assertThat(classify(200, "{\"id\":\"x\",\"content\":[],\"error\":null}").verdict())
        .isEqualTo(Verdict.SUCCESS);
    // Every Responses API answer carries "error": null; embeddings answer a list.
    assertThat(
            classify(
                    200, "{\"id\":\"resp_1\",\"object\":\"response\",\"error\":null,\"output\":[]}")
                .verdict())
        .isEqualTo(Verdict.SUCCESS);
    assertThat(classify(200, "{\"object\":\"list\",\"data\":[{\"embedding\":\"AAAA\"}]}").verdict())
        .isEqualTo(Verdict.SUCCESS);
    // One pass also proves the body whole: a truncated object with an error key is invalid.
    assertClass(
        classify(200, "{\"error\":{\"message\":\"x\"}"), Verdict.RETRY, FailureClass.INVALID_BODY);
  }

  @Test
  void okWhoseBodyIsAnErrorObjectIsAServerErrorNeverASuccess() {
    // OpenRouter, once generation has started, and some OpenAI-compatible servers: 200 + error.
    Classification c =
        classify(200, "{\"error\":{\"message\":\"Provider returned error\",\"code\":502}}");
    assertClass(c, Verdict.RETRY, FailureClass.SERVER_ERROR);
    assertThat(c.reason()).isEqualTo("Provider returned error");
  }

  @Test
  void aRateLimitMovesOnAtOnceWithItsWaitReadOnce() {
    HttpHeaders headers = HttpHeaders.of(Map.of("retry-after", List.of("20")), (a, b) -> true);
    Classification c =
        FailureClassifier.classify(
            new Completed(
                429,
                headers,
                ("{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\","
                        + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}")
                    .getBytes(StandardCharsets.UTF_8)));
    assertClass(c, Verdict.RATE_LIMITED, FailureClass.RATE_LIMITED);
    assertThat(c.retryAfter()).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.reason()).isEqualTo("Rate limit reached for gpt-4o");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // OpenAI, today and older bodies (code null): match type or code.
        "{\"error\":{\"message\":\"You exceeded your current quota, please check your plan and"
            + " billing details.\",\"type\":\"insufficient_quota\",\"param\":null,"
            + "\"code\":\"insufficient_quota\"}}",
        "{\"error\":{\"message\":\"You exceeded your current quota.\","
            + "\"type\":\"insufficient_quota\",\"param\":null,\"code\":null}}"
      })
  void openAiOutOfQuotaIsOutOfCreditNotARateLimit(String body) {
    assertClass(classify(429, body), Verdict.KEY_REJECTED, FailureClass.OUT_OF_CREDIT);
  }

  @Test
  void anthropicLowCreditAnd402AreOutOfCredit() {
    assertClass(
        classify(
            400,
            "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Your"
                + " credit balance is too low to access the Anthropic API. Please go to Plans &"
                + " Billing to upgrade or purchase credits.\"},\"request_id\":\"req_1\"}"),
        Verdict.KEY_REJECTED,
        FailureClass.OUT_OF_CREDIT);
    assertClass(
        classify(402, "Insufficient Balance"), Verdict.KEY_REJECTED, FailureClass.OUT_OF_CREDIT);
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 403})
  void rejectedKeysMoveOnAndCoolTheirProviderDown(int status) {
    assertClass(classify(status, "{}"), Verdict.KEY_REJECTED, FailureClass.KEY_REJECTED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens. However,"
            + " your messages resulted in 8227 tokens. Please reduce the length of the"
            + " messages.\",\"type\":\"invalid_request_error\",\"param\":\"messages\","
            + "\"code\":\"context_length_exceeded\"}}",
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":\"prompt is"
            + " too long: 208310 tokens > 200000 maximum\"},\"request_id\":\"req_1\"}",
        "{\"error\":{\"message\":\"This model's maximum context length is 131072 tokens. However,"
            + " you requested 131134 tokens\",\"type\":\"invalid_request_error\","
            + "\"code\":\"invalid_request_error\"}}",
        "{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens."
            + " However, you requested 5000 tokens\",\"type\":\"BadRequestError\",\"param\":null,"
            + "\"code\":400}"
      })
  void aPromptTooLongForTheModelGoesToAnotherModel(String body) {
    assertClass(classify(400, body), Verdict.NEXT_OTHER_MODEL, FailureClass.CONTEXT_EXCEEDED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"error\":{\"message\":\"The response was filtered due to the prompt triggering Azure"
            + " OpenAI's content management policy.\",\"type\":null,\"param\":\"prompt\","
            + "\"code\":\"content_filter\",\"status\":400}}",
        "{\"error\":{\"code\":\"content_policy_violation\",\"message\":\"Your request was rejected"
            + " as a result of our safety system.\",\"param\":null,"
            + "\"type\":\"invalid_request_error\"}}"
      })
  void aFilteredPromptGoesToAnotherHost(String body) {
    assertClass(classify(400, body), Verdict.NEXT_OTHER_HOST, FailureClass.CONTENT_FILTERED);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "404|{\"error\":{\"message\":\"The model `gpt-9` does not exist or you do not have access"
            + " to it.\",\"type\":\"invalid_request_error\",\"param\":null,"
            + "\"code\":\"model_not_found\"}}",
        "400|{\"error\":{\"message\":\"claude-sonnet-4-6 is not a valid model ID\",\"code\":400}}",
        "404|{\"error\":{\"message\":\"model \\\"x\\\" not found, try pulling it first\","
            + "\"type\":\"api_error\",\"param\":null,\"code\":null}}",
        "400|{\"error\":\"model 'x' not found\"}",
        "404|<html><head><title>404 Not Found</title></head><body>nginx</body></html>"
      })
  void aModelTheProviderDoesNotServeMovesOn(int status, String body) {
    assertClass(classify(status, body), Verdict.MODEL_NOT_SERVED, FailureClass.MODEL_NOT_SERVED);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 413, 422, 405, 415})
  void callerErrorsAreReturnedAsTheyAre(int status) {
    Classification c =
        classify(
            status,
            "{\"error\":{\"message\":\"Invalid value for 'temperature'\",\"type\":"
                + "\"invalid_request_error\"}}");
    assertClass(c, Verdict.CALLER_ERROR, null);
    assertThat(c.reason()).isEqualTo("Invalid value for 'temperature'");
  }

  @Test
  void redirectsAreNotFollowedButMoveOn() {
    assertThat(classify(302, "").verdict()).isEqualTo(Verdict.NEXT);
  }

  @Test
  void theReasonIsTheMessageOfEitherShapeOrTheTitleOfAnHtmlPageKeptUpTo16KiB() {
    assertThat(classify(502, "<html><title>502 Bad Gateway</title></html>").reason())
        .isEqualTo("502 Bad Gateway");
    assertThat(classify(500, "{\"detail\":\"Internal   error\\n in worker\"}").reason())
        .isEqualTo("Internal error in worker");
    // Cut to 300 only once redacted, for the record (FallbackExecutorTest): this is what is read.
    assertThat(classify(500, "x".repeat(1000)).reason()).hasSize(1000);
    assertThat(classify(500, "word ".repeat(8_000)).reason()).hasSize(16 * 1024);
    // A cut inside a run of key characters backs off (no part of a key stays), at most 2 KiB.
    assertThat(classify(500, "x".repeat(40_000)).reason()).hasSize(16 * 1024 - 2048);
  }

  @Test
  void aPreviousResponseTheProviderDoesNotHoldMovesOnWithoutAVerdictOnItsHealth() {
    String openAi =
        "{\"error\":{\"message\":\"Previous response with id 'resp_1' not found.\","
            + "\"type\":\"invalid_request_error\",\"param\":\"previous_response_id\","
            + "\"code\":\"previous_response_not_found\"}}";
    assertClass(classify(400, openAi), Verdict.NOT_HELD, FailureClass.RESPONSE_NOT_FOUND);
    assertClass(
        classify(404, "{\"detail\":\"previous_response_id resp_1 not found\"}"),
        Verdict.NOT_HELD,
        FailureClass.RESPONSE_NOT_FOUND);
    // Any other 400 that mentions the field is still the caller's.
    assertClass(
        classify(400, "{\"error\":{\"message\":\"previous_response_id must be a string\"}}"),
        Verdict.CALLER_ERROR,
        null);
  }

  @Test
  void reasoningEncryptedForAnotherOrganisationMovesOnAsStateNotHeld() {
    String openAi =
        "{\"error\":{\"message\":\"The encrypted content gAAA...DQ== could not be verified.\","
            + "\"type\":\"invalid_request_error\",\"param\":null,"
            + "\"code\":\"invalid_encrypted_content\"}}";
    assertClass(classify(400, openAi), Verdict.NOT_HELD, FailureClass.RESPONSE_NOT_FOUND);
  }

  /**
   * Claude with thinking on, given a history whose last assistant turn another provider (an
   * OpenAI-API one, reached by fallback) made without a thinking block: that provider takes it.
   */
  @Test
  void anthropicsThinkingBlockMissingFromTheHistoryMovesOnPastTheSameHost() {
    String anthropic =
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":"
            + "\"messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found"
            + " `text`. When `thinking` is enabled, a final `assistant` message must start with a"
            + " thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks)."
            + " We recommend you include thinking blocks from previous turns.\"},"
            + "\"request_id\":\"req_011\"}";
    assertClass(classify(400, anthropic), Verdict.NEXT_OTHER_HOST, FailureClass.RESPONSE_NOT_FOUND);
  }

  /** Claude Code asks for 32000 output tokens: a model that gives fewer is no caller's error. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"message\":"
            + "\"max_tokens: 64001 > 64000, which is the maximum allowed number of output tokens"
            + " for claude-sonnet-4-5-20250929\"}}",
        "{\"error\":{\"message\":\"max_tokens is too large: 32000. This model supports at most"
            + " 16384 completion tokens, whereas you provided 32000.\",\"type\":"
            + "\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":\"invalid_value\"}}",
        "{\"error\":{\"message\":\"Invalid max_tokens value, the valid range of max_tokens is"
            + " [1, 8192]\",\"type\":\"invalid_request_error\",\"param\":null,"
            + "\"code\":\"invalid_request_error\"}}"
      })
  void anOutputLimitAboveTheModelsGoesToAnotherModel(String body) {
    assertClass(classify(400, body), Verdict.NEXT_OTHER_MODEL, FailureClass.CONTEXT_EXCEEDED);
  }

  @Test
  void openRoutersNumericCodeInATwoHundredIsTheStatusItStandsFor() {
    // OpenRouter: error.code is the HTTP status it would have answered (PROTOCOLS.md 8.2).
    assertClass(
        classify(200, "{\"error\":{\"code\":429,\"message\":\"Rate limit exceeded\"}}"),
        Verdict.RATE_LIMITED,
        FailureClass.RATE_LIMITED);
    assertClass(
        classify(200, "{\"error\":{\"code\":402,\"message\":\"Insufficient credits\"}}"),
        Verdict.KEY_REJECTED,
        FailureClass.OUT_OF_CREDIT);
    assertClass(
        classify(200, "{\"error\":{\"code\":\"weird\",\"message\":\"x\"}}"),
        Verdict.RETRY,
        FailureClass.SERVER_ERROR);
  }

  @Test
  void openAisRequestTooLargeMovesOnWithoutCoolingTheModel() {
    // No wait helps a request over the key's tokens per minute; smaller ones still pass.
    assertClass(
        classify(
            429,
            "{\"error\":{\"message\":\"Request too large for gpt-4o in organization org-x on"
                + " tokens per min (TPM): Limit 30000, Requested 31538. The input or output tokens"
                + " must be reduced in order to run successfully.\",\"type\":\"tokens\","
                + "\"code\":\"rate_limit_exceeded\"}}"),
        Verdict.NEXT,
        FailureClass.RATE_LIMITED);
  }

  @Test
  void aTwoHundredInUtf16IsNoAnswerTheRouterCanRelay() {
    byte[] utf16 =
        "{\"choices\":[{\"message\":{\"content\":\"hi\"}}]}".getBytes(StandardCharsets.UTF_16LE);
    assertClass(
        FailureClassifier.classify(new Completed(200, NO_HEADERS, utf16)),
        Verdict.RETRY,
        FailureClass.INVALID_BODY);
    byte[] bom = "\uFEFF{\"choices\":[]}".getBytes(StandardCharsets.UTF_16BE); // FE FF ...
    assertClass(
        FailureClassifier.classify(new Completed(200, NO_HEADERS, bom)),
        Verdict.RETRY,
        FailureClass.INVALID_BODY);
  }
}
