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
    RequestRecord parsed = record(request, response, false);
    RequestRecord copied = record(request, response, true);
    HotPathBench.run(
        filter,
        "log line, chat, bodies parsed (" + response.length + " B answer)",
        () -> serializer.line(parsed).length);
    HotPathBench.run(
        filter,
        "log line, chat, bodies copied (" + response.length + " B answer)",
        () -> serializer.line(copied).length);
  }

  private static RequestRecord record(byte[] request, byte[] response, boolean knownJson) {
    return new RequestRecord(
        "req_0123456789abcdef",
        1_764_000_000_000L,
        1234,
        "openai",
        "POST",
        "/openai/v1/chat/completions",
        "gpt-4o-mini",
        false,
        200,
        "mock-ok",
        List.of(),
        request,
        response,
        knownJson,
        knownJson,
        null,
        null,
        null,
        64L << 20,
        null);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
