package org.nexusreussite.secrets.spi.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressesTest {
  @Test
  void redactReplacesUserAndPassword() {
    assertEquals("https://***@vault.example:8200", Addresses.redact("https://user:hunter2@vault.example:8200"));
  }

  @Test
  void redactHandlesAnAtSignInThePassword() {
    assertEquals("https://***@host/v1", Addresses.redact("https://u:p@ss@host/v1"));
  }

  @Test
  void redactLeavesAnAtSignInThePathAlone() {
    assertEquals("https://host/a@b", Addresses.redact("https://host/a@b"));
  }

  @Test
  void redactWorksOnTextThatIsNotAUri() {
    assertEquals("***@host:99999 x", Addresses.redact("user:secret@host:99999 x"));
  }

  @Test
  void addressesWithoutUserInfoAreUnchanged() {
    assertEquals("http://127.0.0.1:8200", Addresses.redact("http://127.0.0.1:8200"));
    assertFalse(Addresses.hasUserInfo("http://127.0.0.1:8200"));
  }

  @Test
  void withoutUserInfoDropsIt() {
    assertEquals("https://host:8200", Addresses.withoutUserInfo("https://user:pw@host:8200"));
    assertTrue(Addresses.hasUserInfo("https://user:pw@host:8200"));
  }
}
