package dev.llmrouter.logging;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.ConsoleCapture;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The JSONL request log and console summary, written by a real router. */
class RequestLogTest {

  private FakeUpstream first;
  private FakeUpstream second;
  private RouterHarness router;
  private ConsoleCapture console;

  @BeforeEach
  void start() {
    console = ConsoleCapture.start();
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
    console.close();
    router.close();
    first.close();
    second.close();
  }

  @Test
  void everyRequestIsOneJsonLineWithAttemptsBodiesAndUsage() {
    first.enqueue(Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow down"));
    second.always(Reply.openAiOk("logged text"));
    router.post("/openai/chat/completions?x=1", OPENAI_CHAT);

    List<String> lines = router.closeAndReadLog();

    assertThat(lines).hasSize(1);
    JsonNode line = Json.MAPPER.readTree(lines.get(0));
    assertThat(line.path("request_id").asString()).startsWith("req_");
    assertThat(line.path("time").asString()).isNotEmpty();
    assertThat(line.path("duration_ms").isNumber()).isTrue();
    assertThat(line.path("endpoint").asString()).isEqualTo("openai");
    assertThat(line.path("path").asString()).isEqualTo("/openai/chat/completions");
    assertThat(line.path("model").asString()).isEqualTo("gpt-4o-mini");
    assertThat(line.path("stream").asBoolean()).isFalse();
    assertThat(line.path("status").asInt()).isEqualTo(200);
    assertThat(line.path("provider").asString()).isEqualTo("second");
    JsonNode attempts = line.path("attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).path("provider").asString()).isEqualTo("first");
    assertThat(attempts.get(0).path("status").asInt()).isEqualTo(429);
    assertThat(attempts.get(0).path("action").asString()).isEqualTo("fallback");
    assertThat(attempts.get(1).path("action").asString()).isEqualTo("success");
    // Bodies are embedded as JSON values, not escaped strings.
    assertThat(line.path("request").isObject()).isTrue();
    assertThat(line.path("request").path("messages").get(0).path("content").asString())
        .isEqualTo("Hi");
    assertThat(
            line.path("response").path("choices").get(0).path("message").path("content").asString())
        .isEqualTo("logged text");
    assertThat(line.path("usage").path("total_tokens").asInt()).isEqualTo(10);
  }

  @Test
  void failuresAndFailedAttemptsAlsoGoToTheErrorsFile() throws IOException {
    second.always(Reply.openAiOk());
    router.post("/openai/chat/completions", OPENAI_CHAT); // clean success
    first.enqueue(Reply.openAiError(503, "server_error", null, "busy"));
    router.post("/openai/chat/completions", OPENAI_CHAT); // success after a failed attempt
    router.post("/openai/chat/completions", "not json"); // router's own 400

    List<String> all = router.closeAndReadLog();
    List<String> errors = Files.readAllLines(router.router().errorLogFile());

    assertThat(all).hasSize(3);
    assertThat(errors).hasSize(2);
    // Lines are in the order the records were handed over, which is when each response was
    // finished, not when its request came: a quick 400 can be logged before the request before it.
    List<JsonNode> failed = errors.stream().map(Json.MAPPER::readTree).toList();
    assertThat(failed)
        .extracting(n -> n.path("status").asInt(), n -> n.path("attempts").size())
        .containsExactlyInAnyOrder(tuple(200, 2), tuple(400, 0));
    assertThat(failed)
        .filteredOn(n -> n.path("status").asInt() == 400)
        .singleElement()
        .satisfies(n -> assertThat(n.path("request").asString()).isEqualTo("not json"));
  }

  @Test
  void logFilesArePrivateAndNamedBySession() throws IOException {
    Path file = router.router().logFile();
    Path errors = router.router().errorLogFile();

    assertThat(file.getFileName().toString()).matches("router_\\d{8}_\\d{6}_[0-9a-f]+\\.jsonl");
    assertThat(errors.getFileName().toString())
        .isEqualTo(file.getFileName().toString().replace(".jsonl", "_errors.jsonl"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(errors)))
        .isEqualTo("rw-------");
  }

  @Test
  void keysNeverReachLogsOrConsoleEvenWhenAnUpstreamEchoesThem() throws IOException {
    String firstKey = RouterHarness.keyOf("first");
    first.always(
        Reply.openAiError(
            401,
            "invalid_request_error",
            "invalid_api_key",
            "Incorrect API key provided: " + firstKey));
    second.always(
        Reply.openAiError(
            400, "invalid_request_error", null, "echo " + RouterHarness.keyOf("second")));
    router.post(
        "/openai/chat/completions", OPENAI_CHAT, "Authorization", "Bearer client-canary-key-42");

    List<String> all = router.closeAndReadLog();
    String errors = Files.readString(router.router().errorLogFile());

    assertThat(String.join("\n", all))
        .contains("[REDACTED]")
        .doesNotContain(firstKey)
        .doesNotContain(RouterHarness.keyOf("second"))
        .doesNotContain("client-canary-key-42");
    assertThat(errors).doesNotContain("canary");
    assertThat(console.lines()).isNotEmpty();
    assertThat(String.join("\n", console.lines())).doesNotContain("canary");
  }

  @Test
  void consoleHasOneSummaryLinePerRequest() {
    second.always(Reply.openAiOk());
    first.always(Reply.openAiOk());
    router.post("/openai/chat/completions", OPENAI_CHAT);
    router.post("/openai/chat/completions", OPENAI_CHAT);

    router.closeAndReadLog();

    List<String> summaries =
        console.lines().stream().filter(l -> l.startsWith("200 openai")).toList();
    assertThat(summaries).hasSize(2);
    assertThat(summaries.get(0))
        .contains("model=gpt-4o-mini")
        .contains("provider=first")
        .contains("attempts=1")
        .containsPattern("\\d+\\.\\dms");
  }
}
