package dev.llmrouter.security;

import static dev.llmrouter.security.HostileInput.assertServesValid;
import static dev.llmrouter.security.HostileInput.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.security.HostileInput.Hostile;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.RawHttp;
import dev.llmrouter.testkit.RouterHarness;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The router the hostile-input tests attack, one per test class: started before its first test in
 * front of a fake upstream, with a second fake nobody configured. After every test it fails the
 * test if that second fake heard anything or the router's console warned: hostile input is
 * expected, never a router fault. An extension, so that no test class can leave these checks out.
 */
final class HostileInputFixture implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {

  /** The router's console; held here so the logger (and its handler) cannot be collected. */
  private static final Logger CONSOLE = Logger.getLogger("llm-api-router");

  /** Warnings and errors on the console. */
  private final List<String> alarms = new CopyOnWriteArrayList<>();

  private final Handler alarmCapture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          // A request line is a WARNING when the router answered a 5xx itself (a hostile upstream
          // earns one); that is the answer working, not an alarm. Every other warning is.
          boolean requestLine = record.getMessage().matches("5\\d\\d (openai|anthropic|none) .*");
          if (record.getLevel().intValue() >= Level.WARNING.intValue() && !requestLine) {
            alarms.add(record.getLevel() + " " + record.getMessage());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** The configured upstream. */
  private FakeUpstream fake;

  /** Where a hostile request tries to send the router; must never hear from it. */
  private FakeUpstream elsewhere;

  private RouterHarness router;

  @Override
  public void beforeAll(ExtensionContext context) {
    CONSOLE.addHandler(alarmCapture);
    fake = FakeUpstream.start();
    elsewhere = FakeUpstream.start();
    router = RouterHarness.builder().openai("oa", fake).anthropic("an", fake).start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    CONSOLE.removeHandler(alarmCapture);
    router.close();
    elsewhere.close();
    fake.close();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    assertThat(elsewhere.received()).as("requests at the host nobody configured").isEmpty();
    List<String> seen = List.copyOf(alarms);
    alarms.clear();
    assertThat(seen).as("console warnings and errors").isEmpty();
  }

  FakeUpstream fake() {
    return fake;
  }

  FakeUpstream elsewhere() {
    return elsewhere;
  }

  RouterHarness router() {
    return router;
  }

  /**
   * Sends {@code c} raw and checks it is refused as expected without reaching upstream, and that
   * the router serves a valid request right after.
   */
  void assertRefusedAndServesRightAfter(Hostile c) {
    int upstreamBefore = fake.requestCount();

    RawHttp.Answer answer = RawHttp.exchange(router.router().port(), c.bytes(), c.options());

    assertThat(refusal(c, answer)).isNull();
    assertThat(fake.requestCount()).as("upstream calls").isEqualTo(upstreamBefore);
    assertServesValid(router);
  }
}
