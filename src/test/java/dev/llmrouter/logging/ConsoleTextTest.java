package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleTextTest {

  @Test
  void controlCharactersAndBackslashesAreEscaped() {
    assertThat(ConsoleText.clean("gpt\nINFO 200 forged\r\t\u001b[31mred\u007f\u0085\u2028\\n"))
        .isEqualTo("gpt\\nINFO 200 forged\\r\\t\\u001b[31mred\\u007f\\u0085\\u2028\\\\n");
  }

  @Test
  void bidirectionalControlsAreEscapedSoTheLineReadsAsItIs() {
    // U+202E shows what follows right to left: "model=\u202evil.exe" could pass for another name.
    assertThat(ConsoleText.clean("gpt\u202e4o\u2066x\u2069\u200f\u061c"))
        .isEqualTo("gpt\\u202e4o\\u2066x\\u2069\\u200f\\u061c");
    assertThat(ConsoleText.clean("é中文 ok")).isEqualTo("é中文 ok");
  }

  @Test
  void plainTextIsUnchangedAndLongTextIsCut() {
    assertThat(ConsoleText.clean("claude-sonnet-4-5")).isEqualTo("claude-sonnet-4-5");
    String cut = ConsoleText.clean("m".repeat(30_000_000));
    assertThat(cut).hasSize(ConsoleText.MAX_CHARS + 3).endsWith("...");
  }
}
