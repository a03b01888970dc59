package dev.llmrouter.security;

import static dev.llmrouter.security.HostileInput.CHAT;
import static dev.llmrouter.security.HostileInput.assertServesValid;
import static dev.llmrouter.security.HostileInput.hasStackTrace;
import static dev.llmrouter.security.HostileInput.logged;
import static dev.llmrouter.security.HostileInput.post;
import static dev.llmrouter.security.HostileInput.withField;
import static dev.llmrouter.testkit.RouterHarness.ANTHROPIC_MESSAGES;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.security.HostileInput.Hostile;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Hostile request bodies: not JSON, not an object, or a {@code stream} that is not a boolean. Sent
 * raw they get a 4xx (see {@link HostileInput}); sent by a client, the provider's own 400.
 */
class HostileBodyTest {

  private static final String MESSAGES = "/anthropic/v1/messages";

  @RegisterExtension static final HostileInputFixture FIXTURE = new HostileInputFixture();

  static List<Hostile> hostile() {
    String ok = OPENAI_CHAT;
    List<Hostile> all = new ArrayList<>();

    // Bodies the router refuses itself (more of them, in both dialects, below).
    all.add(
        logged(
            "raw NUL inside a JSON string",
            post("POST", CHAT, "", "{\"model\":\"gpt\0\",\"messages\":[]}"),
            400));
    all.add(logged("invalid JSON body", post("POST", CHAT, "", "{\"model\":"), 400));
    all.add(logged("empty body", post("POST", CHAT, "", ""), 400));
    all.add(logged("JSON array body", post("POST", CHAT, "", "[" + ok + "]"), 400));
    all.add(
        logged(
            "stream as a string",
            post("POST", CHAT, "", withField(ok, "stream", "\"true\"")),
            400));
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void hostileBytesAreRefusedAndTheRouterServesRightAfter(Hostile c) {
    FIXTURE.assertRefusedAndServesRightAfter(c);
  }

  // ---------------------------------------------------------------- bodies: native 400s

  static Stream<Arguments> badBodies() {
    List<String> notJson =
        List.of(
            "{\"model\":",
            "{model:\"gpt-4o-mini\"}",
            "{\"model\":\"gpt-4o-mini\",}",
            "not json",
            "{\"model\":\"x\"}}",
            "{}{}",
            "{\"model\":\"\u0000\"}");
    List<String> notAnObject =
        List.of("[]", "[{\"model\":\"x\"}]", "\"text\"", "42", "null", "true");
    List<String> badStream = List.of("\"true\"", "\"false\"", "1", "0", "{}", "[]", "\"yes\"");
    List<Arguments> out = new ArrayList<>();
    for (String path : List.of(CHAT, MESSAGES)) {
      String valid = path.equals(CHAT) ? OPENAI_CHAT : ANTHROPIC_MESSAGES;
      out.add(Arguments.of(path, "(empty)", ""));
      notJson.forEach(b -> out.add(Arguments.of(path, b, b)));
      notAnObject.forEach(b -> out.add(Arguments.of(path, b, b)));
      badStream.forEach(
          s -> out.add(Arguments.of(path, "stream " + s, withField(valid, "stream", s))));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badBodies")
  void bodiesThatAreNotAJsonObjectWithABooleanStreamGetANative400(
      String path, String label, String body) {
    int upstreamBefore = FIXTURE.fake().requestCount();

    HttpResponse<String> r = FIXTURE.router().post(path, body);

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = Json.MAPPER.readTree(r.body());
    if (path.equals(CHAT)) {
      assertThat(error.path("error").path("type").asString()).isEqualTo("invalid_request_error");
    } else {
      assertThat(error.path("type").asString()).isEqualTo("error");
      assertThat(error.path("error").path("type").asString()).isEqualTo("invalid_request_error");
    }
    assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
    assertThat(hasStackTrace(r.body())).as(r.body()).isFalse();
    assertThat(FIXTURE.fake().requestCount()).as("upstream calls").isEqualTo(upstreamBefore);
    assertServesValid(FIXTURE.router());
  }

  @Test
  void aNullStreamIsTheSameAsNoStream() {
    // The OpenAI schema declares stream nullable; null is the one non-boolean that is accepted.
    HttpResponse<String> r = FIXTURE.router().post(CHAT, withField(OPENAI_CHAT, "stream", "null"));

    assertThat(r.statusCode()).isEqualTo(200);
  }
}
