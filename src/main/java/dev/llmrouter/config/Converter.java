package dev.llmrouter.config;

import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Turns one JSON value into a typed value, or reports why it cannot (and returns empty). Converters
 * report their own problems so that messages can be specific to the key.
 */
@FunctionalInterface
interface Converter<T> {
  Optional<T> convert(String path, JsonNode value, ParseContext ctx);
}
