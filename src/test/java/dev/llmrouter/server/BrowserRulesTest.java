package dev.llmrouter.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BrowserRulesTest {

  private final BrowserRules loopback =
      new BrowserRules(
          "127.0.0.1", true, List.of("router.internal"), List.of("https://app.example"));

  @Test
  void aLoopbackBindAcceptsItsOwnNamesAndTheListedOnes() {
    for (String host :
        List.of(
            "127.0.0.1:8000",
            "127.0.0.1",
            "LOCALHOST:8000",
            "localhost.",
            "127.1.2.3:1",
            "[::1]:8000",
            "router.internal:8000")) {
      assertThat(loopback.hostAllowed(host)).as(host).isTrue();
    }
    assertThat(loopback.hostAllowed(null)).as("HTTP/1.0 without Host").isTrue();
  }

  @Test
  void aLoopbackBindRefusesEveryOtherName() {
    for (String host :
        List.of("evil.example:8000", "127.0.0.1.evil.example", "localhost.evil", "10.0.0.1", "")) {
      assertThat(loopback.hostAllowed(host)).as(host).isFalse();
    }
  }

  @Test
  void aNonLoopbackBindAcceptsAnyHostUnlessAListIsGiven() {
    assertThat(new BrowserRules("0.0.0.0", false, List.of(), List.of()).hostAllowed("any.example"))
        .isTrue();
    BrowserRules listed = new BrowserRules("0.0.0.0", false, List.of("gw.example"), List.of());
    assertThat(listed.hostAllowed("gw.example:443")).isTrue();
    assertThat(listed.hostAllowed("other.example")).isFalse();
    assertThat(new BrowserRules("::1", true, List.of(), List.of()).hostAllowed("[::1]:9")).isTrue();
  }

  @Test
  void onlyListedOriginsAreAllowed() {
    assertThat(loopback.origin(null)).isEqualTo(BrowserRules.Origin.NONE);
    assertThat(loopback.origin("https://APP.example")).isEqualTo(BrowserRules.Origin.ALLOWED);
    assertThat(loopback.origin("https://app.example/")).isEqualTo(BrowserRules.Origin.ALLOWED);
    assertThat(loopback.origin("http://app.example")).isEqualTo(BrowserRules.Origin.REFUSED);
    assertThat(loopback.origin("null")).isEqualTo(BrowserRules.Origin.REFUSED);
    assertThat(new BrowserRules("127.0.0.1", true, List.of(), List.of("*")).origin("https://x.y"))
        .isEqualTo(BrowserRules.Origin.ALLOWED);
  }
}
