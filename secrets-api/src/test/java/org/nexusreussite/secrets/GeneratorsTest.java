package org.nexusreussite.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class GeneratorsTest {

  @Test
  void hexIsTwoCharactersPerByte() {
    assertThat(SecretGenerators.parse("hex:64").generate().reveal()).hasSize(128).matches("[0-9a-f]+");
  }

  @Test
  void base64AndBase64UrlHaveTheirAlphabetsAndLengths() {
    assertThat(SecretGenerators.parse("base64:48").generate().reveal()).hasSize(64).matches("[A-Za-z0-9+/]+");
    assertThat(SecretGenerators.parse("base64url:32").generate().reveal()).hasSize(43).matches("[A-Za-z0-9_-]+");
  }

  @RepeatedTest(50)
  void aPasswordHasItsLengthAlphabetAndOneOfEachClass() {
    String p = SecretGenerators.parse("password:12").generate().reveal();
    assertThat(p).hasSize(12);
    for (String cls : List.of(SecretGenerators.UPPER, SecretGenerators.LOWER, SecretGenerators.DIGITS,
        SecretGenerators.SYMBOLS)) {
      assertThat(p.chars().anyMatch(c -> cls.indexOf(c) >= 0)).as("a character of " + cls).isTrue();
    }
    String all = SecretGenerators.UPPER + SecretGenerators.LOWER + SecretGenerators.DIGITS + SecretGenerators.SYMBOLS;
    assertThat(p.chars().allMatch(c -> all.indexOf(c) >= 0)).isTrue();
  }

  @Test
  void chosenClassesOnly() {
    for (int i = 0; i < 50; i++) {
      String p = SecretGenerators.parse("password:16:ld").generate().reveal();
      assertThat(p).matches("[a-z0-9]{16}").matches(".*[a-z].*").matches(".*[0-9].*");
    }
  }

  @Test
  void everyCharacterOfTheAlphabetIsUsed() {
    Set<Character> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      for (char c : SecretGenerators.password(32, List.of("abc", "XYZ")).generate().reveal().toCharArray()) {
        seen.add(c);
      }
    }
    assertThat(seen).containsExactlyInAnyOrder('a', 'b', 'c', 'X', 'Y', 'Z');
  }

  @Test
  void valuesDoNotRepeat() {
    Set<String> values = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      values.add(SecretGenerators.hex(16).generate().reveal());
    }
    assertThat(values).hasSize(1000);
  }

  @Test
  void badSpecsAreRefusedWithTheForms() {
    assertThatThrownBy(() -> SecretGenerators.parse("hex:8")).hasMessageContaining("16..4096");
    assertThatThrownBy(() -> SecretGenerators.parse("hex")).hasMessageContaining("needs a length");
    assertThatThrownBy(() -> SecretGenerators.parse("rot13:5")).hasMessageContaining("Unknown generator 'rot13'");
    assertThatThrownBy(() -> SecretGenerators.parse("password:20:uq")).hasMessageContaining("class letters");
  }

  @Test
  void aPluginGeneratorIsFoundByName() {
    assertThat(SecretGenerators.parse("fixedtest:abc").generate().reveal()).isEqualTo("abcabc");
  }

  @Test
  void aDescriptionNeverShowsAValue() {
    SecretGenerator g = SecretGenerators.password(20);
    assertThat(g.describe()).startsWith("password:20");
    assertThat(g.toString()).contains("password:20");
  }
}
