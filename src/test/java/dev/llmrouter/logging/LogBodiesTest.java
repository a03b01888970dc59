package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.LoggingSettings;
import dev.llmrouter.config.LoggingSettings.Bodies;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code logging.bodies} over real sockets: a marker in every prompt and in every answer, and the
 * log files searched for it. The same five requests run in each mode: a plain success, a completed
 * stream, an upstream 400 that quotes the prompt (relayed as the response), a stream broken
 * mid-way, and a walk that ran out of providers on a 500 that quotes the prompt (in the attempt's
 * {@code detail} and the router's own message).
 */
class LogBodiesTest {

  private static final String PROMPT = "prompt-marker-5e1d";
  private static final String ANSWER = "answer-marker-c07b";
  private static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"say "
          + PROMPT
          + "\"}]}";
  private static final String STREAM_CHAT =
      CHAT.replace("{\"model\"", "{\"stream\":true,\"model\"");

  private FakeUpstream upstream;
  private RouterHarness router;

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    upstream.close();
  }

  /** The five requests' lines, by name, from the main file; and the errors file's lines. */
  private record Logged(Map<String, JsonNode> lines, List<JsonNode> errors, Path dir) {
    JsonNode line(String name) {
      return lines.get(name);
    }
  }

  private Logged run(Bodies bodies) {
    upstream = FakeUpstream.start();
    router =
        RouterHarness.builder()
            .openai("first", upstream)
            .logging(s -> s.withBodies(bodies))
            .start();
    Map<String, String> ids = new LinkedHashMap<>();
    upstream.enqueue(Reply.openAiOk("here: " + ANSWER));
    ids.put("ok", send(CHAT, 200));
    upstream.enqueue(Reply.sse(Sse.openAi("here: ", ANSWER)));
    ids.put("stream", send(STREAM_CHAT, 200));
    upstream.enqueue(
        Reply.openAiError(
            400, "invalid_request_error", null, "Invalid 'messages[0].content': 'say " + PROMPT));
    ids.put("rejected", send(CHAT, 400));
    upstream.enqueue(Reply.sse(Sse.openAi("here: ", ANSWER, " and more")).breakAfter(3, false));
    ids.put("broken", send(STREAM_CHAT, 200));
    upstream.enqueue(Reply.openAiError(500, "server_error", null, "failed on 'say " + PROMPT));
    ids.put("exhausted", send(CHAT, 502));

    router.router().close();
    Path main = router.router().logFile();
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode n : LogDir.records(main)) {
      byId.put(n.path("request_id").asString(), n);
    }
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    ids.forEach((name, id) -> byName.put(name, byId.get(id)));
    assertThat(byName.values()).as("every request logged once").doesNotContainNull().hasSize(5);
    assertThat(byId).hasSize(5);
    return new Logged(byName, LogDir.records(router.router().errorLogFile()), router.logDir());
  }

  private String send(String body, int status) {
    HttpResponse<String> r = router.post("/openai/chat/completions", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r.headers().firstValue("x-router-request-id").orElseThrow();
  }

  @Test
  void fullKeepsEveryBodyAndTheMarkersAreThereToFind() {
    Logged log = run(Bodies.FULL);

    // The search below can fail: in full mode it finds both markers in both files.
    assertThat(LogDir.filesContaining(log.dir(), PROMPT)).hasSize(2);
    assertThat(LogDir.filesContaining(log.dir(), ANSWER)).hasSize(2);
    for (JsonNode line : log.lines().values()) {
      assertThat(line.path("request").toString()).contains(PROMPT);
    }
    assertThat(log.line("ok").path("response").toString()).contains(ANSWER);
    assertThat(log.line("stream").path("response").path("content").asString())
        .isEqualTo("here: " + ANSWER);
    assertThat(log.line("broken").path("response").path("content").asString())
        .isEqualTo("here: " + ANSWER);
    assertThat(log.line("rejected").path("response").toString()).contains(PROMPT);
    assertThat(log.line("exhausted").path("attempts").get(0).path("detail").asString())
        .contains(PROMPT);
    assertThat(log.line("exhausted").path("error").asString()).contains(PROMPT);
    assertThat(log.errors()).hasSize(3);
  }

  @Test
  void errorsKeepsBodiesOnlyForTheRecordsOfTheErrorsFile() {
    Logged log = run(Bodies.ERRORS);

    for (String ok : List.of("ok", "stream")) {
      JsonNode line = log.line(ok);
      assertThat(line.has("request")).as(ok).isFalse();
      assertThat(line.has("response")).as(ok).isFalse();
      assertThat(line.toString()).doesNotContain(PROMPT).doesNotContain(ANSWER);
      assertThat(line.path("usage").path("total_tokens").isInt()).as(ok).isTrue();
    }
    assertThat(log.line("stream").path("stream_result").path("completed").asBoolean()).isTrue();

    List<String> failed = new ArrayList<>();
    for (String name : List.of("rejected", "broken", "exhausted")) {
      JsonNode line = log.line(name);
      assertThat(line.path("request").toString()).as(name).contains(PROMPT);
      failed.add(line.path("request_id").asString());
    }
    assertThat(log.line("broken").path("response").path("content").asString())
        .isEqualTo("here: " + ANSWER);
    assertThat(log.line("rejected").path("response").toString()).contains(PROMPT);
    assertThat(log.line("exhausted").path("attempts").get(0).path("detail").asString())
        .contains(PROMPT);
    assertThat(log.line("exhausted").path("error").asString()).contains(PROMPT);
    assertThat(log.errors())
        .extracting(n -> n.path("request_id").asString())
        .containsExactlyInAnyOrderElementsOf(failed);
    assertThat(log.errors()).allSatisfy(n -> assertThat(n.has("request")).isTrue());
  }

  @Test
  void noneWritesNoPromptOrAnswerTextToAnyFileButKeepsTheMetadata() {
    Logged log = run(Bodies.NONE);

    assertThat(LogDir.files(log.dir())).hasSize(2);
    assertThat(LogDir.filesContaining(log.dir(), PROMPT)).isEmpty();
    assertThat(LogDir.filesContaining(log.dir(), ANSWER)).isEmpty();

    for (JsonNode line : log.lines().values()) {
      assertThat(line.has("request")).isFalse();
      assertThat(line.has("response")).isFalse();
      assertThat(line.path("attempts")).isNotEmpty();
      assertThat(line.path("attempts").get(0).has("detail")).isFalse();
    }
    JsonNode ok = log.line("ok");
    assertThat(ok.path("status").asInt()).isEqualTo(200);
    assertThat(ok.path("provider").asString()).isEqualTo("first");
    assertThat(ok.path("usage").path("total_tokens").asInt()).isEqualTo(10);
    JsonNode stream = log.line("stream");
    assertThat(stream.path("stream_result").path("completed").asBoolean()).isTrue();
    assertThat(stream.path("usage").path("total_tokens").isInt()).isTrue();
    JsonNode rejected = log.line("rejected");
    assertThat(rejected.path("status").asInt()).isEqualTo(400);
    assertThat(rejected.path("attempts").get(0).path("status").asInt()).isEqualTo(400);
    JsonNode broken = log.line("broken");
    assertThat(broken.path("stream_result").path("completed").asBoolean()).isFalse();
    assertThat(broken.path("stream_result").path("end").asString()).isEqualTo("upstream_broken");
    JsonNode exhausted = log.line("exhausted");
    assertThat(exhausted.path("status").asInt()).isEqualTo(502);
    assertThat(exhausted.has("error")).as("the router's message quotes the upstream").isFalse();
    assertThat(exhausted.path("attempts").get(0).path("class").asString()).isNotEmpty();
    assertThat(log.errors()).hasSize(3);
  }

  @Test
  void aReloadSwitchesTheModeForTheRecordsWrittenAfterIt() {
    upstream = FakeUpstream.start();
    upstream.always(Reply.openAiOk("here: " + ANSWER));
    router = RouterHarness.builder().openai("first", upstream).start();
    RouterConfig start = router.router().config();
    Path file = router.router().logFile();
    String full = send(CHAT, 200);
    // The setting holds for records written after the reload: let the writer take this one first.
    LogDir.await("1 line written", () -> LogDir.lines(file).size() == 1);

    assertThat(router.router().reload(with(start, Bodies.NONE)).needRestart()).isEmpty();
    String none = send(CHAT, 200);
    String noneFailed = send("not json " + PROMPT, 400);
    LogDir.await("3 lines written", () -> LogDir.lines(file).size() == 3);

    assertThat(router.router().reload(with(start, Bodies.ERRORS)).needRestart()).isEmpty();
    String errorsOk = send(CHAT, 200);
    String errorsFailed = send("not json " + PROMPT, 400);

    router.router().close();
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    for (JsonNode n : LogDir.records(file)) {
      byId.put(n.path("request_id").asString(), n);
    }
    assertThat(byId).hasSize(5);
    assertThat(byId.get(full).path("request").toString()).contains(PROMPT);
    assertThat(byId.get(full).path("response").toString()).contains(ANSWER);
    assertThat(byId.get(none).toString()).doesNotContain(PROMPT).doesNotContain(ANSWER);
    assertThat(byId.get(noneFailed).toString()).doesNotContain(PROMPT);
    assertThat(byId.get(errorsOk).toString()).doesNotContain(PROMPT).doesNotContain(ANSWER);
    assertThat(byId.get(errorsFailed).path("request").asString()).contains(PROMPT);
  }

  private static RouterConfig with(RouterConfig config, Bodies bodies) {
    LoggingSettings logging = config.logging();
    return config.withLogging(logging.withBodies(bodies));
  }
}
