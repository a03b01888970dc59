package dev.llmrouter.cli;

import static dev.llmrouter.testkit.CliProcess.STARTUP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ConfigLoader;
import dev.llmrouter.testkit.CliProcess;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without {@code --config}, init and check use llm_router_config.json in the working directory. */
class DefaultConfigFileTest {

  private static final Pattern ADVICE = Pattern.compile("^Set (.+) \\(or edit the file\\)");
  private static final Pattern VARIABLE = Pattern.compile("[A-Z_][A-Z0-9_]*");

  @TempDir Path work;

  @Test
  void initThenCheckUseTheFileInTheWorkingDirectoryAndInitsAdviceWorks() {
    Map<String, String> env = new HashMap<>();
    try (CliProcess init = CliProcess.start(work, "init")) {
      Matcher advice = init.awaitLine(ADVICE, STARTUP);
      VARIABLE
          .matcher(advice.group(1))
          .results()
          .forEach(v -> env.put(v.group(), "sk-canary-" + v.group() + "-0123456789"));
      assertThat(init.awaitExit(STARTUP)).as(init.describe()).isZero();
    }
    assertThat(work.resolve("llm_router_config.json"))
        .content()
        .isEqualTo(ConfigLoader.exampleJson());
    assertThat(env).containsKeys("OPENAI_API_KEY", "ANTHROPIC_API_KEY");

    // Set what init says to set, nothing more: check must pass.
    try (CliProcess check = CliProcess.start(work, env, "check")) {
      assertThat(check.awaitExit(STARTUP)).as(check.describe()).isZero();
      assertThat(check.stdout()).contains("llm_router_config.json: valid").contains("sk-...6789");
      for (String key : env.values()) {
        assertThat(check.stdout() + check.stderr()).doesNotContain(key);
      }
    }
  }
}
