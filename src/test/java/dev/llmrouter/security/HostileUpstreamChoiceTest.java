package dev.llmrouter.security;

import static dev.llmrouter.security.HostileInput.CHAT;
import static dev.llmrouter.security.HostileInput.HOSTILE;
import static dev.llmrouter.security.HostileInput.abbreviate;
import static dev.llmrouter.security.HostileInput.assertServesValid;
import static dev.llmrouter.security.HostileInput.latin1;
import static dev.llmrouter.security.HostileInput.quoted;
import static dev.llmrouter.security.HostileInput.withField;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.Received;
import dev.llmrouter.testkit.Reply;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests that try to choose the upstream host, and upstream redirects: the router calls only the
 * host it was configured with, and {@link HostileInputFixture} fails any test after which the other
 * host heard anything.
 */
class HostileUpstreamChoiceTest {

  @RegisterExtension static final HostileInputFixture FIXTURE = new HostileInputFixture();

  /**
   * A way a client could try to choose the upstream host.
   *
   * @param request the raw request, given the other host's base URL
   */
  record HostOverride(String name, Function<String, String> request) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<HostOverride> hostOverrides() {
    return List.of(
        new HostOverride(
            "api_base in the body",
            other -> request(CHAT, "", withField(OPENAI_CHAT, "api_base", quoted(other + "/v1")))),
        new HostOverride(
            "base_url in the body",
            other -> request(CHAT, "", withField(OPENAI_CHAT, "base_url", quoted(other + "/v1")))),
        new HostOverride(
            "Host header", other -> request(CHAT, "Host: " + hostPort(other) + "\r\n")),
        new HostOverride(
            "X-Forwarded-Host and friends",
            other ->
                request(
                    CHAT,
                    "X-Forwarded-Host: "
                        + hostPort(other)
                        + "\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: "
                        + URI.create(other).getPort()
                        + "\r\nForwarded: host="
                        + hostPort(other)
                        + "\r\nX-Original-URL: "
                        + other
                        + CHAT
                        + "\r\nX-Rewrite-URL: "
                        + other
                        + CHAT
                        + "\r\n")),
        new HostOverride(
            "query parameters",
            other ->
                request(
                    CHAT + "?api_base=" + other + "&base_url=" + other + "&host=" + hostPort(other),
                    "")));
    // An absolute-form or network-path target ("http://other/openai/...", "//other/...") is
    // refused with 400 before routing: HostileRequestLineTest.
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostOverrides")
  void nothingInTheRequestChangesWhichHostIsCalled(HostOverride override) {
    FakeUpstream fake = FIXTURE.fake();
    FakeUpstream elsewhere = FIXTURE.elsewhere();
    int upstreamBefore = fake.requestCount();

    RawHttp.Answer answer =
        RawHttp.exchange(
            FIXTURE.router().router().port(),
            latin1(override.request().apply(elsewhere.baseUrl())),
            HOSTILE);

    assertThat(answer.status()).as(abbreviate(answer.text())).isEqualTo(200);
    Received got = fake.awaitRequest(upstreamBefore + 1, Duration.ofSeconds(5));
    assertThat(got.header("host")).isEqualTo("127.0.0.1:" + fake.port());
    assertThat(got.target()).startsWith("/v1/chat/completions");
    assertThat(elsewhere.received()).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {301, 302, 303, 307, 308})
  void anUpstreamRedirectIsNotFollowed(int status) {
    FakeUpstream fake = FIXTURE.fake();
    FakeUpstream elsewhere = FIXTURE.elsewhere();
    fake.enqueue(
        Reply.json(status, "{}")
            .withHeader("Location", elsewhere.baseUrl() + "/v1/chat/completions"));
    int upstreamBefore = fake.requestCount();

    HttpResponse<String> r = FIXTURE.router().post(CHAT, OPENAI_CHAT);

    // FailureClassifier: a 3xx moves to the next provider; with none left the router answers 502.
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("x-router-attempts")).hasValue("1");
    assertThat(r.body()).doesNotContain(elsewhere.baseUrl());
    assertThat(fake.requestCount()).isEqualTo(upstreamBefore + 1);
    assertThat(elsewhere.received()).isEmpty();
    assertServesValid(FIXTURE.router());
  }

  // ---------------------------------------------------------------- payload builders

  private static String hostPort(String baseUrl) {
    URI uri = URI.create(baseUrl);
    return uri.getHost() + ":" + uri.getPort();
  }

  private static String request(String target, String extraHeaders) {
    return request(target, extraHeaders, OPENAI_CHAT);
  }

  private static String request(String target, String extraHeaders, String body) {
    String host = extraHeaders.startsWith("Host:") ? "" : "Host: 127.0.0.1\r\n";
    return "POST "
        + target
        + " HTTP/1.1\r\n"
        + host
        + extraHeaders
        + "Content-Type: application/json\r\nConnection: close\r\nContent-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }
}
