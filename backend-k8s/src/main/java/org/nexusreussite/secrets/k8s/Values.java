package org.nexusreussite.secrets.k8s;

import java.nio.charset.StandardCharsets;
import org.nexusreussite.secrets.SecretValue;

/** Turns stored bytes into a value: UTF-8, with one trailing line break removed when asked. */
final class Values {
  private Values() {}

  /**
   * Decodes {@code bytes}. With {@code trimNewline}, a single trailing {@code \n} or {@code \r\n} is
   * removed: files written by editors and by {@code kubectl create secret --from-file} usually end with
   * one, and it is almost never part of the secret.
   */
  static SecretValue decode(byte[] bytes, boolean trimNewline) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (trimNewline && text.endsWith("\n")) {
      text = text.substring(0, text.length() - (text.endsWith("\r\n") ? 2 : 1));
    }
    return SecretValue.of(text);
  }
}
