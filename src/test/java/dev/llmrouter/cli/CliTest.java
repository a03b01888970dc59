package dev.llmrouter.cli;

import static dev.llmrouter.cli.CliRun.run;
import static dev.llmrouter.cli.ConfigFiles.canary;
import static dev.llmrouter.cli.ConfigFiles.provider;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.cli.CliRun.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** The CLI in process: {@link Cli#run} with captured streams, for the commands that return. */
class CliTest {

  private static final List<String> COMMANDS = List.of("init", "check", "serve", "mock", "demo");
  private static final List<String> OPTIONS =
      List.of(
          "--config",
          "--force",
          "--host",
          "--port",
          "--log-dir",
          "--allow-unauthenticated",
          "--scenario",
          "--help",
          "--version");

  @TempDir Path dir;

  // ---------------------------------------------------------------- help, version, usage errors

  @ParameterizedTest
  @ValueSource(strings = {"--help", "-h", "help", "help version", "help help", "help -h"})
  void helpNamesEveryCommandAndOption(String arg) {
    Result r = run(arg.split(" "));

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(r.out()).contains(COMMANDS).contains(OPTIONS);
  }

  @ParameterizedTest
  @CsvSource({
    "init,  --config --force",
    "check, --config",
    "serve, --config --host --port --log-dir --allow-unauthenticated",
    "mock,  --host --port --scenario",
    "demo,  --port --log-dir",
  })
  void eachCommandHasItsOwnHelp(String command, String options) {
    for (String[] args :
        List.of(new String[] {command, "--help"}, new String[] {"help", command})) {
      Result r = run(args);

      assertThat(r.code()).as(String.join(" ", args)).isZero();
      assertThat(r.err()).isEmpty();
      assertThat(r.out())
          .startsWith("Usage: llm-api-router " + command)
          .contains(Pattern.compile(" ").splitAsStream(options).toList());
    }
  }

  @Test
  void versionPrintsTheBuildVersion() {
    Result r = run("--version");

    assertThat(r.code()).isZero();
    assertThat(r.err()).isEmpty();
    // Filtered from the pom: an unfiltered "${project.version}" or the "dev" fallback fails here.
    assertThat(r.out()).matches("llm-api-router \\d+\\.\\d+\\.\\d+\\S*\\R");
  }

  static Stream<Arguments> usageErrors() {
    return Stream.of(
        Arguments.of(List.of("frobnicate"), "frobnicate"),
        Arguments.of(List.of("--bogus"), "--bogus"),
        Arguments.of(List.of("serve", "--bogus"), "--bogus"),
        // A real option, but not of this command.
        Arguments.of(List.of("init", "--port", "8000"), "--port"),
        Arguments.of(List.of("check", "--config"), "--config"),
        Arguments.of(List.of("serve", "--port", "99999"), "99999"),
        Arguments.of(List.of("mock", "--port", "eighty"), "eighty"),
        Arguments.of(List.of("mock", "--scenario", "nope"), "nope"),
        Arguments.of(List.of("help", "frobnicate"), "frobnicate"),
        // A value option does not take the next option as its value, nor an empty one.
        Arguments.of(List.of("init", "--config", "--force"), "--config"),
        Arguments.of(List.of("check", "--config="), "--config"),
        Arguments.of(List.of("stats", "--log-dir="), "--log-dir"),
        Arguments.of(List.of("--version", "--bogus"), "--bogus"),
        // Given twice, one value would be dropped without a word.
        Arguments.of(List.of("stats", "--since", "1h", "--since=7d"), "--since"),
        Arguments.of(List.of("serve", "--port", "1", "--port", "1"), "--port"),
        Arguments.of(List.of("stats", "--json", "--json"), "--json"),
        Arguments.of(List.of("init", "--force", "--force"), "--force"),
        // A host to listen on, checked as server.host is: no port, no scheme.
        Arguments.of(List.of("serve", "--host", "127.0.0.1:9000"), "127.0.0.1:9000"),
        Arguments.of(List.of("serve", "--host", "http://x"), "http://x"),
        Arguments.of(List.of("mock", "--host", "[::1"), "[::1"),
        // "--" ends the options only where files follow.
        Arguments.of(List.of("serve", "--", "x"), "--"));
  }

  @ParameterizedTest
  @MethodSource("usageErrors")
  void usageErrorsExit2WithOneLineAndAHint(List<String> args, String named) {
    Result r = run(args.toArray(String[]::new));

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out()).isEmpty();
    List<String> lines = r.err().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("llm-api-router: ").contains(named);
    assertThat(lines.get(1)).contains("--help");
  }

  // ---------------------------------------------------------------- check

  @Test
  void checkListsProvidersInPriorityOrderWithMaskedKeys() throws IOException {
    ObjectNode root = ConfigFiles.root();
    ObjectNode server = root.putObject("server");
    server.putArray("api_keys").add(canary("gateway"));
    // File order is not priority order: the output must be.
    root.putArray("openai")
        .add(provider("openai-backup", "https://backup.example/v1", 2))
        .add(
            provider("openai-primary", "https://primary.example/v1", 1)
                .put("timeout", 7.5)
                .put("max_retries", 2)
                .put("retry_on_timeout", true));
    root.putArray("anthropic")
        .add(
            provider("anthropic-only", "https://api.anthropic.example", 1)
                .put("api_key", "${CANARY_ANTHROPIC_KEY}"));
    Path file = ConfigFiles.write(dir.resolve("config.json"), root);

    Result r =
        run(
            Map.of("CANARY_ANTHROPIC_KEY", canary("anthropic-only")),
            "check",
            "--config",
            "" + file);

    assertThat(r.code()).as(r.all()).isZero();
    String primary = lineWith(r.out(), " openai-primary ");
    assertThat(primary)
        .contains("https://primary.example/v1", "timeout=7.5s", "max_retries=2 retry_on_timeout")
        .contains("key=" + masked(canary("openai-primary")));
    assertThat(lineWith(r.out(), " openai-backup "))
        .contains("https://backup.example/v1", "timeout=5s", "max_retries=0")
        .doesNotContain("retry_on_timeout")
        .contains("key=" + masked(canary("openai-backup")));
    assertThat(lineWith(r.out(), " anthropic-only "))
        .contains("https://api.anthropic.example", "key=" + masked(canary("anthropic-only")));
    assertThat(r.out().indexOf(" openai-primary ")).isLessThan(r.out().indexOf(" openai-backup "));
    assertThat(r.out().indexOf(" openai-backup ")).isLessThan(r.out().indexOf(" anthropic-only "));
    for (String name : List.of("gateway", "openai-primary", "openai-backup", "anthropic-only")) {
      assertThat(r.all()).doesNotContain(canary(name)).doesNotContain(canary(name).substring(3));
    }
  }

  @Test
  void checkShowsAuthModelsAndHeadersWithEnvironmentValuesMasked() throws IOException {
    ObjectNode root = ConfigFiles.root();
    ObjectNode openRouter = provider("openrouter", "https://openrouter.ai/api/v1", 1);
    openRouter.putObject("models").put("gpt-4o", "openai/gpt-4o").put("*", "openai/*");
    openRouter
        .putObject("headers")
        .put("HTTP-Referer", "https://app.example.com")
        .put("X-Gateway-Key", "${GATEWAY_HEADER}")
        // A short token in a longer value: masked on its own, not the value's last characters.
        .put("Authorization-Extra", "Bearer ${SHORT_TOKEN}")
        // Written as it is, but a credential by its name: masked as well.
        .put("Helicone-Auth", "Bearer " + canary("literal-header"));
    ObjectNode ollama = ConfigFiles.root().put("name", "ollama");
    ollama.put("base_url", "http://127.0.0.1:11434/v1").put("auth", "none");
    ollama.putArray("models").add("llama3.1:8b");
    ollama.put("max_tokens", 8192);
    ObjectNode placeholder = provider("lmstudio", "http://127.0.0.1:1234/v1", 3);
    placeholder.put("api_key", "lm-studio".substring(0, 6));
    root.putArray("openai").add(openRouter).add(ollama).add(placeholder);
    Path file = ConfigFiles.write(dir.resolve("providers.json"), root);

    Result r =
        run(
            Map.of("GATEWAY_HEADER", canary("header"), "SHORT_TOKEN", "9f3a2b1c"),
            "check",
            "--config",
            "" + file);

    assertThat(r.code()).as(r.all()).isZero();
    assertThat(lineWith(r.out(), " openrouter ")).contains("auth=bearer");
    assertThat(r.out())
        .contains("models: gpt-4o -> openai/gpt-4o, * -> openai/*")
        .contains("headers: HTTP-Referer: https://app.example.com, X-Gateway-Key: ")
        .contains("Authorization-Extra: Bearer *** (secret)")
        .contains("Helicone-Auth: Bearer " + masked(canary("literal-header")) + " (secret)")
        .contains("models: llama3.1:8b")
        .contains("models: any model");
    assertThat(lineWith(r.out(), " ollama ")).contains("auth=none", "key=none", "max_tokens=8192");
    assertThat(lineWith(r.out(), " openrouter ")).doesNotContain("max_tokens");
    assertThat(r.all())
        .doesNotContain(canary("literal-header"))
        .doesNotContain(canary("header"))
        .doesNotContain(canary("header").substring(3))
        .doesNotContain("2b1c");
    assertThat(r.err()).contains("lmstudio").contains("placeholder");
  }

  @Test
  void checkWarnsOfAGatewayKeyTooShortToBeRedactedWithoutShowingIt() throws IOException {
    ObjectNode root = ConfigFiles.root();
    root.putObject("server").putArray("api_keys").add("${SHORT_GW}").add("${LONG_GW}");
    root.putArray("openai").add(provider("p", "https://a.example/v1", 1));
    Path file = ConfigFiles.write(dir.resolve("gateway.json"), root);

    Result r =
        run(
            Map.of("SHORT_GW", "gw12345", "LONG_GW", canary("gateway")),
            "check",
            "--config",
            "" + file);

    assertThat(r.code()).as(r.all()).isZero();
    assertThat(r.err())
        .contains("warning: server.api_keys[0] is shorter than 8 characters")
        .doesNotContain("api_keys[1]");
    assertThat(r.all()).doesNotContain("gw12345").doesNotContain(canary("gateway"));
  }

  @Test
  void checkWarnsWhenOthersCanReadLiteralKeysButStillPasses() throws IOException {
    ObjectNode root = ConfigFiles.root();
    root.putArray("openai").add(provider("literal", "https://a.example/v1", 1));
    Path file = ConfigFiles.write(dir.resolve("shared.json"), root);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    Result shared = run("check", "--config", "" + file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    Result private_ = run("check", "--config", "" + file);

    assertThat(shared.code()).isZero();
    assertThat(shared.err()).contains("warning").contains("chmod 600");
    assertThat(shared.all()).doesNotContain(canary("literal"));
    assertThat(private_.code()).isZero();
    assertThat(private_.err()).doesNotContain("warning");
    // A byte-order mark in front (Windows editors) hides no key: the loader reads past it.
    Files.write(
        file,
        ("\uFEFF" + Files.readString(file)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(run("check", "--config", "" + file).err()).contains("chmod 600");
  }

  @Test
  void noWarningWhenKeysAreEnvironmentReferences() throws IOException {
    ObjectNode root = ConfigFiles.root();
    root.putArray("openai")
        .add(provider("env", "https://a.example/v1", 1).put("api_key", "${SOME_KEY}"));
    Path file = ConfigFiles.write(dir.resolve("env.json"), root);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    Result r = run(Map.of("SOME_KEY", canary("env")), "check", "--config", "" + file);

    assertThat(r.code()).isZero();
    assertThat(r.err()).doesNotContain("warning");
  }

  /** {@code sk-...abcd}: the first three and last four characters. */
  private static String masked(String key) {
    return key.substring(0, 3) + "..." + key.substring(key.length() - 4);
  }

  private static String lineWith(String text, String part) {
    List<String> lines = text.lines().filter(l -> l.contains(part)).toList();
    assertThat(lines).as("lines containing '%s' in:%n%s", part, text).hasSize(1);
    return lines.get(0);
  }

  @Test
  void checkListsEveryProblemWithItsPathAndNoStackTrace() throws IOException {
    ObjectNode root = ConfigFiles.root();
    root.putObject("server").put("port", 70000);
    root.putArray("openai")
        .add(provider("good", "https://good.example/v1", 1).put("priority", "high"))
        .add(provider("no-url", "https://x.example", 2).without("base_url"));
    root.putArray("anthropic")
        .add(
            provider("bad", "https://api.anthropic.example", 1)
                .put("timeout", -1)
                .put("api_key", "${CANARY_UNSET_VARIABLE}"));
    Path file = ConfigFiles.write(dir.resolve("broken.json"), root);

    Result r = run("check", "--config", file.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains(
            "server.port: ",
            "openai[0].priority: ",
            "openai[1].base_url: ",
            "anthropic[0].timeout: ",
            "anthropic[0].api_key: ")
        .contains("CANARY_UNSET_VARIABLE")
        .doesNotContain("Exception", "at dev.", "\tat ");
    assertThat(r.all()).doesNotContain(canary("good"), canary("no-url"));
    assertThat(r.out()).isEmpty();
  }

  @Test
  void checkOnAMissingFileNamesThePathAndSuggestsInit() {
    Path file = dir.resolve("nowhere.json");

    Result r = run("check", "--config", file.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .contains("no config file at " + file.toAbsolutePath())
        .contains("'llm-api-router init --config " + file + "'")
        .doesNotContain("Exception", "at dev.");
    assertThat(file).doesNotExist();
  }

  @Test
  void checkOnAnEndlessDeviceSaysItIsNoConfigWithoutAStackTrace() {
    Result r = run("check", "--config", "/dev/zero");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("/dev/zero: cannot read: larger than 16 MiB: not a config file")
        .doesNotContain("Exception", "at java.");
  }

  /** Process substitution, /dev/stdin: read once, and serve reads its config again on a change. */
  @Test
  void serveRefusesAConfigThatIsNoRegularFileSayingWhy() {
    Result r = run("serve", "--config", "/dev/null");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .contains("cannot serve from /dev/null: not a regular file (a pipe or a device)")
        .contains("write it to a file");
  }

  // ---------------------------------------------------------------- structure

  /** Exit codes travel as return values so that the CLI can run inside tests and other programs. */
  @Test
  void onlyMainCallsSystemExit() throws IOException {
    Path sources = Path.of("src", "main", "java");
    List<Path> callers;
    try (Stream<Path> files = Files.walk(sources)) {
      callers =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> read(f).contains("System.exit("))
              .map(sources::relativize)
              .toList();
    }
    assertThat(callers).containsExactly(Path.of("dev", "llmrouter", "cli", "Main.java"));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
