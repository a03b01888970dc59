package dev.llmrouter.config;

import static dev.llmrouter.config.ConfigTesting.OK;
import static dev.llmrouter.config.ConfigTesting.json;
import static dev.llmrouter.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.llmrouter.testkit.ConsoleCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the loader suggests: a known key for an unknown one (near in spelling, or a name other tools
 * use), and {@code ${NAME}} for a value written {@code $NAME}.
 */
class ConfigHintsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {'openai': [{'retries': 2, %s}]}                | openai[0].retries: unknown key (did you mean 'max_retries'?)
          {'openai': [{'Retries': 2, %s}]}                | openai[0].Retries: unknown key (did you mean 'max_retries'?)
          {'openai': [{'max_retrys': 2, %s}]}             | openai[0].max_retrys: unknown key (did you mean 'max_retries'?)
          {'openai': [{'timeout_seconds': 9, %s}]}        | openai[0].timeout_seconds: unknown key (did you mean 'timeout'?)
          {'server': {'timeout_seconds': 9}, 'openai': [{%s}]} | server.timeout_seconds: unknown key (did you mean 'request_timeout'?)
          {'server': {'timeout': 9}, 'openai': [{%s}]}    | server.timeout: unknown key (did you mean 'request_timeout'?)
          {'openai': [{'request_timeout': 9, %s}]}        | openai[0].request_timeout: unknown key (did you mean 'timeout'?)
          {'openai': [{'url': 'https://x', %s}]}          | openai[0].url: unknown key (did you mean 'base_url'?)
          {'openai': [{'idle_timeout': 9, %s}]}           | openai[0].idle_timeout: unknown key (did you mean 'stream_idle_timeout'?)
          {'logging': {'path': 'logs'}, 'openai': [{%s}]} | logging.path: unknown key (did you mean 'dir'?)
          {'openai': [{'tiemout': 9, %s}]}                | openai[0].tiemout: unknown key (did you mean 'timeout'?)
          {'openai': [{'retries_on_fail': 2, %s}]}        | openai[0].retries_on_fail: unknown key
          {'logging': {'retries': 2}, 'openai': [{%s}]}   | logging.retries: unknown key
          """)
  void anUnknownKeyGetsTheKnownKeyItProbablyMeans(String config, String expected) {
    assertThat(problems(config.formatted(OK))).containsExactly(expected);
  }

  @Test
  void theDistanceCountsEditsAndSwaps() {
    assertThat(ObjectReader.distance("timeout", "timeout")).isZero();
    assertThat(ObjectReader.distance("tiemout", "timeout")).isEqualTo(1);
    assertThat(ObjectReader.distance("max_retrys", "max_retries")).isEqualTo(2);
    assertThat(ObjectReader.distance("retries", "max_retries")).isEqualTo(4);
  }

  private static List<String> warnings(String singleQuoted, Map<String, String> env)
      throws ConfigException {
    List<String> warnings = new ArrayList<>();
    ConfigLoader.parse(json(singleQuoted), env, warnings::add);
    return warnings;
  }

  @Test
  void aValueThatIsADollarAndANameIsWarnedAboutButTakenLiterally() throws Exception {
    List<String> warnings = new ArrayList<>();
    RouterConfig config =
        ConfigLoader.parse(
            json("{'openai': [{'api_key': '$OPENAI_API_KEY', 'base_url': 'https://x'}]}"),
            Map.of("OPENAI_API_KEY", "sk-the-real-key-0123456789"),
            warnings::add);

    assertThat(config.openai().get(0).apiKey()).isEqualTo("$OPENAI_API_KEY");
    assertThat(warnings)
        .containsExactly(
            "openai[0].api_key: did you mean ${OPENAI_API_KEY}? \"$OPENAI_API_KEY\" is taken"
                + " literally; only ${NAME} reads an environment variable")
        .noneMatch(w -> w.contains("sk-the-real-key"));
  }

  @Test
  void everyStringValueIsCheckedHeadersIncluded() throws Exception {
    assertThat(
            warnings(
                "{'logging': {'dir': '$LOGS'}, 'openai': [{'api_key': 'k', 'base_url':"
                    + " 'https://x', 'headers': {'X-Org': '$ORG_ID'}}]}",
                Map.of()))
        .containsExactly(
            "logging.dir: did you mean ${LOGS}? \"$LOGS\" is taken literally; only ${NAME} reads"
                + " an environment variable",
            "openai[0].headers.X-Org: did you mean ${ORG_ID}? \"$ORG_ID\" is taken literally;"
                + " only ${NAME} reads an environment variable");
  }

  @Test
  void aLowerCaseNameIsWarnedAboutOnlyWhenTheEnvironmentHasIt() throws Exception {
    String config = "{'openai': [{'api_key': '$my_key', 'base_url': 'https://x'}]}";

    assertThat(warnings(config, Map.of())).isEmpty();
    assertThat(warnings(config, Map.of("my_key", "sk-0123456789abcdef")))
        .singleElement()
        .asString()
        .startsWith("openai[0].api_key: did you mean ${my_key}?");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a$KEY", "$KEY-2", "$1KEY", "$", "${KEY}x$OTHER", "sk-$ABC"})
  void onlyAWholeValueOfDollarAndNameIsWarnedAbout(String value) throws Exception {
    assertThat(
            warnings(
                "{'openai': [{'api_key': '" + value + "', 'base_url': 'https://x'}]}",
                Map.of("KEY", "sk-0123456789abcdef")))
        .isEmpty();
  }

  @Test
  void warningsComeEvenWhenTheConfigIsInvalid() {
    List<String> warnings = new ArrayList<>();
    String config =
        "{'openai': [{'api_key': '$OPENAI_API_KEY', 'timeout': 0, 'base_url': 'https://x'}]}";

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.parse(json(config), Map.of(), warnings::add));

    assertThat(e.problems())
        .containsExactly("openai[0].timeout: must be a positive number of seconds");
    assertThat(warnings).singleElement().asString().contains("did you mean ${OPENAI_API_KEY}?");
  }

  @Test
  void aReloadLogsTheWarningOnTheConsole(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(
        file, json("{'openai': [{'api_key': 'sk-0123456789', 'base_url': 'https://x'}]}"));
    CountDownLatch reloaded = new CountDownLatch(1);
    try (ConsoleCapture console = ConsoleCapture.start()) {
      ConfigWatcher watcher =
          ConfigWatcher.start(file, Map.of(), c -> reloaded.countDown(), problems -> {});
      try {
        replaceWithDollarName(dir, file);
        assertThat(reloaded.await(10, TimeUnit.SECONDS)).as("reloaded").isTrue();
      } finally {
        watcher.close();
      }
      assertThat(console.await("did you mean ${OPENAI_API_KEY}?", Duration.ofSeconds(5)))
          .startsWith("config " + file.toAbsolutePath() + ": openai[0].api_key: ");
    }
  }

  /** As editors save: write elsewhere, then move over the file. */
  private static void replaceWithDollarName(Path dir, Path file) throws IOException {
    Path tmp = dir.resolve("config.json.tmp");
    Files.writeString(
        tmp, json("{'openai': [{'api_key': '$OPENAI_API_KEY', 'base_url': 'https://x'}]}"));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
  }
}
