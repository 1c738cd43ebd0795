package org.nexusreussite.secrets.spi.support;

import java.util.Objects;

/**
 * Makes store addresses safe to show. An address such as {@code https://user:password@vault:8200} carries a
 * credential in its userinfo part; every message, health detail, description and {@code toString()} that names
 * an address goes through {@link #redact(String)} first, so the password never reaches a log or a terminal.
 * Stateless and thread-safe.
 */
public final class Addresses {
  /** What replaces the userinfo part. */
  public static final String REDACTED_USERINFO = "***";

  private Addresses() {}

  /**
   * The address with any userinfo replaced by {@value #REDACTED_USERINFO}: {@code https://u:p@host:8200/x}
   * becomes {@code https://***@host:8200/x}. Works on text that is not a valid URI too (a malformed address is
   * exactly the one that ends up in an error message), and leaves an address without userinfo unchanged.
   *
   * @param address the address as configured, never null
   * @return the address safe to show, never null
   */
  public static String redact(String address) {
    Objects.requireNonNull(address, "address");
    int scheme = address.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = authorityEnd(address, start);
    // the last '@' of the authority ends the userinfo: a password may itself contain '@'
    int at = address.lastIndexOf('@', end - 1);
    if (at < start) {
      return address;
    }
    return address.substring(0, start) + REDACTED_USERINFO + address.substring(at);
  }

  /**
   * The address without its userinfo part, for connecting: clients must not send it on as a credential nobody
   * asked for, and must not keep it where it may be printed.
   *
   * @param address the address as configured, never null
   * @return the address without userinfo, never null
   */
  public static String withoutUserInfo(String address) {
    Objects.requireNonNull(address, "address");
    int scheme = address.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int end = authorityEnd(address, start);
    int at = address.lastIndexOf('@', end - 1);
    if (at < start) {
      return address;
    }
    return address.substring(0, start) + address.substring(at + 1);
  }

  /**
   * Whether the address carries userinfo.
   *
   * @param address the address as configured, never null
   */
  public static boolean hasUserInfo(String address) {
    return !withoutUserInfo(address).equals(address);
  }

  private static int authorityEnd(String address, int start) {
    int end = address.length();
    for (char c : new char[] {'/', '?', '#'}) {
      int i = address.indexOf(c, start);
      if (i >= 0 && i < end) {
        end = i;
      }
    }
    return end;
  }
}
