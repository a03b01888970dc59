package dev.llmrouter.cli;

import static dev.llmrouter.testkit.CliProcess.EXIT;
import static dev.llmrouter.testkit.CliProcess.STARTUP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.CliProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** {@code mock} in its own JVM: both wire formats, each scenario's answer, SSE streams. */
class MockCommandTest {

  /** Groups: OpenAI base URL, its port, Anthropic base URL. */
  private static final Pattern LISTENING =
      Pattern.compile(
          "\\(scenario ([^)]+)\\) listening: OpenAI base_url (http://127\\.0\\.0\\.1:(\\d+)/v1),"
              + " Anthropic base_url (http://\\S+)$");

  private static final Pattern BLANK_LINE = Pattern.compile("\\R\\R");

  private static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
  private static final String MESSAGES =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

  @TempDir Path work;

  /** A started mock and its base URLs, parsed from the line it prints. */
  private record Mock(CliProcess process, String openAi, String anthropic)
      implements AutoCloseable {
    @Override
    public void close() {
      process.close();
    }
  }

  private Mock start(String scenario) {
    CliProcess process = CliProcess.start(work, "mock", "--port", "0", "--scenario", scenario);
    try {
      Matcher m = process.awaitLine(LISTENING, STARTUP);
      assertThat(m.group(1)).isEqualTo(scenario); // as the user typed it
      assertThat(Integer.parseInt(m.group(3))).isPositive();
      // The Anthropic SDK appends /v1/messages to its base URL: same server, no /v1.
      assertThat(m.group(4)).isEqualTo("http://127.0.0.1:" + m.group(3));
      return new Mock(process, m.group(2), m.group(4));
    } catch (AssertionError e) {
      process.close();
      throw e;
    }
  }

  private static void stop(Mock mock) {
    mock.process().terminate();
    assertThat(mock.process().awaitExit(EXIT)).as(mock.process().describe()).isIn(0, 143);
  }

  private static HttpResponse<String> chat(Mock mock, String extra) {
    return Http.post(mock.openAi() + "/chat/completions", CHAT + extra + "}");
  }

  private static HttpResponse<String> messages(Mock mock, String extra) {
    return Http.post(
        mock.anthropic() + "/v1/messages",
        MESSAGES + extra + "}",
        "x-api-key",
        "any",
        "anthropic-version",
        "2023-06-01");
  }

  @Test
  void scenario429AnswersRateLimitsInEachApisShape() {
    try (Mock mock = start("429")) {
      HttpResponse<String> openAi = chat(mock, "");
      assertThat(openAi.statusCode()).isEqualTo(429);
      assertThat(openAi.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(openAi.headers().firstValue("retry-after")).isPresent();
      JsonNode error = Http.json(openAi.body()).path("error");
      assertThat(error.path("type").asString()).isEqualTo("rate_limit_exceeded");
      assertThat(error.path("message").asString()).isNotBlank();
      assertThat(error.has("param")).isTrue();
      assertThat(error.has("code")).isTrue();

      HttpResponse<String> anthropic = messages(mock, "");
      assertThat(anthropic.statusCode()).isEqualTo(429);
      JsonNode body = Http.json(anthropic.body());
      assertThat(body.path("type").asString()).isEqualTo("error");
      assertThat(body.path("error").path("type").asString()).isEqualTo("rate_limit_error");
      assertThat(body.path("error").path("message").asString()).isNotBlank();

      stop(mock);
    }
  }

  @Test
  void scenario503AnswersOverloadedInEachApisShape() {
    try (Mock mock = start("503")) {
      HttpResponse<String> openAi = chat(mock, "");
      assertThat(openAi.statusCode()).isEqualTo(503);
      assertThat(Http.json(openAi.body()).path("error").path("type").asString())
          .isEqualTo("server_error");

      HttpResponse<String> anthropic = messages(mock, "");
      assertThat(anthropic.statusCode()).isEqualTo(503);
      assertThat(Http.json(anthropic.body()).path("error").path("type").asString())
          .isEqualTo("overloaded_error");

      stop(mock);
    }
  }

  @Test
  void scenarioContextAnswersAPromptTooLongThatTheRouterClassifiesAsSuch() {
    try (Mock mock = start("context")) {
      HttpResponse<String> openAi = chat(mock, "");
      assertThat(openAi.statusCode()).isEqualTo(400);
      assertThat(Http.json(openAi.body()).path("error").path("message").asString())
          .contains("maximum context length");
      HttpResponse<String> anthropic = messages(mock, "");
      assertThat(anthropic.statusCode()).isEqualTo(400);
      assertThat(Http.json(anthropic.body()).path("error").path("type").asString())
          .isEqualTo("invalid_request_error");
      stop(mock);
    }
  }

  @Test
  void scenarioOkAnswersCompletionsAndStreams() {
    try (Mock mock = start("ok")) {
      HttpResponse<String> completion = chat(mock, "");
      assertThat(completion.statusCode()).isEqualTo(200);
      JsonNode body = Http.json(completion.body());
      assertThat(body.path("object").asString()).isEqualTo("chat.completion");
      assertThat(body.path("model").asString()).isEqualTo("gpt-4o-mini");
      JsonNode choice = body.path("choices").path(0);
      assertThat(choice.path("message").path("role").asString()).isEqualTo("assistant");
      String text = choice.path("message").path("content").asString();
      assertThat(text).isNotBlank();
      assertThat(choice.path("finish_reason").asString()).isEqualTo("stop");
      assertThat(body.path("usage").path("total_tokens").asInt()).isPositive();

      HttpResponse<String> stream = chat(mock, ",\"stream\":true");
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
      List<String> events = events(stream.body());
      assertThat(events).last().isEqualTo("data: [DONE]");
      StringBuilder streamed = new StringBuilder();
      for (String event : events.subList(0, events.size() - 1)) {
        // OpenAI events are one data line each, with no event: field (PROTOCOLS.md 1.3).
        assertThat(event).startsWith("data: ").doesNotContain("\n");
        JsonNode chunk = Http.json(event.substring("data: ".length()));
        assertThat(chunk.path("object").asString()).isEqualTo("chat.completion.chunk");
        streamed.append(chunk.path("choices").path(0).path("delta").path("content").asString(""));
      }
      assertThat(streamed).hasToString(text);

      stop(mock);
    }
  }

  @Test
  void scenarioOkSpeaksAnthropicMessagesAndItsStream() {
    try (Mock mock = start("ok")) {
      HttpResponse<String> message = messages(mock, "");
      assertThat(message.statusCode()).isEqualTo(200);
      JsonNode body = Http.json(message.body());
      assertThat(body.path("type").asString()).isEqualTo("message");
      assertThat(body.path("model").asString()).isEqualTo("claude-sonnet-4-5");
      assertThat(body.path("content").path(0).path("type").asString()).isEqualTo("text");
      String text = body.path("content").path(0).path("text").asString();
      assertThat(text).isNotBlank();
      assertThat(body.path("stop_reason").asString()).isEqualTo("end_turn");

      HttpResponse<String> stream = messages(mock, ",\"stream\":true");
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(stream.headers().firstValue("content-type")).hasValue("text/event-stream");
      List<String> names = new ArrayList<>();
      StringBuilder streamed = new StringBuilder();
      for (String event : events(stream.body())) {
        // Anthropic: "event: <name>" then "data: <json>" whose type is the name (PROTOCOLS.md 2.3).
        List<String> lines = event.lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("event: ");
        assertThat(lines.get(1)).startsWith("data: ");
        String name = lines.get(0).substring("event: ".length());
        JsonNode data = Http.json(lines.get(1).substring("data: ".length()));
        assertThat(data.path("type").asString()).isEqualTo(name);
        names.add(name);
        if (name.equals("content_block_delta")) {
          streamed.append(data.path("delta").path("text").asString());
        }
      }
      assertThat(names).first().isEqualTo("message_start");
      assertThat(names).last().isEqualTo("message_stop");
      assertThat(names).contains("content_block_start", "content_block_stop", "message_delta");
      assertThat(streamed).hasToString(text);

      stop(mock);
    }
  }

  @Test
  void anUnknownScenarioIsAUsageError() {
    try (CliProcess mock = CliProcess.start(work, "mock", "--port", "0", "--scenario", "nope")) {
      assertThat(mock.awaitExit(STARTUP)).as(mock.describe()).isEqualTo(2);
      assertThat(mock.stderr()).contains("nope");
      assertThat(mock.stdout()).isEmpty();
    }
  }

  /** The SSE events of a complete body, each without its terminating blank line. */
  private static List<String> events(String body) {
    assertThat(body).endsWith("\n\n");
    return BLANK_LINE.splitAsStream(body).filter(e -> !e.isBlank()).toList();
  }
}
