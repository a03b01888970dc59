package dev.llmrouter.wire;

import dev.llmrouter.json.Json;
import dev.llmrouter.wire.Translator.NotTranslatable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON-schema answer asked for in one API, asked for in the other: Chat Completions' {@code
 * response_format: {type: json_schema, json_schema: {name, schema, strict}}} and Messages' {@code
 * output_config: {format: {type: json_schema, schema}}} (structured outputs; the beta had it as a
 * top-level {@code output_format}). Both constrain the answer to the schema, and the answer comes
 * back as the text of the message either way, so the client's parse works unchanged. Dropped, the
 * request would come back as prose the client's parse fails on; what has no counterpart is refused.
 */
final class StructuredOutput {

  private static final String FORMAT = "output_config.format";

  private StructuredOutput() {}

  /**
   * A Messages request's schema as the Chat Completions {@code response_format} of {@code out};
   * nothing when it asks for none. Strict, as Messages' structured outputs always are.
   */
  static void toChat(JsonNode messagesRequest, ObjectNode out) throws NotTranslatable {
    JsonNode format = messagesRequest.path("output_config").path("format");
    String field = FORMAT;
    if (format.isMissingNode() || format.isNull()) {
      format = messagesRequest.path("output_format");
      field = "output_format";
    }
    if (format.isMissingNode() || format.isNull()) {
      return;
    }
    JsonNode schema = format.path("schema");
    if (!"json_schema".equals(format.path("type").asString("")) || !schema.isObject()) {
      throw new NotTranslatable(field, "only a json_schema format has a Chat Completions match");
    }
    ObjectNode jsonSchema = out.putObject("response_format").put("type", "json_schema");
    jsonSchema = jsonSchema.putObject("json_schema");
    jsonSchema.put("name", "output");
    jsonSchema.set("schema", schema);
    jsonSchema.put("strict", true);
  }

  /**
   * A Chat Completions request's {@code response_format} as the Messages {@code output_config} of
   * {@code out}; nothing for {@code text} or none. {@code json_object} (any JSON, no schema) has no
   * Messages counterpart: refused.
   */
  static void toMessages(JsonNode chatRequest, ObjectNode out) throws NotTranslatable {
    JsonNode format = chatRequest.path("response_format");
    String type = format.path("type").asString("text");
    if (type.equals("text")) {
      return;
    }
    JsonNode schema = format.path("json_schema").path("schema");
    if (!type.equals("json_schema") || !schema.isObject()) {
      throw new NotTranslatable(
          "response_format", "Anthropic Messages takes a JSON schema, not a " + type + " format");
    }
    ObjectNode outputFormat = Json.MAPPER.createObjectNode().put("type", "json_schema");
    outputFormat.set("schema", schema);
    out.putObject("output_config").set("format", outputFormat);
  }
}
