package dev.llmrouter.config;

import dev.llmrouter.config.LoggingSettings.Bodies;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The {@code "logging"} section; every key is optional. */
final class LoggingSection {

  /** Far beyond any disk, and small enough that the size in bytes never overflows a long. */
  static final long MAX_FILE_MB = 1_000_000_000L;

  private static final String BODIES = "must be one of \"full\", \"errors\", \"none\"";

  private LoggingSection() {}

  static Optional<LoggingSettings> read(String path, JsonNode json, ParseContext ctx) {
    if (!json.isObject()) {
      ctx.problem(path, "must be an object");
      return Optional.empty();
    }
    ObjectReader reader = new ObjectReader(path, json, ctx);
    var dir = reader.key("dir", Values.text("must be a non-empty string"));
    var bodies = reader.key("bodies", LoggingSection::bodies);
    var maxFileMb = reader.key("max_file_mb", atLeast(1, MAX_FILE_MB));
    var keepFiles = reader.key("keep_files", atLeast(0, Integer.MAX_VALUE));
    reader.read();
    LoggingSettings defaults = LoggingSettings.in(RouterConfig.DEFAULT_LOG_DIR);
    return toPath(dir.orElse(defaults.dir().toString()), ParseContext.child(path, "dir"), ctx)
        .map(
            d ->
                new LoggingSettings(
                    d,
                    bodies.orElse(defaults.bodies()),
                    maxFileMb.value().map(mb -> mb << 20).orElse(defaults.maxFileBytes()),
                    keepFiles.orElse((long) defaults.keepFiles()).intValue()));
  }

  private static Optional<Bodies> bodies(String path, JsonNode json, ParseContext ctx) {
    if (json.isString()) {
      for (Bodies b : Bodies.values()) {
        if (b.configName().equals(json.stringValue())) {
          return Optional.of(b);
        }
      }
    }
    ctx.problem(path, BODIES);
    return Optional.empty();
  }

  /** A JSON integer from {@code min}; a value past {@code max} gets its own message. */
  private static Converter<Long> atLeast(long min, long max) {
    return (path, json, ctx) -> {
      if (!json.isIntegralNumber()
          || json.bigIntegerValue().compareTo(BigInteger.valueOf(min)) < 0) {
        ctx.problem(path, "must be an integer >= " + min);
        return Optional.empty();
      }
      if (json.bigIntegerValue().compareTo(BigInteger.valueOf(max)) > 0) {
        ctx.problem(path, "must be at most " + max);
        return Optional.empty();
      }
      return Optional.of(json.longValue());
    };
  }

  private static Optional<Path> toPath(String dir, String path, ParseContext ctx) {
    try {
      return Optional.of(Path.of(dir));
    } catch (InvalidPathException e) {
      ctx.problem(path, "must be a valid path");
      return Optional.empty();
    }
  }
}
