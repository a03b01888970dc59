package dev.llmrouter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the router names itself in advice: as the user started it. */
class InvocationTest {

  private static final Path JAR = Path.of("target/llm-api-router.jar").toAbsolutePath();

  @Test
  void theLauncherSaysHowItWasRun() {
    assertThat(Invocation.of("llm-api-router", "x.jar check", JAR)).isEqualTo("llm-api-router");
    assertThat(Invocation.of("target/image/bin/llm-api-router", null, null))
        .isEqualTo("target/image/bin/llm-api-router");
    assertThat(Invocation.of("/opt/my tools/bin/llm-api-router", null, null))
        .isEqualTo("'/opt/my tools/bin/llm-api-router'");
  }

  @Test
  void fromTheJarItIsJavaDashJarWithThePathAsTyped() {
    assertThat(Invocation.of(null, "target/llm-api-router.jar check --config x.json", JAR))
        .isEqualTo("java -jar target/llm-api-router.jar");
    assertThat(Invocation.of(" ", JAR + " serve", JAR)).isEqualTo("java -jar " + JAR);
    assertThat(Invocation.of(null, "target/llm-api-router.jar", JAR))
        .isEqualTo("java -jar target/llm-api-router.jar");
  }

  @Test
  void aJarPathWithSpacesIsFoundAndQuoted() {
    Path jar = Path.of("/opt/my tools/llm-api-router.jar");
    assertThat(Invocation.of(null, "/opt/my tools/llm-api-router.jar init", jar))
        .isEqualTo("java -jar '/opt/my tools/llm-api-router.jar'");
  }

  @Test
  void otherwiseTheCommandName() {
    // A class-path start (tests, IDEs), or another jar (a test runner's) on the command line.
    assertThat(Invocation.of(null, "dev.llmrouter.cli.Main check", null))
        .isEqualTo("llm-api-router");
    assertThat(Invocation.of(null, "/tmp/surefirebooter1.jar /tmp x", JAR))
        .isEqualTo("llm-api-router");
    assertThat(Invocation.of(null, null, JAR)).isEqualTo("llm-api-router");
  }

  @Test
  void quotingFollowsTheShell() {
    assertThat(Invocation.quoted("a/b-c_d.json")).isEqualTo("a/b-c_d.json");
    assertThat(Invocation.quoted("my config.json")).isEqualTo("'my config.json'");
    assertThat(Invocation.quoted("it's.json")).isEqualTo("'it'\\''s.json'");
  }

  @Test
  void usageTextsNameTheCommandAsInvokedAndStayAligned() {
    String invoked = "java -jar target/llm-api-router.jar";

    String general = Usage.of(null, invoked);
    assertThat(general)
        .contains("Usage: " + invoked + " <command> [options]")
        .contains("(also after a command: " + invoked + " serve --help)")
        .doesNotContain("java -jar llm-api-router.jar");

    String serve = Usage.of("serve", invoked);
    List<String> lines = serve.lines().toList();
    assertThat(lines.get(0)).startsWith("Usage: " + invoked + " serve [--config FILE]");
    assertThat(lines.get(1).indexOf('[')).isEqualTo(lines.get(0).indexOf('['));

    assertThat(Usage.of("serve", Invocation.DEFAULT)).isEqualTo(Usage.of("serve"));
    assertThat(Usage.of("nope", invoked)).isNull();
  }
}
