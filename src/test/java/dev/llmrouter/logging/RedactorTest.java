package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void replacesEverySecretLongestFirst() {
    Redactor r = new Redactor(List.of("sk-abc", "sk-abcdef-long", ""));
    assertThat(r.redact("k=sk-abcdef-long and sk-abc"))
        .isEqualTo("k=[REDACTED] and [REDACTED]")
        .doesNotContain("sk-abc");
  }

  @Test
  void masksKeysShowingOnlyTheirEnds() {
    assertThat(Redactor.mask("sk-proj-1234567890abcd")).isEqualTo("sk-...abcd");
    assertThat(Redactor.mask("short")).isEqualTo("***");
  }

  @Test
  void keyIdIsStableAndDoesNotContainTheKey() {
    String id = Redactor.keyId("sk-secret-value");
    assertThat(id).isEqualTo(Redactor.keyId("sk-secret-value")).startsWith("key_").hasSize(12);
    assertThat(id).doesNotContain("secret");
  }
}
