package dev.llmrouter.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.ProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProviderOrderTest {

  private static Target p(String name, int priority, int weight) {
    return new Target(
        new ProviderConfig(
            name,
            "k",
            priority,
            URI.create("http://127.0.0.1:1"),
            Duration.ofSeconds(1),
            0,
            Duration.ofSeconds(1),
            weight),
        "gpt-4o");
  }

  private final ProviderOrder order = new ProviderOrder();

  @Test
  void differentPrioritiesKeepStrictOrder() {
    List<Target> providers = List.of(p("a", 1, 1), p("b", 2, 1), p("c", 3, 1));
    for (int i = 0; i < 5; i++) {
      assertThat(order.arrange(providers)).isSameAs(providers);
    }
  }

  @Test
  void equalPrioritiesTakeTurnsByWeightAndStayBeforeLowerPriorities() {
    List<Target> providers = List.of(p("a", 1, 1), p("b", 1, 3), p("z", 2, 1));
    Map<String, Integer> firsts = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      List<Target> arranged = order.arrange(providers);
      assertThat(arranged).hasSize(3);
      assertThat(arranged.get(2).provider().name()).isEqualTo("z");
      assertThat(arranged.subList(0, 2)).extracting(t -> t.provider().name()).contains("a", "b");
      firsts.merge(arranged.get(0).provider().name(), 1, Integer::sum);
    }
    assertThat(firsts).containsEntry("a", 100).containsEntry("b", 300);
  }

  @Test
  void theSecondPlaceIsWeightedToo() {
    // a (weight 3) cooling down: the walk takes the second place, which must split a's turns
    // between b and c by their weights (1:1), not hand them all to the one after a in the file.
    List<Target> providers = List.of(p("a", 1, 3), p("b", 1, 1), p("c", 1, 1));
    Map<String, Integer> served = new HashMap<>();
    for (int i = 0; i < 500; i++) {
      List<Target> arranged = order.arrange(providers);
      assertThat(arranged).extracting(t -> t.provider().name()).contains("a", "b", "c");
      Target taken =
          arranged.get(0).provider().name().equals("a") ? arranged.get(1) : arranged.get(0);
      served.merge(taken.provider().name(), 1, Integer::sum);
    }
    assertThat(served).containsEntry("b", 250).containsEntry("c", 250);
  }

  @Test
  void groupsThatStartWithTheSameProviderKeepTurnsOfTheirOwn() {
    // p1 serves A and B, p2 only A, p3 only B; traffic alternates A, B: each model's group takes
    // its own turns, so p2 and p3 lead half of their model's requests.
    List<Target> forA = List.of(p("p1", 1, 1), p("p2", 1, 1));
    List<Target> forB = List.of(p("p1", 1, 1), p("p3", 1, 1));
    Map<String, Integer> firsts = new HashMap<>();
    for (int i = 0; i < 100; i++) {
      firsts.merge("A:" + order.arrange(forA).get(0).provider().name(), 1, Integer::sum);
      firsts.merge("B:" + order.arrange(forB).get(0).provider().name(), 1, Integer::sum);
    }
    assertThat(firsts)
        .containsEntry("A:p1", 50)
        .containsEntry("A:p2", 50)
        .containsEntry("B:p1", 50)
        .containsEntry("B:p3", 50);
  }
}
