package dev.llmrouter.config;

import static dev.llmrouter.config.ConfigTesting.rawProblems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No problem message may contain an api key, whatever is wrong around it. */
class SecretLeakTest {

  private static final String KEY = "sk-canary-SECRET123";
  private static final Map<String, String> ENV = Map.of("CANARY", KEY);

  @ParameterizedTest
  @ValueSource(
      strings = {
        // a valid key next to broken settings
        "{'openai': [{'api_key': 'KEY', 'base_url': 'ftp://x', 'priority': 'high', 'timeout': -1}]}",
        // the key under the wrong type or in the wrong place
        "{'openai': [{'api_key': ['KEY'], 'base_url': 'https://x'}]}",
        "{'openai': [{'api_key': {'k': 'KEY'}, 'base_url': 'https://x'}]}",
        "{'openai': [{'api_key': 'k', 'base_url': 'https://x', 'priority': 'KEY'}]}",
        "{'openai': [{'api_key': 'k', 'base_url': 'KEY'}]}",
        "{'openai': [{'api_key': 'k', 'base_url': 'https://KEY@x/v1'}]}",
        "{'openai': [{'api_key': 'k', 'base_url': 'https://x/?key=KEY'}]}",
        "{'openai': [{'api_key': 'k', 'base_url': 'https://x', 'apikey': 'KEY'}]}",
        "{'openai': ['KEY']}",
        "{'openai': 'KEY'}",
        "'KEY'",
        "{'server': {'api_keys': ['KEY', ''], 'host': 'KEY', 'port': 'KEY'}}",
        "{'server': {'api_keys': 'KEY'}}",
        "{'logging': {'dir': ['KEY']}}",
        // malformed keys and references around the key
        "{'openai': [{'api_key': 'KEY with space', 'base_url': 'https://x'}]}",
        "{'openai': [{'api_key': 'KEY${', 'base_url': 'https://x'}]}",
        "{'openai': [{'api_key': 'KEY${NOPE}', 'base_url': 'https://x'}]}",
        // the key arriving through the environment next to an unset variable
        "{'openai': [{'api_key': '${CANARY}${NOPE}', 'base_url': 'https://${CANARY}/${NOPE}'}]}",
        "{'openai': [{'name': 'x', 'api_key': 'k', 'base_url': 'https://x'},"
            + " {'name': '${CANARY}', 'api_key': 'k', 'base_url': 'https://x'},"
            + " {'name': '${CANARY}', 'api_key': 'k', 'base_url': 'https://x'}]}",
        // syntax errors with the key nearby: Jackson's messages would quote it
        "{'openai': [{'api_key': KEY, 'base_url': 'https://x'}]}",
        "{'openai': [{'api_key': SECRET123, 'base_url': 'https://x'}]}",
        "{'openai': [{'api_key': 'KEY', 'api_key': 'KEY'}]}",
        "{'openai': [{'api_key': 'KEY' 'base_url': 'https://x'}]}",
        "{'openai': [{'api_key': 'KEY\\q'}]}",
        "{'openai': [{'api_key': 'KEY",
        "{'x': 1} KEY",
        // a key pasted as a property name
        "{'openai': [{'KEY-padded-to-a-realistic-key-length-0123456789': 1}]}",
        "{'KEY-padded-to-a-realistic-key-length-0123456789': 1,"
            + " 'KEY-padded-to-a-realistic-key-length-0123456789': 1}",
      })
  void noProblemContainsTheKey(String template) {
    String json = template.replace('\'', '"').replace("KEY", KEY);

    List<String> problems = rawProblems(json, ENV);
    ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(json, ENV));

    assertThat(problems).isNotEmpty();
    assertThat(e.getMessage()).doesNotContain("SECRET123");
    assertThat(e.toString()).doesNotContain("SECRET123");
    assertThat(e.getCause()).isNull();
  }
}
