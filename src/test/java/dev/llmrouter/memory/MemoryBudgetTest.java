package dev.llmrouter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.RouterHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

  @Test
  void ledgersShareTheBudgetAndGiveEverythingBackAtClose() {
    MemoryBudget budget = new MemoryBudget(100);
    MemoryBudget.Ledger a = budget.ledger();
    MemoryBudget.Ledger b = budget.ledger();

    assertThat(a.reserve(60)).isTrue();
    assertThat(b.reserve(50)).as("past the budget").isFalse();
    assertThat(b.reserve(40)).isTrue();
    assertThat(budget.used()).isEqualTo(100);

    a.release(20);
    assertThat(budget.used()).isEqualTo(80);
    a.close();
    a.close();
    assertThat(budget.used()).isEqualTo(40);
    assertThat(a.reserve(1)).as("a closed ledger takes nothing").isFalse();
    b.release(1_000); // never gives back more than it holds
    assertThat(budget.used()).isZero();
    assertThat(b.held()).isZero();
  }

  private static final String JSON_TYPE = "Content-Type: application/json\r\n";

  /** A body of {@code size} bytes that is one JSON object. */
  private static String body(int size) {
    String head = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"";
    return head + "x".repeat(size - head.length() - 4) + "\"}]}";
  }

  @Test
  void uploadsPastTheBudgetGet503BeforeOrWhileTheyAreReadAndALogRecord() {
    try (FakeUpstream fake = FakeUpstream.start()) {
      RouterHarness router =
          RouterHarness.builder().maxBufferedBytes(1 << 20).openai("oa", fake).start();
      String big = body(3 << 20);
      String head = "POST /openai/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n" + JSON_TYPE;
      RawHttp.Options options = RawHttp.Options.DEFAULT.readTimeout(Duration.ofSeconds(5));

      RawHttp.Answer declared =
          RawHttp.exchange(
              router.router().port(),
              (head + "Content-Length: " + big.length() + "\r\n\r\n" + big)
                  .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
              options);
      StringBuilder chunked = new StringBuilder(head + "Transfer-Encoding: chunked\r\n\r\n");
      for (int at = 0; at < big.length(); at += 65536) {
        String piece = big.substring(at, Math.min(big.length(), at + 65536));
        chunked
            .append(Integer.toHexString(piece.length()))
            .append("\r\n")
            .append(piece)
            .append("\r\n");
      }
      chunked.append("0\r\n\r\n");
      RawHttp.Answer grown =
          RawHttp.exchange(
              router.router().port(),
              chunked.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
              options);

      for (RawHttp.Answer a : List.of(declared, grown)) {
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.text())
            .contains("Retry-after: 1")
            .contains("Connection: close")
            .contains("max_buffered_bytes");
      }
      assertThat(fake.requestCount()).isZero();
      // The refused uploads hold their memory until their records are written: then, within the
      // budget, the same router serves.
      assertThat(router.awaitLogLines(2, Duration.ofSeconds(5))).isTrue();
      assertThat(router.post("/openai/chat/completions", body(100_000)).statusCode())
          .isEqualTo(200);
      List<String> log = router.closeAndReadLog();
      assertThat(log).hasSize(3);
      assertThat(log.stream().filter(l -> l.contains("\"status\":503"))).hasSize(2);
    }
  }
}
