package dev.llmrouter.config;

import static dev.llmrouter.config.ConfigTesting.rawProblems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The common hand-editing slips are named in words, at the line and column of the slip itself (the
 * comma, the place a comma is missing, the quote), not where the parser happened to stop.
 */
class JsonSlipsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          {"a": [1,\\n  2,\\n]\\n}          | line 2, column 4: trailing comma (remove it: JSON allows no comma after the last entry)
          {"a": 1,\\n}                     | line 1, column 8: trailing comma (remove it: JSON allows no comma after the last entry)
          {"a": 1 ,  \\n\\n  }               | line 1, column 9: trailing comma (remove it: JSON allows no comma after the last entry)
          {"a": 1\\n "b": 2}               | line 1, column 8: missing comma (a comma goes after every property or array element but the last)
          [1\\n 2]                         | line 1, column 3: missing comma (a comma goes after every property or array element but the last)
          {"a": {}\\n "b": 2}              | line 1, column 9: missing comma (a comma goes after every property or array element but the last)
          {"a": "x"   "b": 2}             | line 1, column 10: missing comma (a comma goes after every property or array element but the last)
          {"a": 1,\\n  b: 2}               | line 2, column 3: key without double quotes (write "key": value, quotes included)
          {port: 1}                       | line 1, column 2: key without double quotes (write "key": value, quotes included)
          {"a": 1, // the port\\n "b": 2}  | line 1, column 10: comment (JSON has no comments: remove it)
          {"a": 1, /* x */ "b": 2}        | line 1, column 10: comment (JSON has no comments: remove it)
          {'a': 1}                        | line 1, column 2: single quote (JSON keys and strings need double quotes)
          {"a": 'x'}                      | line 1, column 7: single quote (JSON keys and strings need double quotes)
          {"a" 1}                         | line 1, column 5: missing colon after the key
          {"a": }                         | line 1, column 7: missing value after the colon
          [1,,2]                          | line 1, column 4: extra comma (remove it)
          {"a": 1,,"b": 2}                | line 1, column 9: extra comma (remove it)
          {"a": {"b": 1}                  | line 1, column 1: the document ends before this '{' is closed (add a '}' where it should end)
          {"a": "}]"                      | line 1, column 1: the document ends before this '{' is closed (add a '}' where it should end)
          {"a": [1, {"b": "\\"[" }        | line 1, column 7: the document ends before this '[' is closed (add a ']' where it should end)
          {"o": [{"n":"a"}}               | line 1, column 17: '}' closes the '[' opened at line 1, column 7 (use ']', or close what is open first)
          {"a": 1]                        | line 1, column 8: ']' closes the '{' opened at line 1, column 1 (use '}', or close what is open first)
          [1, 2}                          | line 1, column 6: '}' closes the '[' opened at line 1, column 1 (use ']', or close what is open first)
          {"a": "]",\\n "b": [1}         | line 2, column 9: '}' closes the '[' opened at line 2, column 7 (use ']', or close what is open first)
          """)
  void aCommonSlipIsNamedWhereItIs(String text, String expected) {
    assertThat(rawProblems(text.replace("\\n", "\n"), Map.of()))
        .containsExactly("$: invalid JSON at " + expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"{\"logging\":{\"dir\":\"x\"},", "{\"a\":\n", "{\"a\"", "{\"a\": {\"b\": 1},\n"})
  void aFileCutAfterACommaAColonOrAKeyIsNamedAsCutToo(String text) {
    assertThat(rawProblems(text, Map.of()))
        .containsExactly(
            "$: invalid JSON at line 1, column 1: the document ends before this '{' is closed"
                + " (add a '}' where it should end)");
  }

  @Test
  void aFileCutInsideAnArrayNamesTheArray() {
    assertThat(rawProblems("{\"a\": [1, 2,", Map.of()))
        .containsExactly(
            "$: invalid JSON at line 1, column 7: the document ends before this '[' is closed"
                + " (add a ']' where it should end)");
  }

  @Test
  void aShellStyleCommentIsNamedToo() {
    // Not in the table above: @CsvSource reads a line that starts with # as a comment.
    assertThat(rawProblems("# settings\n{}", Map.of()))
        .containsExactly(
            "$: invalid JSON at line 1, column 1: comment (JSON has no comments: remove it)");
  }

  @Test
  void windowsLineEndsCountAsOneLine() {
    assertThat(rawProblems("{\"a\": [1,\r\n  2,\r\n]\r\n}", Map.of()))
        .containsExactly(
            "$: invalid JSON at line 2, column 4: trailing comma (remove it: JSON allows no comma"
                + " after the last entry)");
  }

  @Test
  void aByteOrderMarkDoesNotShiftTheColumn() {
    assertThat(rawProblems("\uFEFF{\"a\": 1,}", Map.of()))
        .containsExactly(
            "$: invalid JSON at line 1, column 8: trailing comma (remove it: JSON allows no comma"
                + " after the last entry)");
  }

  @Test
  void theSlipNeverQuotesTheDocument() {
    String secret = "sk-live-0123456789abcdef";
    assertThat(rawProblems("{\"api_key\": '" + secret + "'}", Map.of()))
        .singleElement()
        .asString()
        .doesNotContain(secret);
    assertThat(rawProblems("{" + secret + ": 1}", Map.of()))
        .singleElement()
        .asString()
        .doesNotContain(secret);
  }

  /** Lines and columns are counted the way Jackson counts them, so both kinds of message agree. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"a\": x}",
        "{\n  \"a\": 1,\n  \"b\": tru\n}",
        "{\r\n  \"a\": [1, 2]\r\n  \"b\"}",
        "{\r  \"a\": nul }",
        "[\"é\", \"𝄞\", x]"
      })
  void positionsMatchJacksons(String text) {
    JacksonException e =
        catchThrowableOfType(
            JacksonException.class, () -> JsonMapper.builder().build().readTree(text));
    var location = e.getLocation();

    JsonSlips.Position p = JsonSlips.position(text, (int) location.getCharOffset());

    assertThat(p).isEqualTo(new JsonSlips.Position(location.getLineNr(), location.getColumnNr()));
  }

  @Test
  void otherErrorsAreLeftToTheGeneralMessage() {
    assertThat(JsonSlips.find("{\"a\": tru}", 6, "Unrecognized token 'tru'")).isEmpty();
    assertThat(JsonSlips.find("{}", -1, "Unexpected character ('x' (code 120))")).isEmpty();
  }
}
