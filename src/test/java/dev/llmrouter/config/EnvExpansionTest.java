package dev.llmrouter.config;

import static dev.llmrouter.config.ConfigTesting.OK;
import static dev.llmrouter.config.ConfigTesting.parse;
import static dev.llmrouter.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpansionTest {

  private static final Map<String, String> ENV =
      Map.of(
          "OPENAI_API_KEY", "sk-from-env",
          "HOST", "llm.internal",
          "PORT", "8443",
          "A", "x",
          "B", "y",
          "EMPTY", "",
          "NESTED", "${A}");

  private static ProviderConfig onlyOpenAi(String providerBody) throws ConfigException {
    return parse("{'openai': [{" + providerBody + "}]}", ENV).openai().get(0);
  }

  @Test
  void wholeValueIsReplaced() throws Exception {
    ProviderConfig p =
        onlyOpenAi("'api_key': '${OPENAI_API_KEY}', 'base_url': 'https://api.openai.com/v1'");

    assertThat(p.apiKey()).isEqualTo("sk-from-env");
  }

  @Test
  void embeddedAndMultipleReferencesAreReplaced() throws Exception {
    ProviderConfig p =
        onlyOpenAi("'api_key': '${A}-${B}${A}', 'base_url': 'http://${HOST}:${PORT}/v1'");

    assertThat(p.apiKey()).isEqualTo("x-yx");
    assertThat(p.baseUrl()).isEqualTo(URI.create("http://llm.internal:8443/v1"));
  }

  @Test
  void everyStringSettingIsExpanded() throws Exception {
    RouterConfig config =
        parse(
            """
            {'server': {'host': '${HOST}', 'api_keys': ['${A}']}, 'logging': {'dir': '/tmp/${B}'},
             'anthropic': [{'name': 'n-${A}', %s}]}
            """
                .formatted(OK),
            ENV);

    assertThat(config.server().host()).isEqualTo("llm.internal");
    assertThat(config.server().apiKeys()).containsExactly("x");
    assertThat(config.logDir()).isEqualTo(Path.of("/tmp/y"));
    assertThat(config.anthropic().get(0).name()).isEqualTo("n-x");
  }

  @Test
  void substitutedValuesAreNotExpandedAgain() throws Exception {
    assertThat(onlyOpenAi("'api_key': '${NESTED}', 'base_url': 'https://x'").apiKey())
        .isEqualTo("${A}");
  }

  @Test
  void aDollarWithoutBraceIsLiteral() throws Exception {
    assertThat(onlyOpenAi("'api_key': 'a$b$', 'base_url': 'https://x'").apiKey()).isEqualTo("a$b$");
  }

  @Test
  void unsetVariableIsAProblemNamingItWithoutLeakingOtherValues() {
    assertThat(
            problems(
                "{'openai': [{'api_key': '${OPENAI_API_KEY}${MISSING}', 'base_url': 'https://${HOST}/${GONE}'}]}",
                ENV))
        .containsExactly(
            "openai[0].api_key: environment variable MISSING is not set",
            "openai[0].base_url: environment variable GONE is not set")
        .noneMatch(p -> p.contains("sk-from-env") || p.contains("llm.internal"));
  }

  @Test
  void eachUnsetVariableIsReportedOncePerValue() {
    assertThat(problems("{'openai': [{'api_key': '${X}${Y}${X}', 'base_url': 'https://h'}]}", ENV))
        .containsExactly(
            "openai[0].api_key: environment variable X is not set",
            "openai[0].api_key: environment variable Y is not set");
  }

  @Test
  void variableSetButEmptyIsReportedAsEmptyNotAsAMissingValue() {
    assertThat(problems("{'openai': [{'api_key': '${EMPTY}', 'base_url': 'https://h'}]}", ENV))
        .containsExactly("openai[0].api_key: environment variable EMPTY is empty");
  }

  @Test
  void anEmptyVariableInsideALongerValueIsReportedToo() {
    assertThat(
            problems(
                "{'openai': [{'api_key': 'k-${EMPTY}', 'base_url': 'https://${HOST}${EMPTY}/v1',"
                    + " 'headers': {'X-Org': '${EMPTY}${GONE}'}}]}",
                ENV))
        .containsExactly(
            "openai[0].api_key: environment variable EMPTY is empty",
            "openai[0].base_url: environment variable EMPTY is empty",
            "openai[0].headers.X-Org: environment variable GONE is not set",
            "openai[0].headers.X-Org: environment variable EMPTY is empty")
        .noneMatch(p -> p.contains("llm.internal"));
  }

  @Test
  void malformedReferencesAreProblems() {
    for (String bad : new String[] {"${1X}", "${A", "${}", "${A-B}", "pre${ A}"}) {
      assertThat(problems("{'openai': [{'api_key': '" + bad + "', 'base_url': 'https://h'}]}", ENV))
          .as(bad)
          .containsExactly(
              "openai[0].api_key: malformed ${...} reference"
                  + " (expected ${NAME}, NAME = letters, digits, _)");
    }
  }

  @Test
  void duplicateNameFromAVariableIsShownAsWritten() {
    assertThat(
            problems(
                "{'openai': [{'name': 'x', %1$s}, {'name': '${A}', %1$s}]}".formatted(OK), ENV))
        .containsExactly("openai[1].name: duplicate name '${A}'");
  }

  @Test
  void referencesInKeysAndNonStringValuesAreNotExpanded() {
    // Only string values are expanded: "${A}" as a priority is still a string, not an integer.
    assertThat(problems("{'openai': [{'priority': '${PORT}', %s}]}".formatted(OK), ENV))
        .containsExactly("openai[0].priority: must be an integer");
  }

  @Test
  void theSecretFilesAConfigReadsAreListedOnceEachForTheWatcher() {
    String text =
        """
        {"openai": [{"api_key": "${file:/run/secrets/openai}", "base_url": "${BASE}"},
                    {"api_key": "${file:keys/backup}", "headers": {"x": "${file:/run/secrets/openai}"}},
                    {"api_key": "${file:\\/run\\/secrets\\/escaped}"},
                    {"api_key": "${file:}", "base_url": "${broken"}]}
        """;

    assertThat(EnvExpander.secretFiles(text))
        .containsExactly(
            Path.of("/run/secrets/openai"),
            Path.of("keys/backup"),
            Path.of("/run/secrets/escaped"));
  }
}
