package dev.llmrouter.security;

import static dev.llmrouter.security.HostileInput.CHAT;
import static dev.llmrouter.security.HostileInput.assertServesValid;
import static dev.llmrouter.security.HostileInput.refusal;
import static dev.llmrouter.security.HostileInput.runBounded;
import static dev.llmrouter.testkit.RouterHarness.OPENAI_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.json.Json;
import dev.llmrouter.security.HostileInput.Hostile;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every hostile case of every topic at once, twice, mixed with valid requests, on a router of its
 * own: under load too, each is refused and only the valid ones reach upstream and the request log.
 */
class HostileBarrageTest {

  /** Its router is not the one attacked here; it is registered for its checks after the test. */
  @RegisterExtension static final HostileInputFixture FIXTURE = new HostileInputFixture();

  @Test
  void allAtOnceEveryHostileIsRefusedAndOnlyValidRequestsReachUpstreamAndTheLog()
      throws InterruptedException {
    int rounds = 2;
    int valid = 10;
    List<Hostile> cases = allHostile();
    try (FakeUpstream upstream = FakeUpstream.start()) {
      RouterHarness own = RouterHarness.builder().openai("oa", upstream).start();
      List<String> log;
      try {
        List<Callable<String>> tasks = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
          for (Hostile c : cases) {
            tasks.add(
                () -> refusal(c, RawHttp.exchange(own.router().port(), c.bytes(), c.options())));
          }
        }
        for (int i = 0; i < valid; i++) {
          tasks.add(
              () -> {
                HttpResponse<String> r = own.post(CHAT, OPENAI_CHAT);
                return r.statusCode() == 200 ? null : "valid request got " + r.statusCode();
              });
        }
        assertThat(runBounded(tasks, 16, Duration.ofSeconds(30))).isEmpty();
        assertServesValid(own);
      } finally {
        log = own.closeAndReadLog();
      }

      long loggedHostile = cases.stream().filter(Hostile::logged).count() * rounds;
      List<Integer> statuses =
          log.stream().map(line -> Json.MAPPER.readTree(line).path("status").asInt()).toList();
      assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(valid + 1L);
      assertThat(statuses).hasSize((int) (valid + 1 + loggedHostile));
      assertThat(upstream.requestCount()).as("upstream calls").isEqualTo(valid + 1);
    }
  }

  private static List<Hostile> allHostile() {
    return Stream.of(
            HostileRequestLineTest.hostile(),
            HostileFramingTest.hostile(),
            HostilePathAndHeaderTest.hostile(),
            HostileBodyTest.hostile())
        .flatMap(List::stream)
        .toList();
  }
}
