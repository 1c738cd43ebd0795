package org.nexusreussite.secrets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class JsonFieldsTest {

  @Test
  void stringFieldsAreDecoded() throws Exception {
    Map<String, String> fields = JsonFields.parse(
        " {\"A\":\"plain\", \"B\":\"q\\\"b\\\\s\\/n\\nt\\tu\\u00e9\\ud83d\\ude00\"} ");
    assertThat(fields).containsExactly(Map.entry("A", "plain"), Map.entry("B", "q\"b\\s/n\nt\tu\u00e9\ud83d\ude00"));
  }

  @Test
  void numbersAndBooleansKeepTheirLiteralTextAndNullsAreLeftOut() throws Exception {
    Map<String, String> fields = JsonFields.parse(
        "{\"port\":5432,\"ratio\":-1.5e3,\"zero\":0,\"on\":true,\"off\":false,\"none\":null}");
    assertThat(fields).containsExactly(Map.entry("port", "5432"), Map.entry("ratio", "-1.5e3"),
        Map.entry("zero", "0"), Map.entry("on", "true"), Map.entry("off", "false"));
  }

  @Test
  void nestedValuesAreKeptAsTheirJsonText() throws Exception {
    Map<String, String> fields = JsonFields.parse("{\"o\":{\"a\": [1, {\"b\":null}], \"c\":\"}\"},\"e\":[]}");
    assertThat(fields).containsExactly(Map.entry("o", "{\"a\": [1, {\"b\":null}], \"c\":\"}\"}"),
        Map.entry("e", "[]"));
  }

  @Test
  void anEmptyObjectHasNoFields() throws Exception {
    assertThat(JsonFields.parse("{}")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "secret-canary", "\"secret-canary\"", "[\"secret-canary\"]", "42",
      "{\"A\":\"secret-canary\"", "{\"A\":\"secret-canary\"} trailing", "{'A':'secret-canary'}",
      "{\"A\":secret-canary}", "{\"A\":\"secret-canary\",}", "{\"A\" \"secret-canary\"}", "{\"A\":01}",
      "{\"A\":\"bad\\x\"}", "{\"A\":\"ctrl\u0001\"}", "{\"A\":1.}", "{\"A\":tru}", "{A:1}", "{\"A\":[1,]}",
      "{\"A\":\"\\u12\"}"})
  void anythingButOneStrictJsonObjectIsAProblemThatQuotesNoContent(String text) {
    assertThatThrownBy(() -> JsonFields.parse(text))
        .isInstanceOf(JsonFields.JsonProblem.class)
        .hasMessageNotContaining("secret")
        .hasMessageNotContaining("canary");
  }

  @Test
  void aProblemSaysWhereAndWhat() {
    assertThatThrownBy(() -> JsonFields.parse("{\"A\":\"x\",}"))
        .hasMessage("expected a field name in double quotes at character 10 (found '}')");
    assertThatThrownBy(() -> JsonFields.parse("password"))
        .hasMessage("expected a JSON object starting with '{' at character 1 but found a letter");
  }

  @Test
  void aRepeatedFieldIsAProblemNamingTheField() {
    assertThatThrownBy(() -> JsonFields.parse("{\"A\":\"1\",\"A\":\"2\"}"))
        .hasMessageContaining("'A' appears twice");
  }

  @Test
  void deepNestingIsRefusedRatherThanOverflowingTheStack() {
    String deep = "{\"A\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
    assertThatThrownBy(() -> JsonFields.parse(deep)).hasMessageContaining("nested deeper than");
  }

  @org.junit.jupiter.api.Test
  void withFieldReplacesOneValueInPlaceAndKeepsEveryOtherByte() throws Exception {
    String text = "{ \"user\": \"app\", \"port\": 5432,\n \"opts\": {\"a\": [1, 2]}, \"password\": \"old\" }";
    String written = JsonFields.withField(text, "password", "n\"e\\w\n\u0001");
    org.assertj.core.api.Assertions.assertThat(written).isEqualTo(
        "{ \"user\": \"app\", \"port\": 5432,\n \"opts\": {\"a\": [1, 2]}, \"password\": \"n\\\"e\\\\w\\n\\u0001\" }");
    org.assertj.core.api.Assertions.assertThat(JsonFields.parse(written).get("password")).isEqualTo("n\"e\\w\n\u0001");
  }

  @org.junit.jupiter.api.Test
  void withFieldAddsAnAbsentFieldBeforeTheClosingBrace() throws Exception {
    org.assertj.core.api.Assertions.assertThat(JsonFields.withField("{}", "K", "v")).isEqualTo("{\"K\":\"v\"}");
    org.assertj.core.api.Assertions.assertThat(JsonFields.withField("{\"A\": 1}", "K", "v"))
        .isEqualTo("{\"A\": 1,\"K\":\"v\"}");
  }
}
