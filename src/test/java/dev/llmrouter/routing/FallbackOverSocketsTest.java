package dev.llmrouter.routing;

import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.StalledUpstream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every row of the fallback table, end to end: real router, two fake providers. */
class FallbackOverSocketsTest {

  private static final Duration SHORT = Duration.ofMillis(400);

  private FakeUpstream first;
  private FakeUpstream second;
  private RouterHarness router;

  @BeforeEach
  void fakes() {
    first = FakeUpstream.start();
    second = FakeUpstream.start().always(Reply.openAiOk("from second"));
  }

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    first.close();
    second.close();
  }

  /** first: max_retries 1 (two attempts), then second. */
  private RouterHarness twoProviders() {
    router =
        RouterHarness.builder()
            .openai(provider("first", first.baseUrl() + "/v1", SHORT, 1))
            .openai(provider("second", second.baseUrl() + "/v1", SHORT, 1))
            .start();
    return router;
  }

  private HttpResponse<String> chat() {
    return router.post("/openai/chat/completions", OPENAI_CHAT);
  }

  private static void assertAnsweredBySecond(HttpResponse<String> r, int attempts) {
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("from second");
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("second");
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue(Integer.toString(attempts));
  }

  @Test
  void connectionRefusedRetriesThenFallsBack() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    router =
        RouterHarness.builder()
            .openai(provider("first", "http://127.0.0.1:" + closedPort + "/v1", SHORT, 1))
            .openai(provider("second", second.baseUrl() + "/v1", SHORT, 1))
            .start();

    assertAnsweredBySecond(chat(), 3);
  }

  @Test
  void aTimeoutAfterTheRequestWasSentIsNotSentToTheSameProviderAgain() {
    // The provider has the whole request and may still be generating (and billing) for it.
    twoProviders();
    first.always(Reply.hang());

    HttpResponse<String> r = chat();

    assertAnsweredBySecond(r, 2);
    assertThat(first.requestCount()).isEqualTo(1);
    assertThat(router.closeAndReadLog().get(0))
        .contains("\"class\":\"timeout\"")
        .contains("\"action\":\"fallback\"");
  }

  @Test
  void aProviderWithRetryOnTimeoutGetsTheRequestAgain() {
    router =
        RouterHarness.builder()
            .openai(provider("first", first.baseUrl() + "/v1", SHORT, 1).withRetryOnTimeout(true))
            .openai(provider("second", second.baseUrl() + "/v1", SHORT, 1))
            .start();
    first.always(Reply.hang());

    assertAnsweredBySecond(chat(), 3);
    assertThat(first.requestCount()).isEqualTo(2);
  }

  @Test
  void slowBodyCountsAgainstTheAttemptTimeout() {
    twoProviders();
    // Headers at once, body never completes: the JDK's own timeout would not see this.
    first.always(Reply.sse(java.util.List.of("data: {}")).hangAfter(1));

    assertAnsweredBySecond(chat(), 2);
    assertThat(first.requestCount()).isEqualTo(1);
  }

  @Test
  void aTimeoutBeforeTheWholeRequestWasSentRetriesLikeAConnectFailure() {
    // The provider never reads: a body larger than the sockets' buffers never leaves whole, so
    // the provider cannot have started on it and another try costs nothing.
    try (StalledUpstream stalled = StalledUpstream.start()) {
      router =
          RouterHarness.builder()
              .openai(provider("first", stalled.baseUrl() + "/v1", SHORT, 1))
              .openai(provider("second", second.baseUrl() + "/v1", SHORT, 1))
              .start();
      String big =
          "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
              + "x".repeat(8 << 20)
              + "\"}]}";

      HttpResponse<String> r = router.post("/openai/chat/completions", big);

      assertAnsweredBySecond(r, 3);
      assertThat(stalled.connections()).isEqualTo(2);
      String line = router.closeAndReadLog().get(0);
      assertThat(line).contains("\"class\":\"connect\"").contains("before the whole request");
    }
  }

  @Test
  void resetRetriesThenFallsBack() {
    twoProviders();
    first.always(Reply.reset());

    assertAnsweredBySecond(chat(), 3);
    assertThat(first.requestCount()).isEqualTo(2);
  }

  @Test
  void aNewConnectionClosedWithoutAnAnswerIsAFailedAttempt() {
    // Only a reused connection is sent again by the JDK client (StaleConnectionOverProcessTest):
    // on a new one the provider did take the request, so the table's rule for "broken" holds (here
    // max_retries 0: the next provider).
    router =
        RouterHarness.builder()
            .openai(provider("first", first.baseUrl() + "/v1", SHORT, 0))
            .openai(provider("second", second.baseUrl() + "/v1", SHORT, 0))
            .start();
    first.always(Reply.raw(new byte[0]));

    assertAnsweredBySecond(chat(), 2);
    assertThat(first.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {408, 409, 500, 502, 503, 504, 529})
  void transientStatusesRetryThenFallBack(int status) {
    twoProviders();
    first.always(Reply.openAiError(status, "server_error", null, "boom"));

    assertAnsweredBySecond(chat(), 3);
    assertThat(first.requestCount()).isEqualTo(2);
  }

  @Test
  void transientFailureThatRecoversStaysOnTheSameProvider() {
    twoProviders();
    first
        .enqueue(Reply.openAiError(503, "server_error", null, "busy"))
        .always(Reply.openAiOk("first ok"));

    HttpResponse<String> r = chat();

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("first");
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("2");
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void okWithInvalidJsonRetriesThenFallsBack() {
    twoProviders();
    first.always(Reply.badJson());

    assertAnsweredBySecond(chat(), 3);
  }

  @Test
  void truncatedBodyRetriesThenFallsBack() {
    twoProviders();
    first.always(Reply.truncated(200, "{\"id\":\"chatcmpl-1\",\"choices\":[]}", 10));

    assertAnsweredBySecond(chat(), 3);
  }

  @Test
  void aContentLengthThatIsNotANumberRetriesThenFallsBack() {
    // The JDK's client fails such an answer with an unchecked exception, not an IOException.
    twoProviders();
    first.always(
        Reply.raw(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}"
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));

    assertAnsweredBySecond(chat(), 3);
    assertThat(router.closeAndReadLog().get(0)).contains("\"action\":\"fallback\"");
  }

  @Test
  void rateLimitMovesOnAtOnceWithoutRetry() {
    twoProviders();
    first.always(Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow down"));

    assertAnsweredBySecond(chat(), 2);
    assertThat(first.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {401, 402, 403, 404})
  void keyProblemsMoveOnWithoutRetry(int status) {
    twoProviders();
    first.always(Reply.openAiError(status, "invalid_request_error", "invalid_api_key", "bad key"));

    assertAnsweredBySecond(chat(), 2);
    assertThat(first.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 413, 422})
  void callerErrorsAreReturnedAsTheyAreWithoutFallback(int status) {
    twoProviders();
    String body =
        "{\"error\":{\"message\":\"context too long\",\"type\":\"invalid_request_error\","
            + "\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}";
    first.always(Reply.json(status, body).withHeader("x-request-id", "req_upstream"));

    HttpResponse<String> r = chat();

    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.headers().firstValue("x-request-id")).hasValue("req_upstream");
    assertThat(r.headers().firstValue("x-router-provider")).hasValue("first");
    assertThat(first.requestCount()).isEqualTo(1);
    assertThat(second.requestCount()).isZero();
  }

  @Test
  void aCallerErrorThatEchoesTheProviderKeyReachesTheClientRedacted() {
    twoProviders();
    first.always(
        Reply.openAiError(
            400,
            "invalid_request_error",
            null,
            "bad request for key " + RouterHarness.keyOf("first")));

    HttpResponse<String> r = chat();

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("[REDACTED]").doesNotContain("canary");
  }

  @Test
  void allRateLimitedAnswers429WithTheSoonestRetryAfterRoundedUp() {
    twoProviders();
    first.always(
        Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow")
            .withHeader("retry-after-ms", "1500"));
    second.always(
        Reply.openAiError(429, "tokens", "rate_limit_exceeded", "slow")
            .withHeader("retry-after", "7"));

    HttpResponse<String> r = chat();

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after")).hasValue("2");
    assertThat(r.headers().firstValue("x-should-retry")).hasValue("true");
    assertThat(r.body())
        .contains("\"type\":\"rate_limit_exceeded\"")
        .contains("first 429")
        .contains("second 429");
  }

  @Test
  void lastFailureATimeoutAnswers504() {
    twoProviders();
    first.always(Reply.openAiError(500, "server_error", null, "boom"));
    second.always(Reply.hang());

    HttpResponse<String> r = chat();

    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(r.body()).contains("\"error\"").contains("timed out");
  }

  @Test
  void otherwiseAnswers502NamingEveryProviderAndNoKey() {
    twoProviders();
    first.always(
        Reply.openAiError(
            401,
            "invalid_request_error",
            "invalid_api_key",
            "Incorrect API key provided: " + RouterHarness.keyOf("first")));
    second.always(Reply.openAiError(503, "server_error", null, "overloaded"));

    HttpResponse<String> r = chat();

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(r.body())
        .contains("\"type\":\"server_error\"")
        .contains("first 401")
        .contains("second 503")
        .doesNotContain("canary");
  }

  @Test
  void anthropicEndpointFailsInAnthropicShape() {
    router = RouterHarness.builder().anthropic(provider("a1", first.baseUrl(), SHORT, 0)).start();
    first.always(Reply.anthropicError(529, "overloaded_error", "Overloaded"));

    HttpResponse<String> r = router.post("/anthropic/v1/messages", ANTHROPIC_MESSAGES);

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body())
        .startsWith("{\"type\":\"error\",\"error\":{\"type\":\"api_error\"")
        .contains("a1 529");
  }

  @Test
  void requestDeadlineBoundsRetriesAcrossProviders() {
    router =
        RouterHarness.builder()
            .requestTimeout(Duration.ofMillis(700))
            .openai(provider("first", first.baseUrl() + "/v1", Duration.ofSeconds(5), 3))
            .openai(provider("second", second.baseUrl() + "/v1", Duration.ofSeconds(5), 3))
            .start();
    first.always(Reply.hang());
    second.always(Reply.hang());

    HttpResponse<String> r = chat();

    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(r.body()).contains("deadline");
    // The one attempt was cut at the deadline; no retry and no second provider started after it.
    assertThat(first.requestCount()).isEqualTo(1);
    assertThat(second.requestCount()).isZero();
  }
}
