package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The bounds of the response-to-provider map: count (least recently used first) and age. */
class ResponseAffinityTest {

  private final AtomicLong now = new AtomicLong();

  private ResponseAffinity affinity(int max, Duration ttl) {
    return new ResponseAffinity(max, ttl, now::get);
  }

  @Test
  void remembersWhichProviderMadeEachResponse() {
    ResponseAffinity a = affinity(10, Duration.ofHours(24));
    a.remember("resp_1", "first");
    a.remember("resp_2", "second");

    assertThat(a.providerOf("resp_1")).isEqualTo("first");
    assertThat(a.providerOf("resp_2")).isEqualTo("second");
    assertThat(a.providerOf("resp_3")).isNull();
  }

  @Test
  void pastItsSizeTheLeastRecentlyUsedGoesFirstAndALookupIsAUse() {
    ResponseAffinity a = affinity(2, Duration.ofHours(24));
    a.remember("resp_1", "p");
    a.remember("resp_2", "p");
    a.providerOf("resp_1"); // resp_2 is now the least recently used
    a.remember("resp_3", "p");

    assertThat(a.size()).isEqualTo(2);
    assertThat(a.providerOf("resp_2")).isNull();
    assertThat(a.providerOf("resp_1")).isEqualTo("p");
    assertThat(a.providerOf("resp_3")).isEqualTo("p");
  }

  @Test
  void entriesOlderThanTheTimeToLiveAreDroppedEvenWhenUsed() {
    ResponseAffinity a = affinity(10, Duration.ofSeconds(60));
    a.remember("resp_1", "p");
    now.addAndGet(Duration.ofSeconds(59).toNanos());
    assertThat(a.providerOf("resp_1")).isEqualTo("p");
    now.addAndGet(Duration.ofSeconds(1).toNanos());

    assertThat(a.providerOf("resp_1")).isNull();
    assertThat(a.size()).isZero();
  }

  @Test
  void oldEntriesGoWhenNewOnesArriveAndNewLimitsApplyAtOnce() {
    ResponseAffinity a = affinity(10, Duration.ofSeconds(60));
    a.remember("resp_old", "p");
    now.addAndGet(Duration.ofSeconds(61).toNanos());
    a.remember("resp_new", "p");
    assertThat(a.size()).isEqualTo(1);

    a.remember("resp_newer", "p");
    a.limits(1, Duration.ofSeconds(60));
    assertThat(a.size()).isEqualTo(1);
    assertThat(a.providerOf("resp_newer")).isEqualTo("p");
  }

  @Test
  void aForgottenIdIsUnknown() {
    ResponseAffinity a = affinity(10, Duration.ofHours(1));
    a.remember("resp_1", "p");
    a.forget("resp_1");
    assertThat(a.providerOf("resp_1")).isNull();
  }
}
