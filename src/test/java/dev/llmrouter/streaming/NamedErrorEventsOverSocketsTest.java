package dev.llmrouter.streaming;

import static dev.llmrouter.testkit.RouterHarness.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.Family;
import dev.llmrouter.json.Json;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import dev.llmrouter.testkit.Sse;
import dev.llmrouter.testkit.SseClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A Chat stream's event named {@code error} after the commit (openai-node throws on the name,
 * openai-python only on an {@code error} key): it reaches the client as an error both read, in the
 * client's own API when translated, whatever its data, and never as a silent end.
 */
class NamedErrorEventsOverSocketsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CHAT_STREAM =
      "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String MESSAGES_STREAM =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"stream\":true,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String FLAT =
      "event: error\ndata: {\"message\":\"flat boom\",\"type\":\"server_error\",\"code\":\"internal\"}";

  private final FakeUpstream upstream = FakeUpstream.start();
  private RouterHarness router;

  @AfterEach
  void stop() {
    if (router != null) {
      router.close();
    }
    upstream.close();
  }

  /** The answer's first two chunks, then {@code error}. */
  private static List<String> midStream(String error) {
    List<String> events = new ArrayList<>(Sse.openAi("Hel", "lo").subList(0, 2));
    events.add(error);
    return events;
  }

  private List<String> stream(String path, String body) {
    try (SseClient client = SseClient.post(router.uri(path), body)) {
      return client.rest(WAIT);
    }
  }

  private static JsonNode data(String event) {
    return Json.MAPPER.readTree(event.substring(event.indexOf("data: ") + 6));
  }

  @Test
  void aFlatOneReachesAnOpenAiClientNestedAsBothSdksReadIt() {
    upstream.always(Reply.sse(midStream(FLAT)));
    router = RouterHarness.builder().openai(provider("p", upstream.baseUrl() + "/v1")).start();

    List<String> got = stream("/openai/v1/chat/completions", CHAT_STREAM);

    String last = got.getLast();
    assertThat(last).startsWith("event: error\ndata: ");
    assertThat(data(last).path("error").path("message").asString()).isEqualTo("flat boom");
    assertThat(data(last).path("error").path("type").asString()).isEqualTo("server_error");
    assertThat(data(last).path("error").path("code").asString()).isEqualTo("internal");
    assertThat(got).hasSize(3);
    JsonNode record = Json.MAPPER.readTree(router.closeAndReadLog().getFirst());
    assertThat(record.path("stream_result").path("end").asString()).isEqualTo("upstream_error");
  }

  @Test
  void oneWithoutDataEndsTheStreamWithAnErrorNotARouterFailure() {
    upstream.always(Reply.sse(midStream("event: error")));
    router = RouterHarness.builder().openai(provider("p", upstream.baseUrl() + "/v1")).start();

    List<String> got = stream("/openai/v1/chat/completions", CHAT_STREAM);

    assertThat(data(got.getLast()).path("error").path("message").asString()).isNotEmpty();
    JsonNode record = Json.MAPPER.readTree(router.closeAndReadLog().getFirst());
    assertThat(record.path("stream_result").path("end").asString()).isEqualTo("upstream_error");
  }

  @Test
  void plainTextDataIsTheMessageForBothApis() {
    upstream.always(Reply.sse(midStream("event: error\ndata: upstream exploded")));
    router =
        RouterHarness.builder()
            .openai(provider("p", upstream.baseUrl() + "/v1"))
            .anthropic(provider("q", upstream.baseUrl() + "/v1").withApi(Family.OPENAI))
            .start();

    String openAi = stream("/openai/v1/chat/completions", CHAT_STREAM).getLast();
    String anthropic = stream("/anthropic/v1/messages", MESSAGES_STREAM).getLast();

    assertThat(data(openAi).path("error").path("message").asString())
        .isEqualTo("upstream exploded");
    assertThat(data(anthropic).path("error").path("message").asString())
        .isEqualTo("upstream exploded");
  }

  @Test
  void anAnthropicClientOfAnOpenAiProviderGetsItsOwnErrorEvent() {
    upstream.always(Reply.sse(midStream(FLAT)));
    router =
        RouterHarness.builder()
            .anthropic(provider("p", upstream.baseUrl() + "/v1").withApi(Family.OPENAI))
            .start();

    List<String> got = stream("/anthropic/v1/messages", MESSAGES_STREAM);

    String last = got.getLast();
    assertThat(last).startsWith("event: error\ndata: ");
    assertThat(data(last).path("type").asString()).isEqualTo("error");
    assertThat(data(last).path("error").path("message").asString()).isEqualTo("flat boom");
    assertThat(got).noneMatch(e -> e.startsWith("event: message_stop"));
  }
}
