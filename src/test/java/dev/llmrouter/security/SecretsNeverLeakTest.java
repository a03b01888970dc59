package dev.llmrouter.security;

import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.cli.Cli;
import dev.llmrouter.testkit.ConsoleCapture;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import dev.llmrouter.testkit.SseClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Canary secrets through every path that could leak them: error bodies that echo keys, streams that
 * echo them mid-answer, router-made errors, 401s, /health, the JSONL logs, the console and {@code
 * check}. Afterwards every byte of output is searched for every canary.
 */
class SecretsNeverLeakTest {

  private static final String GATEWAY_KEY = "gw-canary-secret-gateway-777";
  private static final String CLIENT_KEY = "client-canary-secret-999";

  @TempDir Path dir;

  private final StringBuilder seen = new StringBuilder();

  private void see(HttpResponse<String> r) {
    seen.append(r.statusCode()).append(' ').append(r.headers().map()).append(' ').append(r.body());
    seen.append('\n');
  }

  @Test
  void noCanaryAppearsInAnyOutput() throws IOException {
    ConsoleCapture console = ConsoleCapture.start();
    FakeUpstream first = FakeUpstream.start();
    FakeUpstream second = FakeUpstream.start();
    String firstKey = RouterHarness.keyOf("first");
    String secondKey = RouterHarness.keyOf("second");
    RouterHarness router =
        RouterHarness.builder()
            .apiKeys(GATEWAY_KEY)
            .openai(provider("first", first.baseUrl() + "/v1", Duration.ofMillis(500), 0))
            .openai(provider("second", second.baseUrl() + "/v1", Duration.ofMillis(500), 0))
            .anthropic(provider("first", first.baseUrl(), Duration.ofMillis(500), 0))
            .start();
    List<Path> logs;
    try {
      String auth = "Bearer " + GATEWAY_KEY;
      // The upstream echoes the key it got, as OpenAI's "Incorrect API key provided" does.
      first.always(
          Reply.openAiError(
              401, "invalid_request_error", "invalid_api_key", "bad key " + firstKey));
      second.always(Reply.openAiError(400, "invalid_request_error", null, "you sent " + secondKey));
      see(router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", auth));
      second.always(Reply.openAiError(500, "server_error", null, "boom " + secondKey));
      see(router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", auth));
      // A stream that echoes the key in an error event mid-answer.
      List<String> events = new ArrayList<>(Sse.anthropic("a"));
      events.add(2, Sse.anthropicError("api_error", "key " + firstKey + " misbehaved"));
      first.always(Reply.sse(events));
      try (SseClient client =
          SseClient.post(
              router.uri("/anthropic/v1/messages"),
              streamingAnthropic(),
              "x-api-key",
              GATEWAY_KEY)) {
        List<String> blocks = client.rest(Duration.ofSeconds(5));
        assertThat(blocks).anyMatch(b -> b.contains("misbehaved"));
        seen.append(String.join("\n", blocks));
      }
      // Unauthenticated, wrong key, key in the path, /health.
      see(
          router.post(
              "/openai/chat/completions", OPENAI_CHAT, "Authorization", "Bearer " + CLIENT_KEY));
      see(router.post("/anthropic/v1/messages", ANTHROPIC_MESSAGES, "x-api-key", CLIENT_KEY));
      see(router.post("/openai/" + GATEWAY_KEY, OPENAI_CHAT, "Authorization", auth));
      see(router.get("/health"));
    } finally {
      router.close();
      first.close();
      second.close();
      console.close();
    }
    try (Stream<Path> files = Files.list(router.logDir())) {
      logs = files.toList();
    }
    assertThat(logs).hasSize(2);
    for (Path log : logs) {
      seen.append(Files.readString(log));
    }
    seen.append(String.join("\n", console.lines()));
    seen.append(checkOutput(firstKey, secondKey));

    String all = seen.toString();
    assertThat(all).contains("[REDACTED]").contains("second 500");
    for (String canary : List.of(firstKey, secondKey, GATEWAY_KEY, CLIENT_KEY)) {
      assertThat(all).doesNotContain(canary);
    }
  }

  /** Every character of {@code key} as a JSON escape, as a provider or client may write it. */
  private static String escaped(String key) {
    StringBuilder b = new StringBuilder();
    key.chars().forEach(c -> b.append(String.format("\\u%04x", c)));
    return b.toString();
  }

  /**
   * The paths an attack run found open: a key echoed in a response header, in a gzip body, with
   * JSON escapes in an error body, split across two stream events, and a gateway key with escapes
   * in a request body (and one in the model name).
   */
  @Test
  void noCanaryPassesInAnyEncoding() throws IOException {
    ConsoleCapture console = ConsoleCapture.start();
    FakeUpstream up = FakeUpstream.start();
    String key = RouterHarness.keyOf("up");
    RouterHarness router =
        RouterHarness.builder()
            .apiKeys(GATEWAY_KEY)
            .openai(provider("up", up.baseUrl() + "/v1", Duration.ofSeconds(5), 0))
            .start();
    String auth = "Bearer " + GATEWAY_KEY;
    try {
      up.enqueue(Reply.openAiOk().withHeader("x-error", "key " + key + " used"));
      see(router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", auth));
      up.enqueue(Reply.openAiError(400, "invalid_request_error", null, "bad key " + key).gzipped());
      see(router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", auth));
      up.enqueue(
          Reply.json(
              400,
              "{\"error\":{\"message\":\"bad key "
                  + escaped(key)
                  + "\",\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}"));
      see(router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", auth));
      // A provider that dumps the headers it got, one of them Basic credentials made of the key
      // (a 400: a 401 would put the key aside for the requests below).
      String basic =
          java.util.Base64.getEncoder()
              .encodeToString(("user:" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      up.enqueue(
          Reply.openAiError(
              400,
              "invalid_request_error",
              null,
              "bad credentials: Authorization: Basic " + basic));
      see(router.post("/openai/chat/completions", OPENAI_CHAT, "Authorization", auth));
      int half = key.length() / 2;
      up.enqueue(
          Reply.sse(Sse.openAi("your key is ", key.substring(0, half), key.substring(half))));
      see(
          router.post(
              "/openai/chat/completions",
              OPENAI_CHAT.replace("{", "{\"stream\":true,"),
              "Authorization",
              auth));
      see(
          router.post(
              "/openai/chat/completions",
              OPENAI_CHAT.replace("\"Hi\"", "\"my key is " + escaped(GATEWAY_KEY) + "\""),
              "Authorization",
              auth));
      see(
          router.post(
              "/openai/chat/completions",
              OPENAI_CHAT.replace("gpt-4o-mini", "gpt-" + GATEWAY_KEY),
              "Authorization",
              auth));
      assertThat(up.requestCount()).isEqualTo(7);
    } finally {
      router.close();
      up.close();
      console.close();
    }
    try (Stream<Path> files = Files.list(router.logDir())) {
      for (Path log : files.toList()) {
        seen.append(Files.readString(log));
      }
    }
    seen.append(String.join("\n", console.lines()));

    String all = seen.toString();
    assertThat(all).contains("[REDACTED]").contains("your key is ").contains("Basic ");
    for (String canary : List.of(key, GATEWAY_KEY)) {
      assertThat(all).doesNotContain(canary).doesNotContain(escaped(canary));
    }
    // Nothing of the Basic credentials decodes to the key: characters 7 on are the key's bits
    // alone ("user:" is 40 bits), and none of them reached the client, the log or the console.
    String run =
        java.util.Base64.getEncoder()
            .encodeToString(("user:" + key).getBytes(java.nio.charset.StandardCharsets.UTF_8))
            .substring(7, 19);
    assertThat(all).doesNotContain(run);
    // The split key is whole in the log's assembled answer, and redacted there.
    assertThat(all).contains("your key is [REDACTED]");
  }

  private static String streamingAnthropic() {
    return ANTHROPIC_MESSAGES.replace("{", "{\"stream\":true,");
  }

  /** {@code check} on a config holding the same keys literally and through ${ENV}. */
  private String checkOutput(String firstKey, String secondKey) throws IOException {
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        """
        {"server": {"api_keys": ["%s"]},
         "openai": [{"api_key": "%s", "base_url": "http://127.0.0.1:1/v1"}],
         "anthropic": [{"api_key": "${SECOND}", "base_url": "http://127.0.0.1:1"}]}
        """
            .formatted(GATEWAY_KEY, firstKey));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      int code =
          Cli.run(
              new String[] {"check", "--config", config.toString()},
              o,
              e,
              Map.of("SECOND", secondKey));
      assertThat(code).isZero();
    }
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }
}
