package dev.llmrouter.providers;

import static dev.llmrouter.providers.Providers.healthOf;
import static dev.llmrouter.providers.Providers.openai;
import static dev.llmrouter.providers.Providers.withBaseUrl;
import static dev.llmrouter.providers.Providers.withKey;
import static org.assertj.core.api.Assertions.assertThat;

import dev.llmrouter.config.Auth;
import dev.llmrouter.config.ModelMap;
import dev.llmrouter.config.ProviderConfig;
import dev.llmrouter.config.ProviderHeader;
import dev.llmrouter.config.RouterConfig;
import dev.llmrouter.testkit.FakeUpstream;
import dev.llmrouter.testkit.Reply;
import dev.llmrouter.testkit.RouterHarness;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * A rate limit cools one model of one provider, a rejected key the whole provider; a reload that
 * changes what identifies a provider (key, URL, auth, headers) gives it a fresh start, and one that
 * leaves it unchanged keeps it cooling. A real router on real sockets.
 */
class ModelCooldownAndReloadTest {

  private static final String CHAT = "/openai/chat/completions";

  private FakeUpstream first;
  private FakeUpstream second;
  private RouterHarness router;

  @BeforeEach
  void start() {
    first = FakeUpstream.start().always(Reply.openAiOk("from first"));
    second = FakeUpstream.start().always(Reply.openAiOk("from second"));
    router =
        RouterHarness.builder()
            .keepPriorities()
            .openai(openai("first", first, 1, ModelMap.names("gpt-4o", "gpt-4o-mini")))
            .openai(openai("second", second, 2))
            .start();
  }

  @AfterEach
  void stop() {
    router.close();
    first.close();
    second.close();
  }

  private HttpResponse<String> chat(String model) {
    return router.post(CHAT, "{\"model\":\"" + model + "\",\"messages\":[]}");
  }

  private static String provider(HttpResponse<String> r) {
    return r.headers().firstValue("x-router-provider").orElse(null);
  }

  private static String attempts(HttpResponse<String> r) {
    return r.headers().firstValue("x-router-attempts").orElse(null);
  }

  @Test
  void a429CoolsOnlyThatModelOnThatProvider() {
    first.enqueue(
        Reply.openAiError(429, "requests", "rate_limit_exceeded", "slow down")
            .withHeader("retry-after", "30"));

    HttpResponse<String> limited = chat("gpt-4o");
    HttpResponse<String> sameModel = chat("gpt-4o");
    HttpResponse<String> otherModel = chat("gpt-4o-mini");

    assertThat(limited.statusCode()).isEqualTo(200);
    assertThat(provider(limited)).isEqualTo("second");
    assertThat(attempts(limited)).isEqualTo("2");
    assertThat(provider(sameModel)).isEqualTo("second");
    assertThat(attempts(sameModel)).isEqualTo("1");
    assertThat(provider(otherModel)).isEqualTo("first");
    assertThat(attempts(otherModel)).isEqualTo("1");
    assertThat(first.requestCount()).isEqualTo(2);
    JsonNode health = healthOf(router, "openai", "first");
    // cooling_down as a whole provider's would be, until its first model is back; which models.
    assertThat(health.path("state").asString()).isEqualTo("cooling_down");
    assertThat(health.path("reason").asString()).isEqualTo("rate_limited");
    assertThat(health.path("seconds_left").asLong()).isBetween(25L, 30L);
    JsonNode cooling = health.path("models_cooling_down");
    assertThat(cooling.propertyNames()).containsExactly("gpt-4o");
    assertThat(cooling.path("gpt-4o").asLong()).isBetween(25L, 30L);
    assertThat(healthOf(router, "openai", "second").has("models_cooling_down")).isFalse();
  }

  @Test
  void a401CoolsTheWholeProviderWhateverTheModel() {
    first.enqueue(Reply.openAiError(401, "invalid_request_error", "invalid_api_key", "bad key"));

    HttpResponse<String> rejected = chat("gpt-4o");
    HttpResponse<String> otherModel = chat("gpt-4o-mini");

    assertThat(provider(rejected)).isEqualTo("second");
    assertThat(provider(otherModel)).isEqualTo("second");
    assertThat(attempts(otherModel)).isEqualTo("1");
    assertThat(first.requestCount()).isEqualTo(1);
    JsonNode health = healthOf(router, "openai", "first");
    assertThat(health.path("state").asString()).isEqualTo("cooling_down");
    assertThat(health.path("reason").asString()).isEqualTo("auth_failed");
  }

  /** The settings that identify a provider: a change to any one is a fix to try at once. */
  enum Fix {
    API_KEY,
    BASE_URL,
    AUTH,
    HEADERS;

    ProviderConfig apply(ProviderConfig p) {
      return switch (this) {
        case API_KEY -> withKey(p, "sk-test-first-fixed-0123456789");
        case BASE_URL -> withBaseUrl(p, p.baseUrl().toString().replace("/v1", "/v2"));
        case AUTH -> p.withAuth(Auth.API_KEY);
        case HEADERS -> p.withHeaders(List.of(new ProviderHeader("X-Tenant", "t-2", false)));
      };
    }
  }

  /** Rejects first's key once, so that it cools down for 5 min, then reloads with {@code edit}. */
  private void rejectFirstThenReload(UnaryOperator<ProviderConfig> editFirst) {
    first.enqueue(Reply.openAiError(401, "invalid_request_error", "invalid_api_key", "bad key"));
    assertThat(provider(chat("gpt-4o"))).isEqualTo("second");
    assertThat(healthOf(router, "openai", "first").path("state").asString())
        .isEqualTo("cooling_down");
    RouterConfig old = router.router().config();
    ProviderConfig oldFirst = old.openai().get(0);
    assertThat(oldFirst.name()).isEqualTo("first");
    // second gets a new key either way: a change elsewhere must not free first.
    ProviderConfig newSecond = withKey(old.openai().get(1), "sk-test-second-rotated-0123456789");
    router
        .router()
        .reload(
            new RouterConfig(
                old.server(),
                old.logDir(),
                List.of(editFirst.apply(oldFirst), newSecond),
                old.anthropic()));
  }

  @ParameterizedTest(name = "after a changed {0}")
  @EnumSource(Fix.class)
  void aRejectedProviderWhoseIdentityChangedInAReloadIsTriedAtOnce(Fix fix) {
    rejectFirstThenReload(fix::apply);

    HttpResponse<String> r = chat("gpt-4o");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(provider(r)).isEqualTo("first");
    assertThat(attempts(r)).isEqualTo("1");
    assertThat(first.requestCount()).isEqualTo(2);
    assertThat(healthOf(router, "openai", "first").path("state").asString()).isEqualTo("healthy");
  }

  @Test
  void aRejectedProviderLeftUnchangedByAReloadKeepsCoolingDown() {
    rejectFirstThenReload(UnaryOperator.identity());

    HttpResponse<String> r = chat("gpt-4o");

    assertThat(provider(r)).isEqualTo("second");
    assertThat(attempts(r)).isEqualTo("1");
    assertThat(first.requestCount()).isEqualTo(1);
    JsonNode health = healthOf(router, "openai", "first");
    assertThat(health.path("state").asString()).isEqualTo("cooling_down");
    assertThat(health.path("reason").asString()).isEqualTo("auth_failed");
  }
}
