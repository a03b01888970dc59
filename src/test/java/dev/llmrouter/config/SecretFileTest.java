package dev.llmrouter.config;

import static dev.llmrouter.config.ConfigTesting.parse;
import static dev.llmrouter.config.ConfigTesting.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** <code>${file:PATH}</code>: a secret read from a file, as container platforms hand them over. */
class SecretFileTest {

  private static final String SECRET = "sk-from-a-file-0123456789";

  @TempDir Path dir;

  private String provider(String apiKey) {
    return "{'openai': [{'api_key': '" + apiKey + "', 'base_url': 'https://h'}]}";
  }

  @Test
  void theFilesContentIsTheValueWithOneTrailingNewlineRemoved() throws Exception {
    Path unix = Files.writeString(dir.resolve("key"), SECRET + "\n");
    Path windows = Files.writeString(dir.resolve("key-crlf"), SECRET + "\r\n");
    Path twoLines = Files.writeString(dir.resolve("key-2"), SECRET + "\n\n");

    assertThat(parse(provider("${file:" + unix + "}")).openai().get(0).apiKey()).isEqualTo(SECRET);
    assertThat(parse(provider("${file:" + windows + "}")).openai().get(0).apiKey())
        .isEqualTo(SECRET);
    // Only one newline goes: the second stays, and a key may not hold one.
    assertThat(problems(provider("${file:" + twoLines + "}")))
        .containsExactly("openai[0].api_key: must not contain whitespace or control characters");
  }

  @Test
  void itMixesWithTextAndEnvironmentReferencesAndIsASecretInHeaders() throws Exception {
    Path token = Files.writeString(dir.resolve("token"), "tok-0123456789abcdef");
    RouterConfig config =
        parse(
            "{'openai': [{'api_key': 'sk-${file:"
                + token
                + "}', 'base_url': 'https://h',"
                + " 'headers': {'X-Token': 'Bearer ${file:"
                + token
                + "}'}}]}",
            Map.of());

    assertThat(config.openai().get(0).apiKey()).isEqualTo("sk-tok-0123456789abcdef");
    assertThat(config.secrets()).contains("Bearer tok-0123456789abcdef", "tok-0123456789abcdef");
  }

  @Test
  void aByteOrderMarkBeforeTheKeyIsDroppedAndAnInvisibleCharacterElsewhereIsAProblem()
      throws Exception {
    // Notepad writes a BOM first; a key copied from a web page may carry a zero-width space.
    Path bom = Files.writeString(dir.resolve("key-bom"), "\uFEFF" + SECRET + "\r\n");
    Path zeroWidth = Files.writeString(dir.resolve("key-zw"), SECRET + "\u200B");

    assertThat(parse(provider("${file:" + bom + "}")).openai().get(0).apiKey()).isEqualTo(SECRET);
    assertThat(problems(provider("${file:" + zeroWidth + "}")))
        .singleElement()
        .asString()
        .startsWith("openai[0].api_key: must contain only ASCII characters")
        .doesNotContain(SECRET);
    assertThat(problems(provider("sk-pasted\u00a0key-0123"))).isNotEmpty();
    // A gateway key is only compared (in UTF-8), never sent on: any text of a key's shape.
    assertThat(
            parse(
                    "{'server': {'api_keys': ['geheim-schl\u00fcssel-2024']},"
                        + " 'openai': [{'api_key': 'sk-a-0123456789', 'base_url': 'https://h'}]}")
                .server()
                .apiKeys())
        .containsExactly("geheim-schl\u00fcssel-2024");
  }

  @Test
  void problemsNameThePathAndNeverTheContent() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Path big = Files.write(dir.resolve("big"), new byte[70 * 1024]);
    Path notUtf8 =
        Files.write(
            dir.resolve("latin1"), "sk-\u00e9t\u00e9".getBytes(StandardCharsets.ISO_8859_1));
    Path missing = dir.resolve("missing");

    assertThat(problems(provider("${file:" + missing + "}")))
        .containsExactly("openai[0].api_key: secret file " + missing + " does not exist");
    assertThat(problems(provider("${file:" + empty + "}")))
        .containsExactly("openai[0].api_key: secret file " + empty + " is empty");
    assertThat(problems(provider("${file:" + big + "}")))
        .containsExactly("openai[0].api_key: secret file " + big + " is larger than 65536 bytes");
    assertThat(String.join("\n", problems(provider("${file:" + notUtf8 + "}"))))
        .contains("secret file " + notUtf8 + " is not valid UTF-8 text")
        .doesNotContain("sk-");
    assertThat(problems(provider("${file:" + dir + "}")))
        .singleElement()
        .asString()
        .contains("secret file " + dir + " is not a regular file");
  }
}
