package dev.llmrouter.config;

import static dev.llmrouter.config.ConfigTesting.OK;
import static dev.llmrouter.config.ConfigTesting.parse;
import static dev.llmrouter.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact wording and path of each kind of problem, one broken setting at a time. */
class ProblemMessagesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {'openai': [{%s}, {'priority': 1.5, %<s}]}           | openai[1].priority: must be an integer
          {'openai': [{'priority': '1', %s}]}                  | openai[0].priority: must be an integer
          {'openai': [{'priority': 2147483648, %s}]}           | openai[0].priority: must be -2147483648..2147483647
          {'openai': [{'timeout': -1, %s}]}                    | openai[0].timeout: must be a positive number of seconds
          {'openai': [{'timeout': 0, %s}]}                     | openai[0].timeout: must be a positive number of seconds
          {'openai': [{'timeout': '30', %s}]}                  | openai[0].timeout: must be a positive number of seconds
          {'openai': [{'timeout': null, %s}]}                  | openai[0].timeout: must be a positive number of seconds
          {'openai': [{'timeout': 1e-10, %s}]}                 | openai[0].timeout: must be a positive number of seconds
          {'openai': [{'timeout': 2e9, %s}]}                   | openai[0].timeout: must be at most 1000000000 seconds
          {'openai': [{'stream_idle_timeout': 0, %s}]}         | openai[0].stream_idle_timeout: must be a positive number of seconds
          {'openai': [{'max_retries': -1, %s}]}                | openai[0].max_retries: must be 0..10
          {'openai': [{'max_retries': 1.0, %s}]}               | openai[0].max_retries: must be an integer
          {'openai': [{'name': '', %s}]}                       | openai[0].name: must be a non-empty string
          {'openai': [{'name': 5, %s}]}                        | openai[0].name: must be a string
          {'openai': [{'base_url': 'https://x'}]}              | openai[0].api_key: required
          {'openai': [{'api_key': '', 'base_url': 'https://x'}]}   | openai[0].api_key: required
          {'openai': [{'api_key': '  ', 'base_url': 'https://x'}]} | openai[0].api_key: required
          {'openai': [{'api_key': 42, 'base_url': 'https://x'}]}   | openai[0].api_key: must be a string
          {'openai': [{'api_key': 'a b', 'base_url': 'https://x'}]} | openai[0].api_key: must not contain whitespace or control characters
          {'openai': [{'api_key': 'Bearer sk-a', 'base_url': 'https://x'}]} | openai[0].api_key: must be the key alone, without 'Bearer '
          {'openai': [{'api_key': 'k'}]}                       | openai[0].base_url: required
          {'openai': [{'api_key': 'k', 'base_url': 'ftp://x'}]}         | openai[0].base_url: must be an http or https URL
          {'openai': [{'api_key': 'k', 'base_url': 'api.openai.com'}]}  | openai[0].base_url: must be an http or https URL
          {'openai': [{'api_key': 'k', 'base_url': '/v1'}]}             | openai[0].base_url: must be an http or https URL
          {'openai': [{'api_key': 'k', 'base_url': 'https://'}]}        | openai[0].base_url: must be an http or https URL
          {'openai': [{'api_key': 'k', 'base_url': 'https://a b'}]}     | openai[0].base_url: must be an http or https URL
          {'openai': [{'api_key': 'k', 'base_url': 'mailto:a@b.c'}]}    | openai[0].base_url: must be an http or https URL
          {'openai': [{'api_key': 'k', 'base_url': 8080}]}              | openai[0].base_url: must be an http or https URL
          {'openai': [{'api_key': 'k', 'base_url': ''}]}                | openai[0].base_url: required
          {'openai': [{'api_key': 'k', 'base_url': 'https://x/v1?a=b'}]} | openai[0].base_url: must not have a query or fragment
          {'openai': [{'api_key': 'k', 'base_url': 'https://x/v1#top'}]} | openai[0].base_url: must not have a query or fragment
          {'openai': [{'api_key': 'k', 'base_url': 'https://u:p@x/v1'}]} | openai[0].base_url: must not contain user info (put credentials in api_key)
          {'anthropic': [{'name': 'x', %s}, {%<s}, {'name': 'x', %<s}]} | anthropic[2].name: duplicate name 'x'
          {'anthropic': [{'name': 'a\\nb', %s}]}               | anthropic[0].name: must not hold control characters (line breaks, tabs)
          {'openai': {}}                                       | openai: must be an array
          {'openai': null}                                     | openai: must be an array
          {'openai': [1]}                                      | openai[0]: must be an object
          {'openai': [[]]}                                     | openai[0]: must be an object
          {'server': {'port': 65536}, 'openai': [{%s}]}        | server.port: must be 1..65535 (or 0: any free port)
          {'server': {'port': -1}, 'openai': [{%s}]}           | server.port: must be 1..65535 (or 0: any free port)
          {'server': {'port': 80.5}, 'openai': [{%s}]}         | server.port: must be an integer
          {'server': {'host': ''}, 'openai': [{%s}]}           | server.host: must be a non-empty string
          {'server': {'api_keys': 'k'}, 'openai': [{%s}]}      | server.api_keys: must be an array
          {'server': {'api_keys': ['a', '']}, 'openai': [{%s}]} | server.api_keys[1]: must be a non-empty string
          {'server': {'api_keys': [1]}, 'openai': [{%s}]}      | server.api_keys[0]: must be a string
          {'server': {'max_body_bytes': 1023}, 'openai': [{%s}]} | server.max_body_bytes: must be 1024..2147483647
          {'server': {'max_body_bytes': 2147483648}, 'openai': [{%s}]} | server.max_body_bytes: must be 1024..2147483647
          {'server': {'request_timeout': 0}, 'openai': [{%s}]} | server.request_timeout: must be a positive number of seconds
          {'server': {'shutdown_grace': -0.5}, 'openai': [{%s}]} | server.shutdown_grace: must be a non-negative number of seconds
          {'server': [], 'openai': [{%s}]}                     | server: must be an object
          {'logging': 'logs', 'openai': [{%s}]}                | logging: must be an object
          {'logging': {'dir': 7}, 'openai': [{%s}]}            | logging.dir: must be a string
          {'logging': {'dir': 'a\\u0000b'}, 'openai': [{%s}]}  | logging.dir: must be a valid path
          {'logging': {'bodies': 'all'}, 'openai': [{%s}]}     | logging.bodies: must be one of "full", "errors", "none"
          {'logging': {'bodies': 'NONE'}, 'openai': [{%s}]}    | logging.bodies: must be one of "full", "errors", "none"
          {'logging': {'bodies': false}, 'openai': [{%s}]}     | logging.bodies: must be one of "full", "errors", "none"
          {'logging': {'max_file_mb': 0}, 'openai': [{%s}]}    | logging.max_file_mb: must be an integer >= 1
          {'logging': {'max_file_mb': 1.5}, 'openai': [{%s}]}  | logging.max_file_mb: must be an integer >= 1
          {'logging': {'max_file_mb': '100'}, 'openai': [{%s}]} | logging.max_file_mb: must be an integer >= 1
          {'logging': {'max_file_mb': 1000000001}, 'openai': [{%s}]} | logging.max_file_mb: must be at most 1000000000
          {'logging': {'keep_files': -1}, 'openai': [{%s}]}    | logging.keep_files: must be an integer >= 0
          {'logging': {'keep_files': 2147483648}, 'openai': [{%s}]} | logging.keep_files: must be at most 2147483647
          {'logging': {'keep_file': 3}, 'openai': [{%s}]}      | logging.keep_file: unknown key (did you mean 'keep_files'?)
          {'logging': {'max_file_MB': 3}, 'openai': [{%s}]}    | logging.max_file_MB: unknown key (did you mean 'max_file_mb'?)
          {'openai': [{'colour': 'red', %s}]}                  | openai[0].colour: unknown key
          {'openai': [{'API_KEY': 'x', %s}]}                   | openai[0].API_KEY: unknown key (did you mean 'api_key'?)
          {'openai': [{'base-url': 'x', %s}]}                  | openai[0].base-url: unknown key (did you mean 'base_url'?)
          {'servr': {}, 'openai': [{%s}]}                      | servr: unknown key (did you mean 'server'?)
          {'a b': 1, 'openai': [{%s}]}                         | $["a b"]: unknown key
          {'openai': [{'a234567890123456789012345678901234567890': 1, %s}]} | openai[0].a234567890123456789012345678901234567890: unknown key
          {'openai': [{'a2345678901234567890123456789012345678901': 1, %s}]} | openai[0].<41-character key>: unknown key
          {}                                                   | $: no providers configured (add "openai" or "anthropic")
          {'openai': [], 'anthropic': []}                      | $: no providers configured (add "openai" or "anthropic")
          []                                                   | $: must be an object
          "config"                                             | $: must be an object
          null                                                 | $: must be an object
          """)
  void eachProblemHasItsMessage(String config, String expected) {
    assertThat(problems(config.formatted(OK))).containsExactly(expected);
  }

  @Test
  void defaultNameTakenByAnExplicitNameIsAProblem() {
    assertThat(problems("{'openai': [{'name': 'openai-2', %1$s}, {%1$s}]}".formatted(OK)))
        .containsExactly(
            "openai[1].name: default name 'openai-2' is already used; set a unique \"name\"");
    assertThat(problems("{'openai': [{%1$s}, {'name': 'openai-1', %1$s}]}".formatted(OK)))
        .containsExactly(
            "openai[1].name: duplicate name 'openai-1'"
                + " (the default name of openai[0]; give it a \"name\")");
  }

  @Test
  void schemaKeyIsAllowedAtTheTopLevelOnly() throws Exception {
    assertThat(parse("{'$schema': 'x', 'openai': [{%s}]}".formatted(OK)).openai()).hasSize(1);
    assertThat(problems("{'openai': [{'$schema': 'x', %s}]}".formatted(OK)))
        .containsExactly("openai[0].$schema: unknown key");
  }
}
