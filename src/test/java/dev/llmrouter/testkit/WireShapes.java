package dev.llmrouter.testkit;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The shapes {@link Reply} and {@link Sse} share: the providers' error bodies, their id formats and
 * the models the fakes answer as, as the real APIs write them.
 */
final class WireShapes {

  private WireShapes() {}

  /** Shared mapper for every JSON body the test kit builds. */
  static final JsonMapper JSON = JsonMapper.shared();

  static final String OPENAI_MODEL = "gpt-4o-mini";
  static final String ANTHROPIC_MODEL = "claude-sonnet-4-5-20250929";

  static ObjectNode openAiErrorNode(String type, String code, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return root;
  }

  static ObjectNode anthropicErrorNode(String type, String message) {
    ObjectNode root = JSON.createObjectNode();
    root.put("type", "error");
    ObjectNode error = root.putObject("error");
    error.put("type", type);
    error.put("message", message);
    return root;
  }

  static String chatCompletionId() {
    return "chatcmpl-" + randomAlnum(29);
  }

  static String messageId() {
    return "msg_01" + randomAlnum(22);
  }

  static String requestId() {
    byte[] b = new byte[12];
    ThreadLocalRandom.current().nextBytes(b);
    return "req_" + HexFormat.of().formatHex(b);
  }

  private static String randomAlnum(int n) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder(n);
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
