package dev.llmrouter.cli;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code stats} on the log a real router wrote: its fields, its errors file, its streams. */
class StatsOnRouterLogsTest {

  private static final String OPENAI_STREAM =
      "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  private FakeUpstream first;
  private FakeUpstream second;
  private RouterHarness router;

  @BeforeEach
  void start() {
    first = FakeUpstream.start();
    second = FakeUpstream.start();
    router =
        RouterHarness.builder()
            .openai(provider("first", first.baseUrl() + "/v1", Duration.ofSeconds(2), 0))
            .openai(provider("second", second.baseUrl() + "/v1", Duration.ofSeconds(2), 0))
            .start();
  }

  @AfterEach
  void stop() {
    router.close();
    first.close();
    second.close();
  }

  @Test
  void countsWhatTheRouterLogged() throws Exception {
    first.enqueue(
        Reply.openAiOk(),
        Reply.sse(Sse.openAi("Hel", "lo")),
        Reply.openAiError(503, "server_error", null, "busy"));
    second.always(Reply.openAiOk());
    assertThat(router.post("/openai/chat/completions", OPENAI_CHAT).statusCode()).isEqualTo(200);
    assertThat(router.post("/openai/chat/completions", OPENAI_STREAM).statusCode()).isEqualTo(200);
    assertThat(router.post("/openai/chat/completions", "not json").statusCode()).isEqualTo(400);
    assertThat(router.post("/openai/chat/completions", OPENAI_CHAT).statusCode()).isEqualTo(200);
    router.closeAndReadLog();
    assertThat(Files.readAllLines(router.router().errorLogFile())).hasSize(2); // 400, fallback

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Cli.run(
            new String[] {"stats", "--log-dir", router.logDir().toString(), "--json"},
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Map.of());
    JsonNode r = Json.MAPPER.readTree(out.toString(StandardCharsets.UTF_8));

    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(r.path("requests").asLong()).isEqualTo(4); // the errors file is not read
    assertThat(r.path("malformed_lines").asLong()).isZero();
    JsonNode openai = r.path("endpoints").path(0);
    assertThat(openai.path("name").asString()).isEqualTo("openai");
    assertThat(openai.path("successes").asLong()).isEqualTo(3);
    assertThat(openai.path("fallbacks").asLong()).isEqualTo(1);
    assertThat(openai.path("attempts").asLong()).isEqualTo(4);
    assertThat(openai.path("input_tokens").asLong()).isEqualTo(9 * 3);
    assertThat(openai.path("output_tokens").asLong()).isEqualTo(1 + 2 + 1);
    assertThat(openai.path("ttfb_ms").path("count").asLong()).isEqualTo(1);
    assertThat(openai.path("failure_classes").size()).isEqualTo(1);
    JsonNode firstRow = r.path("providers").path(0);
    assertThat(firstRow.path("name").asString()).isEqualTo("first");
    assertThat(firstRow.path("requests").asLong()).isEqualTo(2);
    assertThat(firstRow.path("attempts").asLong()).isEqualTo(3);
    assertThat(firstRow.path("failure_classes").properties()).hasSize(1);
    JsonNode secondRow = r.path("providers").path(1);
    assertThat(secondRow.path("name").asString()).isEqualTo("second");
    assertThat(secondRow.path("fallbacks").asLong()).isEqualTo(1);
    assertThat(r.path("providers").path(2).path("name").isNull()).isTrue(); // the router's 400
  }
}
