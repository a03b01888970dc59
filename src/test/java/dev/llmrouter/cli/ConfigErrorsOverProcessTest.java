package dev.llmrouter.cli;

import static dev.llmrouter.testkit.CliProcess.EXIT;
import static dev.llmrouter.testkit.CliProcess.STARTUP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.CliProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config mistakes met at start-up, in a real process: a missing file, a JSON slip, an empty or
 * unset variable, {@code $NAME} for {@code ${NAME}}, a key by another tool's name. Each says what
 * and where; a start that fails exits 1 and leaves no file.
 */
class ConfigErrorsOverProcessTest {

  @TempDir Path work;

  /** The config text as written, with the provider and logs every test shares. */
  private Path config(String provider) throws IOException {
    Path file = work.resolve("config.json");
    Files.writeString(
        file,
        """
        {
          "server": {"port": 0},
          "logging": {"dir": "logs"},
          "openai": [
            {%s}
          ]
        }
        """
            .formatted(provider));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @Test
  void aMissingConfigNamesThePathLookedForAndSuggestsInit() throws IOException {
    CliProcess serve = FailedStart.run(work, "serve");

    assertThat(serve.stderr())
        .contains("no config file at " + work.resolve("llm_router_config.json"))
        .contains("Write a starter config with 'llm-api-router init'");
  }

  @Test
  void aTrailingCommaIsNamedAtTheComma() throws IOException {
    Path config = config("\"api_key\": \"sk-0123456789abcdef\", \"base_url\": \"http://x\",");

    CliProcess serve = FailedStart.run(work, "serve", "--config", "" + config);

    assertThat(serve.stderr())
        .contains(
            "$: invalid JSON at line 5, column 62: trailing comma (remove it: JSON allows no"
                + " comma after the last entry)");
  }

  @Test
  void aSetButEmptyVariableIsReportedAsEmptyAndAnUnsetOneAsNotSet() throws IOException {
    Path config = config("\"api_key\": \"${OPENAI_API_KEY}\", \"base_url\": \"${ROUTER_BASE}\"");

    CliProcess serve =
        FailedStart.run(
            work, List.of(), Map.of("OPENAI_API_KEY", ""), "serve", "--config", "" + config);

    assertThat(serve.stderr())
        .contains("openai[0].api_key: environment variable OPENAI_API_KEY is empty")
        .contains("openai[0].base_url: environment variable ROUTER_BASE is not set")
        .doesNotContain("required");
  }

  @Test
  void aKeyByAnotherToolsNameGetsOurs() throws IOException {
    Path config =
        config(
            "\"api_key\": \"sk-0123456789abcdef\", \"base_url\": \"http://x\", \"retries\": 2,"
                + " \"timeout_seconds\": 30");

    CliProcess serve = FailedStart.run(work, "serve", "--config", "" + config);

    assertThat(serve.stderr())
        .contains("openai[0].retries: unknown key (did you mean 'max_retries'?)")
        .contains("openai[0].timeout_seconds: unknown key (did you mean 'timeout'?)");
  }

  private static final String DOLLAR_WARNING =
      "llm-api-router: warning: openai[0].api_key: did you mean ${ROUTER_TEST_KEY}?";

  @Test
  void aDollarNameWithoutBracesIsWarnedAboutByCheck() throws IOException {
    Path config = config("\"api_key\": \"$ROUTER_TEST_KEY\", \"base_url\": \"http://127.0.0.1:9\"");

    try (CliProcess check = CliProcess.start(work, "check", "--config", "" + config)) {
      assertThat(check.awaitExit(STARTUP)).as(check.describe()).isZero();
      assertThat(check.stderr()).contains(DOLLAR_WARNING);
      assertThat(check.stdout()).contains(config + ": valid");
    }
  }

  @Test
  void aDollarNameWithoutBracesIsWarnedAboutAtStartUp() throws IOException {
    Path config = config("\"api_key\": \"$ROUTER_TEST_KEY\", \"base_url\": \"http://127.0.0.1:9\"");

    try (CliProcess serve = CliProcess.start(work, "serve", "--config", "" + config)) {
      serve.awaitLine(Pattern.compile("listening on http://127\\.0\\.0\\.1:\\d+"), STARTUP);
      serve.terminate();
      assertThat(serve.awaitExit(EXIT)).as(serve.describe()).isIn(0, 143);
      // Read after the exit: stderr has its own reader, which may lag behind stdout's.
      assertThat(serve.stderr()).contains(DOLLAR_WARNING);
    }
  }
}
