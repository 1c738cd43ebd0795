package org.nexusreussite.secrets.spi.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonStringsTest {

  @Test
  void escapesQuotesBackslashesAndEveryControlCharacter() {
    assertThat(JsonStrings.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(JsonStrings.quote("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
    assertThat(JsonStrings.quote("\u0000\u001f")).isEqualTo("\"\\u0000\\u001f\"");
  }

  @Test
  void escapesTheJavaScriptLineTerminatorsAndKeepsOtherCharacters() {
    assertThat(JsonStrings.quote("\u2028\u2029")).isEqualTo("\"\\u2028\\u2029\"");
    assertThat(JsonStrings.quote("é€😀 /")).isEqualTo("\"é€😀 /\"");
  }

  @Test
  void appendsToABuilder() {
    StringBuilder sb = new StringBuilder("x=");
    JsonStrings.quote(sb, "");
    assertThat(sb).hasToString("x=\"\"");
  }
}
