package dev.llmrouter.config;

import static dev.llmrouter.config.ConfigTesting.rawProblems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Syntax errors give exactly one short line with a position and no Jackson internals. */
class JsonSyntaxTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {"openai": [\\n  {"api_key": "k",}\\n]}  | $: invalid JSON at line 2, column 18: trailing comma (remove it: JSON allows no comma after the last entry)
          {"openai": [                           | $: invalid JSON at line 1, column 12: the document ends before this '[' is closed (add a ']' where it should end)
          {"openai": "abc                        | $: invalid JSON at line 1, column 16: unterminated string
          {"a": tru}                             | $: invalid JSON at line 1, column 7: unexpected word (strings need double quotes; NaN and Infinity are not allowed)
          {"a": NaN}                             | $: invalid JSON at line 1, column 10: unexpected word (strings need double quotes; NaN and Infinity are not allowed)
          {"a": 1, "a": 2}                       | $: invalid JSON at line 1, column 13: duplicate key "a"
          {"a2345678901234567890123456789012345678901": 1, "a2345678901234567890123456789012345678901": 2} | $: invalid JSON at line 1, column 93: duplicate 41-character key
          {} {}                                  | $: invalid JSON at line 1, column 4: unexpected content after the end of the document
          {} x                                   | $: invalid JSON at line 1, column 4: unexpected word (strings need double quotes; NaN and Infinity are not allowed)
          // note\\n{}                            | $: invalid JSON at line 1, column 1: comment (JSON has no comments: remove it)
          {'a': 1}                               | $: invalid JSON at line 1, column 2: single quote (JSON keys and strings need double quotes)
          {"a": 01}                              | $: invalid JSON at line 1, column 8: invalid number
          {"a": 1.e5}                            | $: invalid JSON at line 1, column 8: invalid number
          {"a": "\\q"}                           | $: invalid JSON at line 1, column 9: invalid escape sequence in a string
          {"a": "x\\ny"}                          | $: invalid JSON at line 1, column 9: control character in a string (escape it, e.g. \\n)
          ``                                     | $: invalid JSON at line 1, column 1: empty document
          `  \\n  `                              | $: invalid JSON at line 1, column 1: empty document
          """)
  void syntaxErrorIsOneShortLineWithPosition(String text, String expected) {
    // The CSV rows spell a newline as \n; real newlines make the line/column meaningful.
    List<String> problems = rawProblems(text.replace("\\n", "\n"), Map.of());

    assertThat(problems).containsExactly(expected);
    assertThat(problems.get(0)).doesNotContain("\n", "Source", "Feature", "jackson", "(code");
    assertThat(problems.get(0).length()).isLessThan(140);
  }
}
