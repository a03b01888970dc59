package dev.llmrouter.cli;

import static dev.llmrouter.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.cli.CliRun.Result;
import dev.llmrouter.config.ConfigLoader;
import dev.llmrouter.config.RouterConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code init}: the example config it writes, and what it refuses to overwrite. */
class InitCommandTest {

  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  @TempDir Path dir;

  @Test
  void initWritesAnExampleWithTwoProvidersPerEndpointAndKeysAsReferences() throws Exception {
    Path file = dir.resolve("llm_router_config.json");

    Result r = run("init", "--config", file.toString());

    assertThat(r.code()).as(r.err()).isZero();
    String text = Files.readString(file);
    assertThat(text).contains("\"${OPENAI_API_KEY}\"", "\"${ANTHROPIC_API_KEY}\"");
    List<String> variables =
        ENV_REFERENCE.matcher(text).results().map(m -> m.group(1)).distinct().toList();
    Map<String, String> env = new HashMap<>();
    variables.forEach(v -> env.put(v, "sk-value-of-" + v));

    RouterConfig config = ConfigLoader.parse(text, env);

    assertThat(config.openai()).hasSize(2);
    assertThat(config.anthropic()).hasSize(2);
    assertThat(config.openai().get(0).apiKey()).isEqualTo("sk-value-of-OPENAI_API_KEY");
    assertThat(config.anthropic().get(0).apiKey()).isEqualTo("sk-value-of-ANTHROPIC_API_KEY");
    // Following the printed advice must make `check` pass: it names every variable the file uses.
    assertThat(r.out()).contains(variables).contains("check --config " + file);
  }

  @Test
  void initRefusesToOverwriteAnExistingFile() throws IOException {
    Path file = dir.resolve("mine.json");
    byte[] mine = "{\"openai\": [] , \"mine\": true}\n".getBytes(StandardCharsets.UTF_8);
    Files.write(file, mine);

    Result r = run("init", "--config", file.toString());

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains(file.toString()).contains("--force");
    assertThat(Files.readAllBytes(file)).isEqualTo(mine);
  }

  @Test
  void initForceOverwrites() throws IOException {
    Path file = dir.resolve("mine.json");
    Files.writeString(file, "{\"mine\": true, \"longer than the example? no, but different\": 1}");

    Result r = run("init", "--config", file.toString(), "--force");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(file)).isEqualTo(ConfigLoader.exampleJson());
  }

  @Test
  void initIntoAFolderThatIsAFileSaysSoWithOrWithoutForce() throws IOException {
    Path notAFolder = Files.writeString(dir.resolve("x"), "a file");

    for (String[] args :
        List.of(
            new String[] {"init", "--config", notAFolder.resolve("c.json").toString()},
            new String[] {
              "init", "--config", notAFolder.resolve("c.json").toString(), "--force"
            })) {
      Result r = run(args);

      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("is a file, not a folder").doesNotContain("already exists");
    }
    assertThat(Files.readString(notAFolder)).isEqualTo("a file");
  }

  @Test
  void initOntoAFolderSaysSoWithOrWithoutForce() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("conf.json"));

    for (String[] args :
        List.of(
            new String[] {"init", "--config", folder.toString()},
            new String[] {"init", "--config", folder.toString(), "--force"})) {
      Result r = run(args);

      assertThat(r.code()).isEqualTo(1);
      assertThat(r.err()).contains("it is a folder").doesNotContain("already exists");
    }
  }

  @Test
  void aFileThatCannotBeWrittenSaysWhyInWords() {
    Result r = run("init", "--config", "/proc/llm-router-test/c.json");

    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("llm-api-router: cannot write /proc/llm-router-test/c.json: ")
        .doesNotEndWith("c.json\n")
        .doesNotContain("Exception");
  }
}
