package dev.llmrouter.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * Anthropic Messages requests toward OpenAI models: what the reasoning models take of the output
 * limit, sampling and stop sequences ({@link OpenAiModels}), and structured outputs ({@link
 * StructuredOutput}).
 */
class OpenAiModelsTest {

  @ParameterizedTest
  @CsvSource({
    "gpt-4o, max_tokens",
    "deepseek-chat, max_tokens",
    "o1, max_completion_tokens",
    "o3-mini, max_completion_tokens",
    "o4-mini-2025-04-16, max_completion_tokens",
    "gpt-5.1, max_completion_tokens",
    "GPT-5-mini, max_completion_tokens",
  })
  void reasoningModelsGetMaxCompletionTokens(String model, String field) throws Exception {
    JsonNode out =
        MessagesViaChatRequestTest.translate(
            "{\"model\":\"m\",\"max_tokens\":333,\"messages\":[]}", model);
    assertThat(out.get(field).asInt()).isEqualTo(333);
    assertThat(out.has(field.equals("max_tokens") ? "max_completion_tokens" : "max_tokens"))
        .isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "gpt-4o, 0.2, 0.9, true",
    "deepseek-chat, 0.2, 0.9, true",
    "o3-mini, 0.2, 0.9, false",
    "gpt-5.1, 0.2, 0.9, false",
    "o1, 1, 1.0, true",
  })
  void reasoningModelsGetOnlyTheDefaultSampling(
      String model, double temperature, double topP, boolean kept) throws Exception {
    // They answer 400 unsupported_value to anything but 1 (PROTOCOLS.md 5.1): left out.
    JsonNode out =
        MessagesViaChatRequestTest.translate(
            "{\"model\":\"m\",\"max_tokens\":3,\"messages\":[],\"temperature\":"
                + temperature
                + ",\"top_p\":"
                + topP
                + "}",
            model);
    assertThat(out.has("temperature")).isEqualTo(kept);
    assertThat(out.has("top_p")).isEqualTo(kept);
    if (kept) {
      assertThat(out.get("temperature").asDouble()).isEqualTo(temperature);
    }
  }

  @ParameterizedTest
  @CsvSource({"gpt-4o, true", "gpt-5.1, true", "o3-mini, false", "o4-mini, false"})
  void o3AndO4MiniTakeNoStopSequences(String model, boolean translatable) throws Exception {
    String body = "{\"model\":\"m\",\"max_tokens\":3,\"messages\":[],\"stop_sequences\":[\"X\"]}";
    if (translatable) {
      assertThat(MessagesViaChatRequestTest.translate(body, model).get("stop"))
          .isEqualTo(MessagesViaChatRequestTest.json("[\"X\"]"));
    } else {
      // Without them the answer would run on past the stop: another provider serves it.
      assertThatThrownBy(() -> MessagesViaChatRequestTest.translate(body, model))
          .isInstanceOf(Translator.NotTranslatable.class)
          .hasMessageContaining("stop sequences");
    }
  }
}
