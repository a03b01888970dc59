package dev.llmrouter.security;

import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a web page can and cannot do to a keyless router on loopback: a cross-site "simple" POST and
 * a DNS-rebinding page are refused before anything reaches a provider; an origin the config allows
 * is served with CORS headers; and no upstream header can widen what a page may read.
 */
class BrowserRulesOverSocketsTest {

  private static final String PAGE = "https://evil.example";
  private static final String APP = "https://app.example";

  private static String raw(String method, String path, String headers, String body) {
    return method
        + " "
        + path
        + " HTTP/1.1\r\n"
        + headers
        + "Content-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  @Test
  void aCrossSiteTextPlainPostIsRefusedInTheNativeShape() {
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router =
            RouterHarness.builder().openai("oa", fake).anthropic("an", fake).start()) {
      // What a browser sends for fetch(url, {method: "POST", body}) with no preflight.
      String headers =
          "Host: 127.0.0.1:"
              + router.router().port()
              + "\r\nOrigin: "
              + PAGE
              + "\r\nContent-Type: text/plain;charset=UTF-8\r\n";
      RawHttp.Answer openai =
          RawHttp.exchange(
              router.router().port(),
              raw("POST", "/openai/chat/completions", headers, OPENAI_CHAT));
      RawHttp.Answer anthropic =
          RawHttp.exchange(
              router.router().port(),
              raw("POST", "/anthropic/v1/messages", headers, ANTHROPIC_MESSAGES));

      assertThat(openai.status()).isEqualTo(403);
      assertThat(openai.text()).contains("{\"error\":{\"message\":").contains("allowed_origins");
      assertThat(anthropic.status()).isEqualTo(403);
      assertThat(anthropic.text()).contains("\"type\":\"permission_error\"");
      assertThat(openai.text().toLowerCase(java.util.Locale.ROOT))
          .doesNotContain("access-control-allow-origin");
      assertThat(fake.requestCount()).isZero();
    }
  }

  @Test
  void aNoCorsGetFromAnotherSitesPageIsRefusedButADocsLinkIsNot() {
    try (FakeUpstream fake =
            FakeUpstream.start()
                .always(
                    Reply.json(
                        200,
                        "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o\",\"object\":\"model\"}]}"));
        RouterHarness router = RouterHarness.builder().openai("oa", fake).start()) {
      int port = router.router().port();
      // <img src="http://127.0.0.1:8000/openai/v1/models">: no Origin, but Sec-Fetch-Site.
      String page = "Host: 127.0.0.1:" + port + "\r\nSec-Fetch-Site: cross-site\r\n";
      RawHttp.Answer models = RawHttp.exchange(port, raw("GET", "/openai/v1/models", page, ""));
      RawHttp.Answer sameSite =
          RawHttp.exchange(
              port, raw("GET", "/openai/v1/models", page.replace("cross-site", "same-site"), ""));
      RawHttp.Answer docs = RawHttp.exchange(port, raw("GET", "/docs", page, ""));
      RawHttp.Answer own =
          RawHttp.exchange(
              port, raw("GET", "/openai/v1/models", page.replace("cross-site", "same-origin"), ""));

      assertThat(models.status()).isEqualTo(403);
      assertThat(models.text()).contains("allowed_origins");
      assertThat(sameSite.status()).isEqualTo(403);
      assertThat(docs.status()).isEqualTo(200); // a link to the docs is a person's navigation
      assertThat(own.status()).isEqualTo(200);
      assertThat(fake.requestCount()).isLessThanOrEqualTo(1); // the same-origin list's, if any
    }
  }

  @Test
  void aDnsRebindingPageIsRefusedButHealthProbesAreNot() {
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router = RouterHarness.builder().openai("oa", fake).start()) {
      int port = router.router().port();
      String rebound = "Host: evil.example:" + port + "\r\nContent-Type: application/json\r\n";

      RawHttp.Answer post =
          RawHttp.exchange(port, raw("POST", "/openai/chat/completions", rebound, OPENAI_CHAT));
      RawHttp.Answer page = RawHttp.exchange(port, raw("GET", "/", rebound, ""));
      RawHttp.Answer health = RawHttp.exchange(port, raw("GET", "/health", rebound, ""));
      RawHttp.Answer twoHosts =
          RawHttp.exchange(
              port,
              raw(
                  "POST",
                  "/openai/chat/completions",
                  "Host: 127.0.0.1\r\nHost: evil.example\r\n",
                  OPENAI_CHAT));
      RawHttp.Answer localhost =
          RawHttp.exchange(
              port,
              raw(
                  "POST",
                  "/openai/chat/completions",
                  "Host: localhost:" + port + "\r\nContent-Type: application/json\r\n",
                  OPENAI_CHAT));

      assertThat(post.status()).isEqualTo(403);
      assertThat(post.text()).contains("allowed_hosts");
      assertThat(page.status()).isEqualTo(403);
      assertThat(health.status()).isEqualTo(200);
      RawHttp.Answer noHost =
          RawHttp.exchange(
              port,
              "POST /openai/chat/completions HTTP/1.1\r\nContent-Type: application/json\r\n"
                  + "Content-Length: "
                  + OPENAI_CHAT.length()
                  + "\r\n\r\n"
                  + OPENAI_CHAT);
      assertThat(twoHosts.status()).isEqualTo(400);
      assertThat(noHost.status()).isEqualTo(400);
      assertThat(noHost.text()).contains("must carry a Host header");
      assertThat(localhost.status()).isEqualTo(200);
      assertThat(fake.requestCount()).isEqualTo(1);
    }
  }

  @Test
  void anAllowedOriginGetsItsPreflightAndCorsHeaders() {
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router =
            RouterHarness.builder()
                .allowedOrigins(APP)
                .allowedHosts("router.internal")
                .openai("oa", fake)
                .start()) {
      int port = router.router().port();
      RawHttp.Answer preflight =
          RawHttp.exchange(
              port,
              raw(
                  "OPTIONS",
                  "/openai/chat/completions",
                  "Host: router.internal:"
                      + port
                      + "\r\nOrigin: "
                      + APP
                      + "\r\nAccess-Control-Request-Method: POST"
                      + "\r\nAccess-Control-Request-Headers: authorization, content-type\r\n",
                  ""));
      HttpResponse<String> post =
          router.post("/openai/chat/completions", OPENAI_CHAT, "Origin", APP);

      assertThat(preflight.status()).isEqualTo(204);
      assertThat(preflight.text())
          .contains("Access-control-allow-origin: " + APP)
          .contains("Access-control-allow-methods: GET, HEAD, POST, DELETE, OPTIONS")
          .contains("Access-control-allow-headers: authorization, content-type");
      assertThat(post.statusCode()).isEqualTo(200);
      assertThat(post.headers().firstValue("access-control-allow-origin")).hasValue(APP);
      assertThat(post.headers().allValues("vary")).anyMatch(v -> v.contains("Origin"));
      assertThat(fake.requestCount()).isEqualTo(1);
      // The probes too: an allowed dashboard can read /health, as every other answer.
      for (String probe : List.of("/health", "/health/ready")) {
        HttpResponse<String> health =
            RouterHarness.send(
                HttpRequest.newBuilder(router.uri(probe)).header("Origin", APP).GET().build());
        assertThat(health.statusCode()).as(probe).isEqualTo(200);
        assertThat(health.headers().firstValue("access-control-allow-origin"))
            .as(probe)
            .hasValue(APP);
      }
    }
  }

  @Test
  void upstreamHeadersThatWouldWidenAPagesAccessNeverPass() {
    try (FakeUpstream fake =
            FakeUpstream.start()
                .always(
                    Reply.openAiOk()
                        .withHeader("Access-Control-Allow-Origin", "*")
                        .withHeader("Access-Control-Allow-Credentials", "true")
                        .withHeader("Set-Cookie", "session=upstream")
                        .withHeader("Set-Cookie2", "old=style")
                        .withHeader("Location", "https://evil.example/")
                        .withHeader("Refresh", "0; url=https://evil.example/")
                        .withHeader("Strict-Transport-Security", "max-age=31536000")
                        .withHeader("Content-Security-Policy", "default-src *")
                        .withHeader("X-Router-Provider", "forged"));
        RouterHarness router = RouterHarness.builder().openai("oa", fake).start()) {
      HttpResponse<String> r = router.post("/openai/chat/completions", OPENAI_CHAT);

      assertThat(r.statusCode()).isEqualTo(200);
      for (String name :
          List.of(
              "access-control-allow-origin",
              "access-control-allow-credentials",
              "set-cookie",
              "set-cookie2",
              "location",
              "refresh",
              "strict-transport-security",
              "content-security-policy")) {
        assertThat(r.headers().firstValue(name)).as(name).isEmpty();
      }
      assertThat(r.headers().allValues("x-router-provider")).containsExactly("oa");
      assertThat(r.headers().firstValue("x-request-id")).isPresent();
    }
  }
}
