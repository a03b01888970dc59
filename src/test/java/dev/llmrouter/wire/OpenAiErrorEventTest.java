package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which OpenAI stream chunks are error events: the SDKs raise on any chunk with a set "error". */
class OpenAiErrorEventTest {

  private static SseFraming.Event chunk(String data) {
    return new SseFraming.Event(
        ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8), null, data);
  }

  @Test
  void anErrorObjectIsAnErrorWhereverItsKeyStands() {
    assertThat(Api.OPENAI.isErrorEvent(chunk("{\"error\":{\"message\":\"boom\"}}"))).isTrue();
    // OpenRouter after generation started: the key among the chunk's own.
    assertThat(
            Api.OPENAI.isErrorEvent(
                chunk(
                    "{\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"error\" : "
                        + "{\"message\":\"Provider disconnected\",\"code\":502},\"choices\":[]}")))
        .isTrue();
  }

  @Test
  void theWordErrorInTextAFinishReasonOrAnUnsetKeyIsNoError() {
    assertThat(
            Api.OPENAI.isErrorEvent(
                chunk(
                    "{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"an \\\"error\\\": x\"}}]}")))
        .isFalse();
    assertThat(
            Api.OPENAI.isErrorEvent(
                chunk("{\"id\":\"c\",\"choices\":[{\"delta\":{},\"finish_reason\":\"error\"}]}")))
        .isFalse();
    assertThat(Api.OPENAI.isErrorEvent(chunk("{\"id\":\"c\",\"error\":null,\"choices\":[]}")))
        .isFalse();
    assertThat(Api.OPENAI.isErrorEvent(chunk("{\"id\":\"c\",\"error\":false}"))).isFalse();
    assertThat(Api.OPENAI.isErrorEvent(chunk("[DONE]"))).isFalse();
  }
}
