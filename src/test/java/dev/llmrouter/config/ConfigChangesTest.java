package dev.llmrouter.config;

import static dev.llmrouter.config.ConfigTesting.parse;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * What a reload reports: names and JSON paths, never a secret; restarts against the running value.
 */
class ConfigChangesTest {

  private static final String A =
      "{'name':'a','api_key':'sk-secret-aaaa-1111','base_url':'https://a.example'}";
  private static final String B = "{'name':'b','api_key':'k','base_url':'https://b.example'}";

  @Test
  void theSameConfigChangesNothing() throws ConfigException {
    RouterConfig c = parse("{'openai':[" + A + "," + B + "]}");

    ConfigChanges changes = ConfigChanges.between(c, c, parse("{'openai':[" + A + "," + B + "]}"));

    assertThat(changes.none()).isTrue();
    assertThat(changes.summary()).isEqualTo("no changes");
  }

  @Test
  void providersAddedRemovedAndChangedByNameWithTheKeysThatChangedNotTheirValues()
      throws ConfigException {
    RouterConfig before = parse("{'openai':[" + A + "],'anthropic':[" + B + "]}");
    RouterConfig after =
        parse(
            "{'openai':[{'name':'a','api_key':'sk-secret-bbbb-2222','base_url':'https://a.example',"
                + "'timeout':30,'headers':{'X-Team':'sk-header-secret'}},"
                + B
                + "]}");

    ConfigChanges changes = ConfigChanges.between(before, before, after);

    assertThat(changes.providersAdded()).containsExactly("openai/b");
    assertThat(changes.providersRemoved()).containsExactly("anthropic/b");
    assertThat(changes.providersChanged()).containsExactly("openai/a (api_key, timeout, headers)");
    assertThat(changes.summary())
        .isEqualTo(
            "providers added: openai/b; providers removed: anthropic/b; providers changed:"
                + " openai/a (api_key, timeout, headers)")
        .doesNotContain("sk-");
  }

  @Test
  void anotherOrderOfTheSameProvidersIsAChange() throws ConfigException {
    RouterConfig before = parse("{'openai':[" + A + "," + B + "]}");

    ConfigChanges changes =
        ConfigChanges.between(before, before, parse("{'openai':[" + B + "," + A + "]}"));

    assertThat(changes.providersChanged()).containsExactly("openai order (b, a)");
  }

  @Test
  void settingsThatApplyAtOnceAreNamedByTheirPath() throws ConfigException {
    RouterConfig before = parse("{'server':{'api_keys':['gw-one-key']},'openai':[" + A + "]}");
    RouterConfig after =
        parse(
            "{'server':{'api_keys':['gw-two-key'],'request_timeout':30},"
                + "'logging':{'bodies':'errors'},'openai':["
                + A
                + "]}");

    ConfigChanges changes = ConfigChanges.between(before, before, after);

    assertThat(changes.settingsChanged())
        .containsExactly("server.api_keys", "server.request_timeout", "logging.bodies");
    assertThat(changes.needRestart()).isEmpty();
    assertThat(changes.summary()).doesNotContain("gw-");
  }

  @Test
  void aRestartIsNeededOnlyWhileTheValueDiffersFromTheOneTheRouterStartedWith()
      throws ConfigException {
    RouterConfig started = parse("{'server':{'port':8000},'openai':[" + A + "]}");
    RouterConfig moved =
        parse(
            "{'server':{'port':8001,'max_in_flight':64},'logging':{'dir':'elsewhere'},'openai':["
                + A
                + "]}");

    ConfigChanges away = ConfigChanges.between(started, started, moved);
    ConfigChanges back = ConfigChanges.between(started, moved, started);

    assertThat(away.needRestart())
        .containsExactly(
            "server.port (running: 8000)",
            "server.max_in_flight (running: " + started.server().maxInFlight() + ")",
            "logging.dir (running: logs)");
    assertThat(away.summary())
        .contains("need a restart to take effect: server.port (running: 8000)");
    assertThat(back.needRestart()).isEmpty();
    assertThat(back.summary()).doesNotContain("restart");
  }

  @Test
  void aRouterStartedOnAnyPortNamesThePortItTookAndNeedsNoRestartForIt() throws ConfigException {
    RouterConfig started = parse("{'server':{'port':0},'openai':[" + A + "]}");
    RouterConfig taken = parse("{'server':{'port':41234},'openai':[" + A + "]}");
    RouterConfig other = parse("{'server':{'port':8000},'openai':[" + A + "]}");

    assertThat(ConfigChanges.between(started, started, taken, 41234).needRestart()).isEmpty();
    assertThat(ConfigChanges.between(started, started, other, 41234).needRestart())
        .containsExactly("server.port (running: 0, bound to 41234)");
  }
}
