package dev.llmrouter.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Loads and validates the router's JSON config.
 *
 * <p>Every problem in the file is collected and reported at once, each as one line {@code "<path>:
 * <what is wrong>"} (paths like {@code openai[1].priority}), in document order. Strings may contain
 * {@code ${NAME}} references to environment variables. No message ever contains an api key or the
 * value of an environment variable.
 */
public final class ConfigLoader {

  private static final String NO_PROVIDERS =
      "no providers configured (add \"openai\" or \"anthropic\")";

  private ConfigLoader() {}

  /**
   * Reads and validates {@code file} (UTF-8).
   *
   * @param env the variables {@code ${NAME}} references resolve against, usually {@code
   *     System.getenv()}
   * @throws ConfigException listing every problem; an unreadable file gives the single problem
   *     {@code "<file>: cannot read: <reason>"}
   */
  public static RouterConfig load(Path file, Map<String, String> env) throws ConfigException {
    return load(file, env, warning -> {});
  }

  /**
   * The same, handing each warning to {@code warnings} (valid but probably not meant, e.g. {@code
   * "$NAME"} where {@code "${NAME}"} was meant), whether the config is valid or not. Warnings have
   * the form of problems, {@code "<path>: <message>"}, and never contain a secret.
   */
  public static RouterConfig load(Path file, Map<String, String> env, Consumer<String> warnings)
      throws ConfigException {
    Objects.requireNonNull(env, "env");
    String text;
    try {
      text = readText(file);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read: " + readFailure(e)));
    }
    return parse(text, env, warnings);
  }

  /**
   * The {@code logging} section of a config file alone: what {@code stats} needs. The rest is not
   * read, so a key it cannot resolve ({@code ${ENV}} unset, a credentials file it may not read)
   * does not keep an operator from the logs.
   *
   * @throws ConfigException listing the problems of that section (or of reading the file)
   */
  public static LoggingSettings logging(Path file, Map<String, String> env) throws ConfigException {
    String text;
    try {
      text = readText(file);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read: " + readFailure(e)));
    }
    ParseContext ctx = new ParseContext(env);
    Optional<LoggingSettings> logging =
        JsonText.read(text, ctx)
            .flatMap(
                root -> {
                  JsonNode section = root.get("logging");
                  return section == null
                      ? Optional.of(LoggingSettings.in(RouterConfig.DEFAULT_LOG_DIR))
                      : LoggingSection.read("logging", section, ctx);
                });
    ctx.throwIfAny();
    return logging.orElseThrow();
  }

  /**
   * Validates config text.
   *
   * @throws ConfigException listing every problem found
   */
  public static RouterConfig parse(String json, Map<String, String> env) throws ConfigException {
    return parse(json, env, warning -> {});
  }

  /**
   * The same, handing each warning to {@code warnings} (see {@link #load(Path, Map, Consumer)}).
   */
  public static RouterConfig parse(String json, Map<String, String> env, Consumer<String> warnings)
      throws ConfigException {
    Objects.requireNonNull(json, "json");
    ParseContext ctx = new ParseContext(env);
    Optional<RouterConfig> config = JsonText.read(json, ctx).flatMap(root -> root(root, ctx));
    ctx.warnings().forEach(warnings);
    ctx.throwIfAny();
    // A config is only absent after a reported problem, so this cannot throw.
    return config.orElseThrow();
  }

  private static Optional<RouterConfig> root(JsonNode root, ParseContext ctx) {
    if (!root.isObject()) {
      ctx.problem("$", "must be an object");
      return Optional.empty();
    }
    ObjectReader reader = new ObjectReader("$", root, ctx);
    // Editors use "$schema" for completion; it means nothing to the router.
    reader.ignore("$schema");
    var server = reader.key("server", ServerSection::server);
    var logging = reader.key("logging", LoggingSection::read);
    var openai = reader.key("openai", ProviderSection::read);
    var anthropic = reader.key("anthropic", ProviderSection::read);
    reader.read();
    // Entries that are present but broken were already reported; "no providers" would be noise.
    if (!declaresProviders(root.get("openai")) && !declaresProviders(root.get("anthropic"))) {
      ctx.problem("$", NO_PROVIDERS);
    }
    return Optional.of(
        new RouterConfig(
            server.orElse(ServerSettings.defaults()),
            logging.orElse(LoggingSettings.in(RouterConfig.DEFAULT_LOG_DIR)),
            openai.orElse(List.of()),
            anthropic.orElse(List.of())));
  }

  private static boolean declaresProviders(JsonNode list) {
    if (list == null) {
      return false;
    }
    return !list.isArray() || !list.isEmpty();
  }

  /**
   * No config comes near this; a device that never ends ({@code /dev/zero}) would fill the heap.
   */
  static final int MAX_CONFIG_BYTES = 16 << 20;

  /**
   * A config file's text, strict UTF-8, at most {@link #MAX_CONFIG_BYTES}: every reader of the file
   * (the loader, the watcher's look for secret files, the mode check) goes through here.
   */
  public static String readText(Path file) throws IOException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
    }
    if (bytes.length > MAX_CONFIG_BYTES) {
      throw new IOException("larger than " + (MAX_CONFIG_BYTES >> 20) + " MiB: not a config file");
    }
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** A short reason without the path (already in front) or an exception class name. */
  private static String readFailure(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof CharacterCodingException) {
      return "not valid UTF-8 text";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return fse.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  /**
   * The starter config {@code init} writes: every setting at its default value so users can see
   * what exists, keys as {@code ${...}} references so that no secret needs to live in the file, and
   * a backup provider per endpoint to show priority fallback.
   */
  public static String exampleJson() {
    return """
        {
          "server": {
            "host": "127.0.0.1",
            "port": 8000,
            "api_keys": [],
            "max_body_bytes": 33554432,
            "request_timeout": 600,
            "shutdown_grace": 10
          },
          "logging": {
            "dir": "logs",
            "bodies": "full",
            "max_file_mb": 100,
            "keep_files": 0
          },
          "openai": [
            {
              "name": "openai-primary",
              "api_key": "${OPENAI_API_KEY}",
              "base_url": "https://api.openai.com/v1",
              "priority": 1,
              "timeout": 60,
              "max_retries": 1,
              "stream_idle_timeout": 60
            },
            {
              "name": "openai-backup",
              "api_key": "${OPENAI_API_KEY}",
              "base_url": "https://api.openai.com/v1",
              "priority": 2,
              "timeout": 60,
              "max_retries": 1,
              "stream_idle_timeout": 60
            }
          ],
          "anthropic": [
            {
              "name": "anthropic-primary",
              "api_key": "${ANTHROPIC_API_KEY}",
              "base_url": "https://api.anthropic.com",
              "priority": 1,
              "timeout": 60,
              "max_retries": 1,
              "stream_idle_timeout": 60
            },
            {
              "name": "anthropic-backup",
              "api_key": "${ANTHROPIC_API_KEY}",
              "base_url": "https://api.anthropic.com",
              "priority": 2,
              "timeout": 60,
              "max_retries": 1,
              "stream_idle_timeout": 60
            }
          ]
        }
        """;
  }
}
