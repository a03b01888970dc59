package dev.llmrouter.mock;

import dev.llmrouter.json.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI {@code POST /embeddings} as the mock answers it (PROTOCOLS.md 7.1): one unit-length vector
 * per input, the same for the same input, of {@code dimensions} numbers (default 1536, as {@code
 * text-embedding-3-small}). With {@code "encoding_format":"base64"}, which both official SDKs send
 * unless told otherwise, each vector is the base64 of its little-endian float32 bytes.
 */
final class MockEmbeddings {

  static final int DEFAULT_DIMENSIONS = 1536;

  /** text-embedding-3-large's size, the most any OpenAI model gives. */
  static final int MAX_DIMENSIONS = 3072;

  /** The API's own limit on inputs per request. */
  static final int MAX_INPUTS = 2048;

  private MockEmbeddings() {}

  static MockReply create(JsonNode request) {
    List<JsonNode> inputs = inputs(request.path("input"));
    if (inputs == null) {
      return invalid(
          "input", "'input' must be a non-empty string, array of strings or array of tokens.");
    }
    if (inputs.size() > MAX_INPUTS) {
      return invalid("input", "'input' must have at most " + MAX_INPUTS + " entries.");
    }
    int dimensions = DEFAULT_DIMENSIONS;
    JsonNode asked = request.path("dimensions");
    if (!asked.isMissingNode() && !asked.isNull()) {
      if (!asked.isIntegralNumber() || asked.asInt() < 1 || asked.asInt() > MAX_DIMENSIONS) {
        return invalid(
            "dimensions", "'dimensions' must be an integer from 1 to " + MAX_DIMENSIONS + ".");
      }
      dimensions = asked.asInt();
    }
    String format = request.path("encoding_format").asString("float");
    if (!format.equals("float") && !format.equals("base64")) {
      return invalid("encoding_format", "'encoding_format' must be 'float' or 'base64'.");
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    for (int i = 0; i < inputs.size(); i++) {
      float[] vector = vector(inputs.get(i), dimensions);
      ObjectNode entry = data.addObject();
      entry.put("object", "embedding");
      entry.put("index", i);
      if (format.equals("base64")) {
        entry.put("embedding", base64(vector));
      } else {
        ArrayNode numbers = entry.putArray("embedding");
        for (float f : vector) {
          numbers.add(f);
        }
      }
    }
    body.put("model", request.path("model").asString("mock-embedding"));
    int tokens = MockTokens.estimate(request.path("input"));
    ObjectNode usage = body.putObject("usage");
    usage.put("prompt_tokens", tokens);
    usage.put("total_tokens", tokens);
    return MockReply.ok(Json.MAPPER.writeValueAsBytes(body));
  }

  /**
   * The separate inputs: a string, or an array of strings, or a token array (one input), or an
   * array of token arrays; null when the input has none of these shapes or an empty entry.
   */
  private static List<JsonNode> inputs(JsonNode input) {
    if (input.isString()) {
      return input.asString().isEmpty() ? null : List.of(input);
    }
    if (!input.isArray() || input.isEmpty()) {
      return null;
    }
    if (input.get(0).isIntegralNumber()) {
      return allTokens(input) ? List.of(input) : null;
    }
    List<JsonNode> inputs = new ArrayList<>(input.size());
    for (JsonNode entry : input) {
      boolean ok =
          entry.isString()
              ? !entry.asString().isEmpty()
              : entry.isArray() && !entry.isEmpty() && allTokens(entry);
      if (!ok) {
        return null;
      }
      inputs.add(entry);
    }
    return inputs;
  }

  private static boolean allTokens(JsonNode array) {
    for (JsonNode token : array) {
      if (!token.isIntegralNumber()) {
        return false;
      }
    }
    return true;
  }

  /** A unit vector seeded by the input, so the same input always gets the same embedding. */
  static float[] vector(JsonNode input, int dimensions) {
    SplittableRandom random = new SplittableRandom(input.toString().hashCode());
    float[] v = new float[dimensions];
    double norm = 0;
    for (int i = 0; i < dimensions; i++) {
      double x = random.nextDouble(-1, 1);
      v[i] = (float) x;
      norm += x * x;
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dimensions; i++) {
      v[i] *= scale;
    }
    return v;
  }

  /** The float32s little-endian, in base64: what the SDKs decode (PROTOCOLS.md 7.1). */
  static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES);
    bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(vector);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private static MockReply invalid(String param, String message) {
    return new MockReply.Complete(
        400, MockBodies.openAiError(message, "invalid_request_error", param, null));
  }
}
