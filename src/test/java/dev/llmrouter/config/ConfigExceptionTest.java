package dev.llmrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigExceptionTest {

  @Test
  void messageIsTheProblemsOnePerLine() {
    List<String> problems = new ArrayList<>(List.of("a: required", "b: unknown key"));
    ConfigException e = new ConfigException(problems);
    problems.clear();

    assertThat(e.problems()).containsExactly("a: required", "b: unknown key");
    assertThat(e).hasMessage("a: required\nb: unknown key");
  }

  @Test
  void printingItShowsOnlyTheProblems() {
    ConfigException e = new ConfigException(List.of("a: required"));
    StringWriter printed = new StringWriter();
    e.printStackTrace(new PrintWriter(printed));

    assertThat(e.getCause()).isNull();
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(printed.toString().strip())
        .isEqualTo("dev.llmrouter.config.ConfigException: a: required");
  }

  @Test
  void needsAtLeastOneProblem() {
    assertThatThrownBy(() -> new ConfigException(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
