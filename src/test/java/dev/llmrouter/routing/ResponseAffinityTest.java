package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

  /**
   * Against the plain model of the rules (an access-ordered LinkedHashMap, as the map was first
   * written): thousands of remembers, lookups, forgets, new limits and passing time, over several
   * growths of the arrays and many deletions from the table's probe runs.
   */
  @Test
  @Timeout(60) // a broken use order can loop for ever
  void behavesLikeAnAccessOrderedMapThroughGrowthEvictionAndExpiry() {
    java.util.Random random = new java.util.Random(42); // a fixed sequence: the test repeats
    int max = 3_000;
    long ttl = Duration.ofSeconds(100).toNanos();
    ResponseAffinity a = affinity(max, Duration.ofNanos(ttl));
    java.util.LinkedHashMap<String, long[]> model = new java.util.LinkedHashMap<>(16, 0.75f, true);
    for (int step = 0; step < 200_000; step++) {
      String id = "resp_" + random.nextInt(6_000);
      int op = random.nextInt(100);
      if (op < 45) {
        String provider = "p" + random.nextInt(5);
        a.remember(id, provider);
        model.put(id, new long[] {provider.charAt(1), now.get()});
        trimModel(model, max, ttl);
      } else if (op < 90) {
        long[] e = model.get(id);
        if (e != null && now.get() - e[1] >= ttl) {
          model.remove(id);
          e = null;
        }
        assertThat(a.providerOf(id))
            .as("step %d", step)
            .isEqualTo(e == null ? null : "p" + (char) e[0]);
      } else if (op < 95) {
        a.forget(id);
        model.remove(id);
      } else if (op < 96) {
        max = 500 + random.nextInt(4_000);
        a.limits(max, Duration.ofNanos(ttl));
        trimModel(model, max, ttl);
      } else {
        now.addAndGet(Duration.ofMillis(random.nextInt(400)).toNanos());
      }
      assertThat(a.size()).as("step %d", step).isEqualTo(model.size());
    }
  }

  /** Drops, oldest use first (the model is access-ordered), past {@code max} or {@code ttl}. */
  private void trimModel(java.util.Map<String, long[]> model, int max, long ttl) {
    var it = model.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (model.size() > max || now.get() - e.getValue()[1] >= ttl) {
        it.remove();
      } else {
        break;
      }
    }
  }

  @Test
  void aForgottenIdIsUnknown() {
    ResponseAffinity a = affinity(10, Duration.ofHours(1));
    a.remember("resp_1", "p");
    a.forget("resp_1");
    assertThat(a.providerOf("resp_1")).isNull();
  }
}
