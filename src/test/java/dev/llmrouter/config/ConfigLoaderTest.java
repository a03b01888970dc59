package dev.llmrouter.config;

import static dev.llmrouter.config.ConfigTesting.OK;
import static dev.llmrouter.config.ConfigTesting.parse;
import static dev.llmrouter.config.ConfigTesting.problems;
import static dev.llmrouter.config.ConfigTesting.rawProblems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

  @Test
  void seedFormatWithOnlyTheOriginalKeysIsAccepted() throws Exception {
    RouterConfig config =
        parse(
            """
            {'openai': [{'api_key': 'sk-a', 'priority': 1, 'base_url': 'https://api.openai.com/v1',
                         'timeout': 30, 'max_retries': 2}],
             'anthropic': [{'api_key': 'sk-b', 'priority': 1, 'base_url': 'https://api.anthropic.com',
                            'timeout': 30.5, 'max_retries': 1}]}
            """);

    ProviderConfig openai = config.openai().get(0);
    assertThat(openai.name()).isEqualTo("openai-1");
    assertThat(openai.apiKey()).isEqualTo("sk-a");
    assertThat(openai.priority()).isEqualTo(1);
    assertThat(openai.baseUrl()).isEqualTo(URI.create("https://api.openai.com/v1"));
    assertThat(openai.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(openai.maxRetries()).isEqualTo(2);
    assertThat(openai.streamIdleTimeout()).isEqualTo(ProviderConfig.DEFAULT_STREAM_IDLE_TIMEOUT);
    ProviderConfig anthropic = config.anthropic().get(0);
    assertThat(anthropic.name()).isEqualTo("anthropic-1");
    assertThat(anthropic.timeout()).isEqualTo(Duration.ofMillis(30_500));
    assertThat(anthropic.maxRetries()).isEqualTo(1);
  }

  @Test
  void everyOptionalSettingHasItsDefault() throws Exception {
    RouterConfig config = parse("{'anthropic': [{" + OK + "}]}");

    assertThat(config.server()).isEqualTo(ServerSettings.defaults());
    assertThat(config.server().port()).isEqualTo(8000);
    assertThat(config.server().maxBodyBytes()).isEqualTo(32L * 1024 * 1024);
    assertThat(config.server().requestTimeout()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.logDir()).isEqualTo(Path.of("logs"));
    assertThat(config.openai()).isEmpty();
    ProviderConfig p = config.anthropic().get(0);
    assertThat(p.priority()).isEqualTo(1);
    assertThat(p.timeout()).isEqualTo(ProviderConfig.DEFAULT_TIMEOUT);
    assertThat(p.maxRetries()).isEqualTo(ProviderConfig.DEFAULT_MAX_RETRIES);
    assertThat(p.streamIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void fullFormatIsReadIntoEveryField() throws Exception {
    RouterConfig config =
        parse(
            """
            {'$schema': './schema.json',
             'server': {'host': '0.0.0.0', 'port': 0, 'api_keys': ['${ROUTER_KEY}', 'gw-2'],
                        'max_body_bytes': 1024, 'request_timeout': 0.25, 'shutdown_grace': 0},
             'logging': {'dir': '/var/log/router'},
             'openai': [{'name': 'openai-main', 'api_key': 'sk-1', 'priority': -3,
                         'base_url': 'http://localhost:8080/v1', 'timeout': 0.001, 'max_retries': 10,
                         'stream_idle_timeout': 1.5}]}
            """,
            Map.of("ROUTER_KEY", "gw-1"));

    ServerSettings server = config.server();
    assertThat(server.host()).isEqualTo("0.0.0.0");
    assertThat(server.port()).isZero();
    assertThat(server.apiKeys()).containsExactly("gw-1", "gw-2");
    assertThat(server.maxBodyBytes()).isEqualTo(1024);
    assertThat(server.requestTimeout()).isEqualTo(Duration.ofMillis(250));
    assertThat(server.shutdownGrace()).isZero();
    assertThat(config.logDir()).isEqualTo(Path.of("/var/log/router"));
    ProviderConfig p = config.openai().get(0);
    assertThat(p.name()).isEqualTo("openai-main");
    assertThat(p.priority()).isEqualTo(-3);
    assertThat(p.baseUrl()).isEqualTo(URI.create("http://localhost:8080/v1"));
    assertThat(p.timeout()).isEqualTo(Duration.ofMillis(1));
    assertThat(p.maxRetries()).isEqualTo(10);
    assertThat(p.streamIdleTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(config.secrets()).containsExactlyInAnyOrder("gw-1", "gw-2", "sk-1");
  }

  @Test
  void loggingKeysAreReadWithTheirDefaultsAndEachProblemHasItsPath() throws Exception {
    assertThat(parse("{'openai': [{%s}]}".formatted(OK)).logging())
        .isEqualTo(
            new LoggingSettings(
                Path.of("logs"), LoggingSettings.Bodies.FULL, 100L * 1024 * 1024, 0));
    assertThat(
            parse(
                    "{'logging': {'bodies': 'errors', 'max_file_mb': 5, 'keep_files': 3},"
                        + " 'openai': [{%s}]}".formatted(OK))
                .logging())
        .isEqualTo(
            new LoggingSettings(Path.of("logs"), LoggingSettings.Bodies.ERRORS, 5L << 20, 3));
    assertThat(parse("{'logging': {'bodies': 'none'}, 'openai': [{%s}]}".formatted(OK)).logging())
        .extracting(LoggingSettings::bodies)
        .isEqualTo(LoggingSettings.Bodies.NONE);

    assertThat(
            problems(
                "{'logging': {'dir': '', 'bodies': 'some', 'max_file_mb': -5, 'keep_files': 0.5,"
                    + " 'keep': 1}, 'openai': [{%s}]}".formatted(OK)))
        .containsExactly(
            "logging.dir: must be a non-empty string",
            "logging.bodies: must be one of \"full\", \"errors\", \"none\"",
            "logging.max_file_mb: must be an integer >= 1",
            "logging.keep_files: must be an integer >= 0",
            "logging.keep: unknown key");
  }

  @Test
  void memoryAndBrowserKeysAreReadAndCheckedWithTheirPaths() throws Exception {
    RouterConfig config =
        parse(
            """
            {'server': {'max_response_bytes': 2048, 'max_buffered_bytes': 1048576,
                        'allowed_hosts': ['Router.Internal', '[::1]'],
                        'allowed_origins': ['https://App.example', 'http://localhost:5173', 'null', '*']},
             'openai': [{%s}]}
            """
                .formatted(OK));
    ServerSettings server = config.server();
    assertThat(server.maxResponseBytes()).isEqualTo(2048);
    assertThat(server.maxBufferedBytes()).isEqualTo(1048576);
    assertThat(server.allowedHosts()).containsExactly("router.internal", "[::1]");
    assertThat(server.allowedOrigins())
        .containsExactly("https://app.example", "http://localhost:5173", "null", "*");

    assertThat(
            problems(
                """
                {'server': {'max_response_bytes': 10, 'max_buffered_bytes': 1000,
                            'allowed_hosts': ['evil.example:8000', ''],
                            'allowed_origins': ['https://app.example/path', 'app.example']},
                 'openai': [{%s}]}
                """
                    .formatted(OK)))
        .containsExactly(
            "server.max_response_bytes: must be 1024..2147483647",
            "server.max_buffered_bytes: must be an integer from 1048576 (1 MiB) to"
                + " 9223372036854775807",
            "server.allowed_hosts[0]: must be a host name or address without a port or scheme",
            "server.allowed_hosts[1]: must be a non-empty host name",
            "server.allowed_origins[0]: must be an origin like https://app.example.com (scheme, host"
                + " and an optional port; no path), \"null\" or \"*\"",
            "server.allowed_origins[1]: must be an origin like https://app.example.com (scheme, host"
                + " and an optional port; no path), \"null\" or \"*\"");
    assertThat(
            problems(
                "{'server': {'max_buffered_bytes': 9223372036854775808}, 'openai': [{%s}]}"
                    .formatted(OK)))
        .containsExactly(
            "server.max_buffered_bytes: must be an integer from 1048576 (1 MiB) to"
                + " 9223372036854775807");
    assertThat(parse("{'openai': [{%s}]}".formatted(OK)).server().maxBufferedBytes())
        .isEqualTo(Math.max(1 << 20, Runtime.getRuntime().maxMemory() / 4));
  }

  @Test
  void responseAffinityLimitsAreReadWithTheirDefaultsAndChecked() throws Exception {
    ServerSettings defaults = parse("{'openai': [{%s}]}".formatted(OK)).server();
    assertThat(defaults.responseAffinityMax()).isEqualTo(100_000);
    assertThat(defaults.responseAffinityTtl()).isEqualTo(Duration.ofHours(24));
    ServerSettings set =
        parse(
                "{'server': {'response_affinity_max': 5, 'response_affinity_ttl': 1.5},"
                    + " 'openai': [{%s}]}".formatted(OK))
            .server();
    assertThat(set.responseAffinityMax()).isEqualTo(5);
    assertThat(set.responseAffinityTtl()).isEqualTo(Duration.ofMillis(1500));
    assertThat(
            problems(
                "{'server': {'response_affinity_max': 0, 'response_affinity_ttl': 0},"
                    + " 'openai': [{%s}]}".formatted(OK)))
        .containsExactly(
            "server.response_affinity_max: must be an integer from 1 to 2147483647",
            "server.response_affinity_ttl: must be a positive number of seconds");
  }

  @Test
  void providersAreSortedByPriorityKeepingFileOrderForTies() throws Exception {
    RouterConfig config =
        parse(
            """
            {'openai': [{'name': 'a', 'priority': 2, %1$s}, {'name': 'b', 'priority': 1, %1$s},
                        {'name': 'c', 'priority': 2, %1$s}, {'name': 'd', 'priority': 1, %1$s},
                        {'name': 'e', 'priority': 0, %1$s}, {'name': 'f', %1$s}]}
            """
                .formatted(OK));

    assertThat(config.openai())
        .extracting(ProviderConfig::name)
        .containsExactly("e", "b", "d", "f", "a", "c");
  }

  @Test
  void defaultNamesFollowFilePositionNotPriority() throws Exception {
    RouterConfig config =
        parse(
            "{'anthropic': [{'priority': 5, %1$s}, {'name': 'mine', %1$s}, {'priority': 0, %1$s}]}"
                .formatted(OK));

    assertThat(config.anthropic())
        .extracting(ProviderConfig::name)
        .containsExactly("anthropic-3", "mine", "anthropic-1");
  }

  @Test
  void theSameNameMayBeUsedByBothEndpoints() throws Exception {
    RouterConfig config =
        parse(
            "{'openai': [{'name': 'x', %1$s}], 'anthropic': [{'name': 'x', %1$s}]}".formatted(OK));

    assertThat(config.openai().get(0).name()).isEqualTo(config.anthropic().get(0).name());
  }

  @Test
  void everyProblemIsReportedAtOnceInDocumentOrder() {
    List<String> problems =
        problems(
            """
            {'server': {'port': 70000, 'hots': 'x', 'max_body_bytes': 10},
             'logging': {'dir': ''},
             'openai': [{'api_key': 'k', 'base_url': 'ftp://example.com', 'priority': 1.5},
                        {'base_url': 'https://example.com', 'tiemout': 3, 'max_retries': 11},
                        7],
             'anthropic': [{'name': 'x', %1$s}, {'name': 'x', 'timeout': 0, %1$s}],
             'extra': true}
            """
                .formatted(OK));

    assertThat(problems)
        .containsExactly(
            "server.port: must be 1..65535 (or 0: any free port)",
            "server.hots: unknown key (did you mean 'host'?)",
            "server.max_body_bytes: must be 1024..2147483647",
            "logging.dir: must be a non-empty string",
            "openai[0].base_url: must be an http or https URL",
            "openai[0].priority: must be an integer",
            "openai[1].tiemout: unknown key (did you mean 'timeout'?)",
            "openai[1].max_retries: must be 0..10",
            "openai[1].api_key: required",
            "openai[2]: must be an object",
            "anthropic[1].name: duplicate name 'x'",
            "anthropic[1].timeout: must be a positive number of seconds",
            "extra: unknown key");
  }

  @ParameterizedTest
  @CsvSource({
    "https://api.openai.com/v1/, https://api.openai.com/v1",
    "https://api.openai.com/v1///, https://api.openai.com/v1",
    "https://api.anthropic.com/, https://api.anthropic.com",
    "HTTPS://Example.com:8443/v1/, https://Example.com:8443/v1",
    "http://[::1]:8080, http://[::1]:8080",
  })
  void baseUrlIsNormalisedWithoutTrailingSlashes(String written, String expected) throws Exception {
    RouterConfig config = parse("{'openai': [{'api_key': 'k', 'base_url': '" + written + "'}]}");

    assertThat(config.openai().get(0).baseUrl()).hasToString(expected);
  }

  @Test
  void exampleJsonIsValidWhenItsVariablesAreSet() throws Exception {
    Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-o1", "ANTHROPIC_API_KEY", "sk-a1");

    RouterConfig config = ConfigLoader.parse(ConfigLoader.exampleJson(), env);

    assertThat(config.server()).isEqualTo(ServerSettings.defaults());
    assertThat(config.logging()).isEqualTo(LoggingSettings.in(Path.of("logs")));
    assertThat(config.openai())
        .extracting(ProviderConfig::name, ProviderConfig::apiKey, ProviderConfig::priority)
        .containsExactly(tuple("openai-primary", "sk-o1", 1), tuple("openai-backup", "sk-o1", 2));
    assertThat(config.anthropic())
        .extracting(ProviderConfig::name, ProviderConfig::apiKey, ProviderConfig::baseUrl)
        .containsExactly(
            tuple("anthropic-primary", "sk-a1", URI.create("https://api.anthropic.com")),
            tuple("anthropic-backup", "sk-a1", URI.create("https://api.anthropic.com")));
    assertThat(config.openai().get(0).baseUrl()).hasToString("https://api.openai.com/v1");
  }

  @Test
  void exampleJsonKeepsKeysAsEnvironmentReferences() {
    String example = ConfigLoader.exampleJson();

    assertThat(example)
        .contains("\"${OPENAI_API_KEY}\"", "\"${ANTHROPIC_API_KEY}\"")
        .doesNotContain("sk-");
    assertThat(rawProblems(example, Map.of()))
        .containsExactly(
            "openai[0].api_key: environment variable OPENAI_API_KEY is not set",
            "openai[1].api_key: environment variable OPENAI_API_KEY is not set",
            "anthropic[0].api_key: environment variable ANTHROPIC_API_KEY is not set",
            "anthropic[1].api_key: environment variable ANTHROPIC_API_KEY is not set");
  }

  @Test
  void loadReadsAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("llm_router_config.json");
    Files.writeString(file, "\uFEFF" + ConfigTesting.json("{'openai': [{" + OK + "}]}"));

    RouterConfig config = ConfigLoader.load(file, Map.of());

    assertThat(config.openai()).extracting(ProviderConfig::name).containsExactly("openai-1");
  }

  @Test
  void unreadableFileIsOneProblemNamingTheFile(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("nope.json");
    ConfigException e =
        assertThrows(ConfigException.class, () -> ConfigLoader.load(missing, Map.of()));
    assertThat(e.problems()).containsExactly(missing + ": cannot read: no such file");

    Path binary = dir.resolve("binary.json");
    Files.write(binary, new byte[] {'{', (byte) 0xff, (byte) 0xfe, '}'});
    assertThat(assertThrows(ConfigException.class, () -> ConfigLoader.load(binary, Map.of())))
        .hasMessage(binary + ": cannot read: not valid UTF-8 text");

    assertThat(assertThrows(ConfigException.class, () -> ConfigLoader.load(dir, Map.of())))
        .hasMessageStartingWith(dir + ": cannot read: ")
        .hasMessageNotContaining("\n");
  }
}
