package dev.llmrouter.providers;

import static dev.llmrouter.providers.Providers.anthropic;
import static dev.llmrouter.providers.Providers.json;
import static dev.llmrouter.providers.Providers.openai;
import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static dev.llmrouter.testkit.RouterHarness.keyOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.llmrouter.config.Auth;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.ProviderHeader;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Received;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How each provider is sent its key ({@code auth}) and its own headers, what of the client's never
 * reaches it, and what of a provider's secrets never comes back: a real router on real sockets.
 */
class AuthAndHeadersOverSocketsTest {

  private static final String CHAT = "/openai/chat/completions";
  private static final String MESSAGES = "/anthropic/v1/messages";
  private static final Set<String> CREDENTIAL_HEADERS =
      Set.of("authorization", "x-api-key", "api-key");

  /** What the client puts in its own credential headers: none of it may go upstream. */
  private static final String CLIENT_MARK = "client-cred-7f3a9";

  private FakeUpstream a;
  private FakeUpstream b;
  private RouterHarness router;

  @BeforeEach
  void startFakes() {
    a = FakeUpstream.start();
    b = FakeUpstream.start();
  }

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    a.close();
    b.close();
  }

  static Stream<Arguments> authStyles() {
    return Stream.of(
        arguments("openai", null, "authorization", "Bearer "),
        arguments("openai", Auth.BEARER, "authorization", "Bearer "),
        arguments("openai", Auth.API_KEY, "api-key", ""),
        arguments("openai", Auth.X_API_KEY, "x-api-key", ""),
        arguments("openai", Auth.NONE, null, null),
        arguments("anthropic", null, "x-api-key", ""),
        arguments("anthropic", Auth.BEARER, "authorization", "Bearer "),
        arguments("anthropic", Auth.NONE, null, null));
  }

  @ParameterizedTest(name = "{0} with auth {1} sends {2}")
  @MethodSource("authStyles")
  void eachAuthStyleSendsOnlyItsOwnCredentialHeaderAndNeverTheClients(
      String endpoint, Auth auth, String header, String valuePrefix) {
    boolean isOpenAi = endpoint.equals("openai");
    ProviderConfig p = isOpenAi ? openai("prov", a, 1) : anthropic("prov", a, 1);
    if (auth != null) {
      p = p.withAuth(auth);
    }
    a.always(isOpenAi ? Reply.openAiOk() : Reply.anthropicOk());
    RouterHarness.Builder builder = RouterHarness.builder().keepPriorities();
    router = (isOpenAi ? builder.openai(p) : builder.anthropic(p)).start();

    HttpResponse<String> r =
        router.post(
            isOpenAi ? CHAT : MESSAGES,
            isOpenAi ? OPENAI_CHAT : ANTHROPIC_MESSAGES,
            "Authorization",
            "Bearer " + CLIENT_MARK + "-bearer",
            "x-api-key",
            CLIENT_MARK + "-xkey",
            "api-key",
            CLIENT_MARK + "-azure");

    assertThat(r.statusCode()).isEqualTo(200);
    Received got = a.received().get(0);
    Set<String> sent = new HashSet<>(got.headers().keySet());
    sent.retainAll(CREDENTIAL_HEADERS);
    if (header == null) {
      assertThat(sent).isEmpty();
    } else {
      assertThat(sent).containsExactly(header);
      assertThat(got.headers().get(header)).containsExactly(valuePrefix + keyOf("prov"));
    }
    assertThat(got.headers().toString()).doesNotContain(CLIENT_MARK);
  }

  @Test
  void aProviderNameNoHeaderCanCarryLeavesOutXRouterProviderNotTheAnswer() {
    a.always(Reply.openAiOk("from the named one"));
    router =
        RouterHarness.builder()
            .openai(
                ProviderConfig.of(
                    "模型-x", "sk-test-unicode-name-01", URI.create(a.baseUrl() + "/v1")))
            .start();

    HttpResponse<String> r = router.post(CHAT, OPENAI_CHAT);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("from the named one");
    assertThat(r.headers().firstValue("x-router-provider")).isEmpty();
    assertThat(router.closeAndReadLog().getFirst()).contains("\"provider\":\"模型-x\"");
  }

  @Test
  void aConfiguredHeaderReplacesTheClientsOfAnyCaseForItsProviderOnly() {
    // A 500 moves on without cooling anything down: both requests try "titled" first.
    a.always(Reply.openAiError(500, "server_error", null, "down"));
    b.always(Reply.openAiOk());
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(
                openai("titled", a, 1)
                    .withHeaders(
                        List.of(
                            new ProviderHeader("X-Title", "from-config", false),
                            new ProviderHeader("HTTP-Referer", "https://app.example", false))))
            .openai(openai("plain", b, 2))
            .start();

    HttpResponse<String> withClientHeader =
        router.post(CHAT, OPENAI_CHAT, "x-TITLE", "from-client");
    HttpResponse<String> withoutIt = router.post(CHAT, OPENAI_CHAT);

    assertThat(withClientHeader.statusCode()).isEqualTo(200);
    assertThat(withoutIt.statusCode()).isEqualTo(200);
    assertThat(a.received()).hasSize(2);
    for (Received toTitled : a.received()) {
      assertThat(toTitled.headers().get("x-title")).containsExactly("from-config");
      assertThat(toTitled.headers().get("http-referer")).containsExactly("https://app.example");
    }
    assertThat(b.received().get(0).headers().get("x-title")).containsExactly("from-client");
    assertThat(b.received().get(1).headers()).doesNotContainKeys("x-title", "http-referer");
  }

  @Test
  void aConfiguredAnthropicVersionReplacesTheClientsForThatProviderOnly() {
    a.always(Reply.anthropicError(404, "not_found_error", "model: claude-sonnet-4-5"));
    b.always(Reply.anthropicOk());
    router =
        RouterHarness.builder()
            .keepPriorities()
            .anthropic(
                anthropic("pinned", a, 1)
                    .withHeaders(
                        List.of(new ProviderHeader("anthropic-version", "2099-12-31", false))))
            .anthropic(anthropic("plain", b, 2))
            .start();

    HttpResponse<String> r =
        router.post(MESSAGES, ANTHROPIC_MESSAGES, "Anthropic-Version", "2023-06-01");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(a.received().get(0).headers().get("anthropic-version"))
        .containsExactly("2099-12-31");
    assertThat(b.received().get(0).headers().get("anthropic-version"))
        .containsExactly("2023-06-01");
  }

  @Test
  void aHeaderValueFromTheEnvironmentEchoedUpstreamIsRedactedForClientAndLog() {
    String secret = "tok-from-env-5b8e1d0c";
    String visible = "tenant-visible-value";
    // "Bearer ${HELICONE_KEY}": the reference's part is a secret on its own (echoed alone here).
    String token = "sk-helicone-77a0c3e9";
    a.always(
        Reply.openAiError(
                400,
                "invalid_request_error",
                null,
                "token " + secret + " is not valid for " + visible + " (" + token + ")")
            .withHeader("x-echo-token", "bad " + secret)
            .withHeader("x-echo-tenant", visible));
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(
                openai("gateway", a, 1)
                    .withHeaders(
                        List.of(
                            new ProviderHeader("X-Gateway-Token", secret, true),
                            new ProviderHeader(
                                "Helicone-Auth", "Bearer " + token, true, List.of(token)),
                            new ProviderHeader("X-Tenant", visible, false))))
            .start();

    HttpResponse<String> r = router.post(CHAT, OPENAI_CHAT);

    assertThat(a.received().get(0).header("x-gateway-token")).isEqualTo(secret);
    assertThat(a.received().get(0).header("helicone-auth")).isEqualTo("Bearer " + token);
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json(r.body()).path("error").path("message").asString())
        .isEqualTo("token [REDACTED] is not valid for " + visible + " ([REDACTED])");
    assertThat(r.headers().firstValue("x-echo-token")).hasValue("bad [REDACTED]");
    // Only the secret one: a plain configured value is no secret and stays readable.
    assertThat(r.headers().firstValue("x-echo-tenant")).hasValue(visible);
    String log = String.join("\n", router.closeAndReadLog());
    assertThat(log)
        .doesNotContain(secret)
        .doesNotContain(token)
        .contains("token [REDACTED] is not valid for " + visible);
  }

  @Test
  void aKeyShorterThanEightCharactersIsAPlaceholderAndNotRedacted() {
    String pullHint = "model \\\"llama3\\\" not found, try pulling it first with ollama pull";
    a.enqueue(
        Reply.openAiError(400, "invalid_request_error", null, "ollama: unknown option 'x'"),
        Reply.json(404, "{\"error\":{\"message\":\"" + pullHint + "\"}}"));
    ProviderConfig ollama =
        new ProviderConfig(
            "ollama",
            "ollama",
            1,
            URI.create(a.baseUrl() + "/v1"),
            Duration.ofSeconds(5),
            0,
            ProviderConfig.DEFAULT_STREAM_IDLE_TIMEOUT,
            ProviderConfig.DEFAULT_WEIGHT);
    router = RouterHarness.builder().keepPriorities().openai(ollama).start();

    HttpResponse<String> passedOn = router.post(CHAT, OPENAI_CHAT);
    HttpResponse<String> notFound = router.post(CHAT, OPENAI_CHAT);

    assertThat(a.received().get(0).header("authorization")).isEqualTo("Bearer ollama");
    assertThat(passedOn.statusCode()).isEqualTo(400);
    assertThat(passedOn.headers().firstValue("x-router-provider")).hasValue("ollama");
    assertThat(json(passedOn.body()).path("error").path("message").asString())
        .isEqualTo("ollama: unknown option 'x'");
    // A 404 moves on to the next provider (README "Fallback"); with none left the router's own
    // 404 (the model is served nowhere) names the provider, which a redacted "ollama" would blank.
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.body()).contains("ollama 404").doesNotContain("[REDACTED]");
    String log = String.join("\n", router.closeAndReadLog());
    assertThat(log).contains("\"provider\":\"ollama\"").doesNotContain("[REDACTED]");
  }
}
