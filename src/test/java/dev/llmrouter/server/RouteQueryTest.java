package dev.llmrouter.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which stored-response queries ask for a stream (openai-node: {@code ?stream=true}). */
class RouteQueryTest {

  @Test
  void onlyAStreamParameterThatIsTrueAsksForAStream() {
    assertThat(Route.asksForStream("stream=true")).isTrue();
    assertThat(Route.asksForStream("starting_after=3&stream=true")).isTrue();
    assertThat(Route.asksForStream("stream=TRUE&include[]=x")).isTrue();
    assertThat(Route.asksForStream(null)).isFalse();
    assertThat(Route.asksForStream("")).isFalse();
    assertThat(Route.asksForStream("stream=false")).isFalse();
    assertThat(Route.asksForStream("stream=truey")).isFalse();
    assertThat(Route.asksForStream("xstream=true")).isFalse();
    assertThat(Route.asksForStream("stream")).isFalse();
  }
}
