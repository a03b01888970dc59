package dev.llmrouter.routing;

import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import org.junit.jupiter.api.Test;

class LoadSpreadOverSocketsTest {

  @Test
  void twoKeysAtTheSamePriorityShareTheLoadAndCoverForEachOther() {
    FakeUpstream a = FakeUpstream.start().always(Reply.openAiOk("a"));
    FakeUpstream b = FakeUpstream.start().always(Reply.openAiOk("b"));
    RouterHarness router =
        RouterHarness.builder().keepPriorities().openai("key-a", a).openai("key-b", b).start();
    try {
      for (int i = 0; i < 10; i++) {
        assertThat(router.post("/openai/chat/completions", OPENAI_CHAT).statusCode())
            .isEqualTo(200);
      }
      assertThat(a.requestCount()).isEqualTo(5);
      assertThat(b.requestCount()).isEqualTo(5);

      // Once b is rate limited, a takes every request while b cools down.
      b.always(
          Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow")
              .withHeader("retry-after", "60"));
      for (int i = 0; i < 6; i++) {
        assertThat(router.post("/openai/chat/completions", OPENAI_CHAT).statusCode())
            .isEqualTo(200);
      }
      assertThat(b.requestCount()).isEqualTo(6); // one 429, then skipped
      assertThat(a.requestCount()).isEqualTo(11);
    } finally {
      router.close();
      a.close();
      b.close();
    }
  }
}
