package dev.llmrouter.security;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.Received;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The client's gateway key never goes upstream wherever it put it, provider keys never come back in
 * a success body, and a request target the upstream could not get byte for byte is refused.
 */
class CredentialsNeverForwardedTest {

  private static final String GATEWAY_KEY = "gw-forward-canary-0123456789";

  @Test
  void aGatewayKeyInAnyHeaderOrQueryParameterStaysWithTheRouter() {
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router =
            RouterHarness.builder().apiKeys(GATEWAY_KEY).openai("oa", fake).start()) {
      HttpResponse<String> r =
          router.post(
              "/openai/chat/completions?key="
                  + GATEWAY_KEY
                  + "&api-version=2024-10-21&api_key=x"
                  + GATEWAY_KEY.replace("-", "%2D")
                  // The client's own provider key in a query: it stays with the router too.
                  + "&API_KEY=sk-client-own-key-0123456789&beta=true"
                  // ...and as an upstream decodes a name: api%5Fkey is api_key, %6Bey is key.
                  + "&api%5Fkey=sk-a-0123456789&%6Bey=sk-b-0123456789",
              OPENAI_CHAT,
              "Authorization",
              "Bearer " + GATEWAY_KEY,
              "api-key",
              GATEWAY_KEY,
              "x-goog-api-key",
              "prefix " + GATEWAY_KEY,
              "x-keep",
              "kept");

      assertThat(r.statusCode()).isEqualTo(200);
      Received seen = fake.received().get(0);
      assertThat(seen.target()).isEqualTo("/v1/chat/completions?api-version=2024-10-21&beta=true");
      assertThat(seen.header("x-keep")).isEqualTo("kept");
      assertThat(seen.headers().toString()).doesNotContain(GATEWAY_KEY);
      assertThat(seen.headers()).doesNotContainKeys("api-key", "x-goog-api-key");
    }
  }

  @Test
  void aKeyInAHeadersNameIsDroppedWhateverItsCaseBothWays() {
    // HTTP names are case-insensitive and the JDK lowercases them: a key with capitals, spelt in
    // a header's name, must not pass as its lowercase form.
    String gateway = "GW-Mixed-Case-Canary-0123456789";
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router =
            RouterHarness.builder().apiKeys(gateway).openai("MixedKey", fake).start()) {
      String providerKey = RouterHarness.keyOf("MixedKey");
      fake.always(Reply.openAiOk("hi").withHeader("x-debug-" + providerKey, "1"));

      HttpResponse<String> r =
          router.post(
              "/openai/chat/completions",
              OPENAI_CHAT,
              "Authorization",
              "Bearer " + gateway,
              "X-Trace-" + gateway,
              "1");

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(fake.received().get(0).headers().toString().toLowerCase(java.util.Locale.ROOT))
          .doesNotContain(gateway.toLowerCase(java.util.Locale.ROOT));
      assertThat(r.headers().map().toString().toLowerCase(java.util.Locale.ROOT))
          .doesNotContain(providerKey.toLowerCase(java.util.Locale.ROOT));
    }
  }

  @Test
  void aProviderKeyInASuccessBodyOrEventIsRedacted() {
    String key = RouterHarness.keyOf("oa");
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router = RouterHarness.builder().openai("oa", fake).start()) {
      fake.enqueue(Reply.openAiOk("your key is " + key));
      fake.enqueue(Reply.sse(Sse.openAi("your key is ", key)));

      HttpResponse<String> plain = router.post("/openai/chat/completions", OPENAI_CHAT);
      HttpResponse<String> streamed =
          router.post("/openai/chat/completions", OPENAI_CHAT.replace("{", "{\"stream\":true,"));

      assertThat(plain.body()).contains("your key is [REDACTED]").doesNotContain(key);
      assertThat(streamed.body()).contains("[REDACTED]").doesNotContain(key);
    }
  }

  @Test
  void rawBytesOutsideRfc3986AreRefusedAndPercentEscapesPassByteForByte() {
    try (FakeUpstream fake = FakeUpstream.start();
        RouterHarness router = RouterHarness.builder().openai("oa", fake).start()) {
      String head =
          "HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
              + OPENAI_CHAT.length()
              + "\r\n\r\n"
              + OPENAI_CHAT;
      RawHttp.Answer raw =
          RawHttp.exchange(
              router.router().port(),
              ("POST /openai/chat/completions?x=\u00ff\u00fe " + head)
                  .getBytes(StandardCharsets.ISO_8859_1));
      RawHttp.Answer escaped =
          RawHttp.exchange(
              router.router().port(),
              ("POST /openai/chat/completions?x=%FF%fe&y=a+b " + head)
                  .getBytes(StandardCharsets.ISO_8859_1));

      assertThat(raw.status()).isEqualTo(400);
      assertThat(raw.text()).contains("RFC 3986");
      assertThat(escaped.status()).isEqualTo(200);
      assertThat(fake.received()).hasSize(1);
      assertThat(fake.received().get(0).target()).isEqualTo("/v1/chat/completions?x=%FF%fe&y=a+b");
    }
  }
}
