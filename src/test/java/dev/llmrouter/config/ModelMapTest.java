package dev.llmrouter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelMapTest {

  private static ModelMap map(String... aliasThenId) {
    List<ModelMap.Entry> entries = new java.util.ArrayList<>();
    for (int i = 0; i < aliasThenId.length; i += 2) {
      entries.add(new ModelMap.Entry(aliasThenId[i], aliasThenId[i + 1]));
    }
    return ModelMap.of(entries);
  }

  @Test
  void anyServesEveryNameUnchangedAndARequestWithoutOne() {
    assertThat(ModelMap.ANY.servesAny()).isTrue();
    assertThat(ModelMap.ANY.upstreamFor("llama3.1:8b")).isEqualTo("llama3.1:8b");
    assertThat(ModelMap.ANY.upstreamFor(null)).isNull();
    assertThat(ModelMap.ANY.listedNames()).isEmpty();
  }

  @Test
  void aListServesExactlyItsNamesUnderTheSameIds() {
    ModelMap m = ModelMap.names("gpt-4o", "gpt-4o-mini");
    assertThat(m.upstreamFor("gpt-4o")).isEqualTo("gpt-4o");
    assertThat(m.upstreamFor("gpt-4o-mini")).isEqualTo("gpt-4o-mini");
    assertThat(m.upstreamFor("gpt-4")).isNull();
    assertThat(m.upstreamFor(null)).isNull();
    assertThat(m.servesAny()).isFalse();
  }

  @Test
  void anAliasSendsTheProvidersOwnId() {
    ModelMap m = map("gpt-4o", "my-gpt4o-deployment");
    assertThat(m.upstreamFor("gpt-4o")).isEqualTo("my-gpt4o-deployment");
    assertThat(m.upstreamFor("my-gpt4o-deployment")).isNull();
  }

  @Test
  void aPatternReplacesTheStarInItsIdWithWhatItMatched() {
    ModelMap m = map("*", "openai/*");
    assertThat(m.upstreamFor("gpt-4o")).isEqualTo("openai/gpt-4o");
    assertThat(m.upstreamFor("")).isEqualTo("openai/");
    assertThat(ModelMap.names("claude-*").upstreamFor("claude-sonnet-4-5"))
        .isEqualTo("claude-sonnet-4-5");
    assertThat(ModelMap.names("claude-*").upstreamFor("gpt-4o")).isNull();
    assertThat(map("gpt-*", "gpt-4o-mini").upstreamFor("gpt-5")).isEqualTo("gpt-4o-mini");
  }

  @Test
  void exactBeatsPatternAndLongerPrefixBeatsShorterWhateverTheOrderWritten() {
    ModelMap m =
        map("*", "any/*", "claude-*", "short/*", "claude-opus-*", "long/*", "claude-x", "exact");
    assertThat(m.upstreamFor("claude-x")).isEqualTo("exact");
    assertThat(m.upstreamFor("claude-opus-4")).isEqualTo("long/4");
    assertThat(m.upstreamFor("claude-haiku")).isEqualTo("short/haiku");
    assertThat(m.upstreamFor("gpt-4o")).isEqualTo("any/gpt-4o");
    assertThat(m.listedNames()).containsExactly("claude-x");
  }

  @Test
  void malformedNamesAndIdsAreRefused() {
    assertThat(ModelMap.problem("a*b", "x")).contains("only at the end");
    assertThat(ModelMap.problem("a**", "x")).contains("only at the end");
    assertThat(ModelMap.problem("a*", "x/*/*")).contains("at most one");
    assertThat(ModelMap.problem("a", "x/*")).contains("needs a '*'");
    assertThat(ModelMap.problem("", "x")).contains("non-empty");
    assertThat(ModelMap.problem("a*", "x/*")).isNull();
    assertThatThrownBy(() -> ModelMap.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ModelMap.names("a", "a")).isInstanceOf(IllegalArgumentException.class);
  }
}
