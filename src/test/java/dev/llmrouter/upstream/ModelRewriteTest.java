package dev.llmrouter.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.memory.MemoryBudget;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelRewriteTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String rewrite(String body, String token, String model) {
    int start = body.indexOf(token);
    byte[] bytes = utf8(body);
    int byteStart = utf8(body.substring(0, start)).length;
    int byteEnd = byteStart + utf8(token).length;
    return new String(
        ModelRewrite.splice(bytes, byteStart, byteEnd, model), StandardCharsets.UTF_8);
  }

  @Test
  void onlyTheValueChangesAndEveryOtherByteStays() {
    String body = "{ \"z\" : 1.50e3,\"model\"  :\t\"gpt-4o\" , \"é\":\"ü\",\"n\":null }";
    assertThat(rewrite(body, "\"gpt-4o\"", "openai/gpt-4o"))
        .isEqualTo("{ \"z\" : 1.50e3,\"model\"  :\t\"openai/gpt-4o\" , \"é\":\"ü\",\"n\":null }");
  }

  @Test
  void theNewIdIsAValidJsonString() {
    assertThat(new String(ModelRewrite.quote("a\"b\\c\u0001dé"), StandardCharsets.UTF_8))
        .isEqualTo("\"a\\\"b\\\\c\\u0001dé\"");
  }

  @Test
  void attemptsWithTheSameIdShareOneReservedCopy() {
    MemoryBudget budget = new MemoryBudget(1000);
    MemoryBudget.Ledger ledger = budget.ledger();
    byte[] body = utf8("{\"model\":\"a\"}");
    ModelRewrite rewrite = new ModelRewrite(9, 12);

    byte[] first = rewrite.bodyFor(body, "bb", ledger);
    byte[] again = rewrite.bodyFor(body, "bb", ledger);

    assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"bb\"}");
    assertThat(again).isSameAs(first);
    assertThat(budget.used()).isEqualTo(first.length);
    rewrite.bodyFor(body, "ccc", ledger);
    assertThat(budget.used()).isEqualTo(first.length + 1); // the old copy was given back
  }

  @Test
  void aCopyOverTheMemoryBudgetIsRefused() {
    MemoryBudget.Ledger ledger = new MemoryBudget(5).ledger();
    assertThat(new ModelRewrite(9, 12).bodyFor(utf8("{\"model\":\"a\"}"), "bb", ledger)).isNull();
  }
}
