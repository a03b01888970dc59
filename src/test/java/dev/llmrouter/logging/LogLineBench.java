package dev.llmrouter.logging;

import dev.llmrouter.bench.HotPathBench;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The log writer's cases of {@link HotPathBench}: one request's line for a chat request and answer,
 * with the bodies parsed and re-generated (not known to be JSON) and copied as they are (proven
 * JSON by the request's field reader and the failure classifier): issue 16.
 */
public final class LogLineBench {

  private LogLineBench() {}

  public static void run(String filter) throws Throwable {
    RecordSerializer serializer =
        new RecordSerializer(new Redactor(List.of("bench-key-openai-0000001")));
    byte[] request =
        utf8(
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a"
                + " helpful assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one short"
                + " sentence.\"}],\"max_tokens\":64,\"temperature\":0.2}");
    byte[] response =
        utf8(
            "{\"id\":\"chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG\",\"object\":\"chat.completion\","
                + "\"created\":1741570283,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How can I help you"
                + " today?\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":"
                + "\"stop\"}],\"usage\":{\"prompt_tokens\":27,\"completion_tokens\":10,\"total_tokens\":37,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
                + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
                + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
                + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\"}");
    RequestRecord parsed = RecordSerializerTest.record(request, response, false);
    RequestRecord copied = RecordSerializerTest.record(request, response, true);
    HotPathBench.run(
        filter,
        "log line, chat, bodies parsed (" + response.length + " B answer)",
        () -> serializer.line(parsed).length);
    HotPathBench.run(
        filter,
        "log line, chat, bodies copied (" + response.length + " B answer)",
        () -> serializer.line(copied).length);
    HotPathBench.run(
        filter,
        "log line, chat, no bodies (" + response.length + " B answer)",
        () -> serializer.line(copied, false).length);

    // Issue 15: an embeddings answer is ~8 KB of base64 that every secret scan walks.
    byte[] embeddingsRequest =
        utf8(
            "{\"model\":\"text-embedding-3-small\",\"input\":\"Say hello in one short"
                + " sentence.\",\"encoding_format\":\"base64\"}");
    byte[] embeddings = embeddingsAnswer(1536);
    Redactor redactor = new Redactor(List.of("bench-key-openai-0000001"));
    HotPathBench.run(
        filter,
        "Redactor.redact, embeddings answer (" + embeddings.length + " B)",
        () -> redactor.redact(embeddings).length);
    RequestRecord embeddingsRecord =
        RecordSerializerTest.record(embeddingsRequest, embeddings, true);
    HotPathBench.run(
        filter,
        "log line, embeddings, bodies copied (" + embeddings.length + " B answer)",
        () -> serializer.line(embeddingsRecord).length);
  }

  /** An OpenAI embeddings answer with {@code dimensions} floats in base64, as the mock sends. */
  private static byte[] embeddingsAnswer(int dimensions) {
    java.nio.ByteBuffer floats =
        java.nio.ByteBuffer.allocate(dimensions * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < dimensions; i++) {
      floats.putFloat((float) random.nextGaussian() * 0.05f);
    }
    return utf8(
        "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":\""
            + java.util.Base64.getEncoder().encodeToString(floats.array())
            + "\"}],\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":8,"
            + "\"total_tokens\":8}}");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
