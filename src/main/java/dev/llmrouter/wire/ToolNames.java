package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Tool names across the APIs: Anthropic takes up to 128 characters ({@code
 * ^[a-zA-Z0-9_-]{1,128}$}), OpenAI 64 (400 "Invalid 'tools[0].function.name': string too long"),
 * and Claude Code's MCP tools pass 64 ({@code
 * mcp__plugin_chrome-devtools-mcp_chrome-devtools__performance_analyze_insight}). A longer name
 * goes to an OpenAI-API provider shortened, the same way every time (its first 55 characters,
 * {@code _} and 8 hex digits of its hash), and the provider's call of the shortened name comes back
 * under the client's own name, found again among the request's tools.
 */
final class ToolNames {

  private ToolNames() {}

  /** The longest function name OpenAI takes. */
  static final int OPENAI_MAX = 64;

  private static final int KEPT = OPENAI_MAX - 9;

  /** The name an OpenAI-API provider is sent for {@code name}: itself when it fits. */
  static String forOpenAi(String name) {
    return shortened(name, OPENAI_MAX);
  }

  /**
   * {@code s} when it has at most {@code max} characters; else its first {@code max - 9}, {@code _}
   * and 8 hex digits of its SHA-256: the same every time, and two long ones that share their start
   * still differ.
   */
  static String shortened(String s, int max) {
    if (s.length() <= max) {
      return s;
    }
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    return s.substring(0, max - 9) + '_' + HexFormat.of().formatHex(hash, 0, 4);
  }

  /**
   * The client's own name for a name an OpenAI-API provider called: the request tool whose
   * shortened name it is, or the name itself (a name that fits is never shortened, so the request
   * is read only for a name of exactly 64 characters).
   *
   * @param clientRequest the client's Messages request; null: the name as it is
   */
  static String original(String name, byte[] clientRequest) {
    if (name.length() != OPENAI_MAX || clientRequest == null || name.charAt(KEPT) != '_') {
      return name;
    }
    try {
      for (JsonNode tool : Json.MAPPER.readTree(clientRequest).path("tools")) {
        String own = tool.path("name").asString("");
        if (own.length() > OPENAI_MAX && forOpenAi(own).equals(name)) {
          return own;
        }
      }
    } catch (JacksonException e) {
      // not a request this router translated: the name as it is
    }
    return name;
  }
}
