package dev.llmrouter.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void replacesEverySecretLongestFirst() {
    Redactor r = new Redactor(List.of("sk-abc123", "sk-abc123def-long", ""));
    assertThat(r.redact("k=sk-abc123def-long and sk-abc123"))
        .isEqualTo("k=[REDACTED] and [REDACTED]")
        .doesNotContain("sk-abc");
  }

  @Test
  void manyKeysWithTheSamePrefixAreEachFoundInEverySpelling() {
    List<String> keys = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      keys.add("sk-proj-key-number-" + i + "-abcdef");
    }
    Redactor r = new Redactor(keys);
    String seventeenth = "sk-proj-key-number-17-abcdef";
    assertThat(r.redact("ask task desk " + seventeenth + " sk-proj-other"))
        .isEqualTo("ask task desk [REDACTED] sk-proj-other");
    // The second character as a JSON escape, the first as a percent escape.
    assertThat(
            r.redact("x s\\u006b" + seventeenth.substring(2) + " %73k" + seventeenth.substring(2)))
        .isEqualTo("x [REDACTED] [REDACTED]");
  }

  @Test
  void aKeyInsideBase64IsFoundAtEveryAlignmentInBothAlphabets() {
    String key = "sk-proj-Ab3?>~x9_Zq/+k"; // '?', '>' and '~' give '/' and '+' when encoded
    Redactor r = new Redactor(List.of(key));
    java.util.Base64.Encoder[] encoders = {
      java.util.Base64.getEncoder(), java.util.Base64.getUrlEncoder().withoutPadding()
    };
    for (java.util.Base64.Encoder encoder : encoders) {
      for (String before : List.of("", "u", "us", "user:")) {
        for (String after : List.of("", "!", "!!")) {
          String encoded =
              encoder.encodeToString(
                  (before + key + after).getBytes(java.nio.charset.StandardCharsets.UTF_8));
          String out = r.redact("Authorization: Basic " + encoded + " end");
          assertThat(out).as(before + "|" + after).contains("[REDACTED]").endsWith(" end");
          // At most the two characters at each end that mix the key with its neighbours remain.
          assertThat(out.length() - "Authorization: Basic  end".length())
              .isLessThanOrEqualTo(
                  "[REDACTED]".length() + 2 * 2 + (before.length() + after.length()) * 4 / 3 + 4);
        }
      }
    }
    // Base64 that merely resembles text is left alone.
    assertThat(r.redact("aGVsbG8gd29ybGQ=")).isEqualTo("aGVsbG8gd29ybGQ=");
  }

  @Test
  void placeholdersShorterThanEightCharactersAreNotSecrets() {
    // A local server's key "ollama" on a provider named "ollama" must not blank out its name.
    Redactor r = new Redactor(List.of("ollama", "sk-abcdefgh"));
    assertThat(r.redact("ollama: 404, key sk-abcdefgh")).isEqualTo("ollama: 404, key [REDACTED]");
    assertThat(Redactor.ofAnyLength(List.of("gw-1")).containsSecret("Bearer gw-1")).isTrue();
  }

  private static final String KEY = "sk-live-0123456789abcdef";

  /** Each character of the key as a JSON escape. */
  private static String escaped(String key) {
    StringBuilder b = new StringBuilder();
    key.chars().forEach(c -> b.append(String.format("\\u%04x", c)));
    return b.toString();
  }

  @Test
  void findsAKeySpelledWithJsonEscapes() {
    Redactor r = new Redactor(List.of(KEY));
    String body = "{\"error\":{\"message\":\"bad key " + escaped(KEY) + "\"}}";

    String redacted = r.redact(body);

    assertThat(redacted).isEqualTo("{\"error\":{\"message\":\"bad key [REDACTED]\"}}");
    assertThat(tools.jackson.databind.json.JsonMapper.shared().readTree(redacted).isObject())
        .isTrue();
  }

  @Test
  void findsAKeySpelledWithMixedEscapesAndPercentEncoding() {
    Redactor r = new Redactor(List.of("sk-a/b-123456"));

    assertThat(r.redact("x s\\u006b-a\\/b-12%33456 y")).isEqualTo("x [REDACTED] y");
    assertThat(r.redact("?key=sk%2Da%2Fb-123456&x=1")).isEqualTo("?key=[REDACTED]&x=1");
    assertThat(r.redact(("a " + "sk-a/b-123456").getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .asString()
        .isEqualTo("a [REDACTED]");
  }

  @Test
  void aKeyWithLiteralPercentOrBackslashIsStillFound() {
    Redactor r = new Redactor(List.of("key%41-\\n-0123456789"));

    assertThat(r.redact("[key%41-\\n-0123456789]")).isEqualTo("[[REDACTED]]");
  }

  @Test
  void nothingChangesWithoutAKeyAndTheSameArrayComesBack() {
    Redactor r = new Redactor(List.of(KEY));
    byte[] body =
        "{\"s\":\"\\u0073k-live\\\\ %zz sk-\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThat(r.redact(body)).isSameAs(body);
    assertThat(r.containsSecret("no key here")).isFalse();
    assertThat(r.containsSecret("x" + escaped(KEY))).isTrue();
  }

  @Test
  void aKeyRightAfterABackslashGoesWithTheBackslashSoJsonStaysValid() {
    // In plain text a backslash is a backslash (a Windows path in an error message); in JSON it
    // starts an escape, which a match must not cut in half. Taking the backslash along does both.
    Redactor r = new Redactor(List.of("u0041-and-more-chars", "nvapi-0123456789"));

    assertThat(r.redact("{\"m\":\"\\u0041-and-more-chars\"}")).isEqualTo("{\"m\":\"[REDACTED]\"}");
    assertThat(r.redact("open C:\\nvapi-0123456789 failed")).isEqualTo("open C:[REDACTED] failed");
    assertThat(r.redact("C:\\sk-plain-text-key-1")).isEqualTo("C:\\sk-plain-text-key-1");
    assertThat(new Redactor(List.of("sk-plain-text-key-1")).redact("C:\\sk-plain-text-key-1"))
        .isEqualTo("C:[REDACTED]");
    // An escaped backslash before the key: the key itself is replaced, the escape stays whole.
    assertThat(new Redactor(List.of("sk-plain-text-key-1")).redact("\"C:\\\\sk-plain-text-key-1\""))
        .isEqualTo("\"C:\\\\[REDACTED]\"");
  }

  @Test
  void aKeyRightAfterWhatLooksLikeAPercentEscapeIsFound() {
    // "%ab" could be an escape, but the hex key starts at its second byte.
    Redactor r = new Redactor(List.of("ab12cd34ef56"));

    assertThat(r.redact("usage 100%ab12cd34ef56 left")).isEqualTo("usage 100%[REDACTED] left");
    assertThat(r.redact("key=%61b12cd34ef56")).isEqualTo("key=[REDACTED]");
  }

  @Test
  void masksKeysShowingOnlyTheirEnds() {
    assertThat(Redactor.mask("sk-proj-1234567890abcd")).isEqualTo("sk-...abcd");
    assertThat(Redactor.mask("short")).isEqualTo("***");
    assertThat(Redactor.mask("sk-test-123")).isEqualTo("***"); // 11: 4 would stay unseen
    assertThat(Redactor.mask("sk-test-1234")).isEqualTo("sk-...1234");
    assertThat(Redactor.mask("abcdefghijklmnopqrs")).isEqualTo("***"); // 19, no public prefix
    assertThat(Redactor.mask("sk-0123456789abcdefg")).isEqualTo("sk-...defg");
  }

  @Test
  void keyIdIsStableAndDoesNotContainTheKey() {
    String id = Redactor.keyId("sk-secret-value");
    assertThat(id).isEqualTo(Redactor.keyId("sk-secret-value")).startsWith("key_").hasSize(12);
    assertThat(id).doesNotContain("secret");
  }

  @Test
  void aCutBacksOffToTheStartOfTheKeyLikeRunItSplitsAndNoFurther() {
    String text = "error: key sk-abc%2Ddef\\u0067+/= rejected";
    int inKey = text.indexOf("def");

    assertThat(Redactor.cutPoint(text, inKey)).isEqualTo(text.indexOf("sk-"));
    assertThat(Redactor.cutPoint(text.getBytes(StandardCharsets.UTF_8), inKey))
        .isEqualTo(text.indexOf("sk-"));
    // At the edge of a run, or past the end: the cut stands.
    assertThat(Redactor.cutPoint(text, text.indexOf(" rejected")))
        .isEqualTo(text.indexOf(" rejected"));
    assertThat(Redactor.cutPoint(text, text.indexOf("sk-"))).isEqualTo(text.indexOf("sk-"));
    assertThat(Redactor.cutPoint(text, text.length() + 5)).isEqualTo(text.length());
    assertThat(Redactor.cutPoint("abcdef", 3)).isZero();
    // In a run longer than any key's longest spelling, 2 KiB back is enough, and no further.
    assertThat(Redactor.cutPoint("x".repeat(5000), 4000)).isEqualTo(4000 - Redactor.MAX_BACKOFF);
    assertThat(Redactor.cutPoint("héllo wörld", 8)).isEqualTo(8); // not ASCII: no key character
    assertThat(Redactor.cutPoint("héllo wörld", 9)).isEqualTo(8);
  }

  @Test
  void reloadsAddOnlyTheNewKeysAndTheScanStaysTheSameSize() throws Exception {
    String key = "sk-reloaded-key-0123456789";
    Redactor r = new Redactor(List.of(key));
    java.lang.reflect.Field secrets = Redactor.class.getDeclaredField("secrets");
    secrets.setAccessible(true);
    int once = ((List<?>) secrets.get(r)).size(); // the key and its six base64 runs

    for (int i = 0; i < 6; i++) { // each of them tripled the list before
      r.add(List.of(key)); // a reload that changes nothing
    }
    r.add(List.of("sk-rotated-key-9876543210"));

    assertThat((List<?>) secrets.get(r)).hasSize(2 * once);
    assertThat(r.redact("a " + key + " b sk-rotated-key-9876543210"))
        .isEqualTo("a [REDACTED] b [REDACTED]");
  }
}
