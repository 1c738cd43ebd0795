package org.nexusreussite.secrets.hikari;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.nexusreussite.secrets.hikari.HikariCredentialRotation.PoolCredentials;

/**
 * Splits a database URL into its credentials and the URL without them. Errors name the key and the
 * expected forms, never the URL (it holds the password).
 */
final class JdbcUrlCredentials {
  private JdbcUrlCredentials() {}

  static PoolCredentials parse(String key, String url) {
    try {
      return split(key, url);
    } catch (IllegalArgumentException ex) {
      if (ex instanceof NotCredentials) {
        throw ex;
      }
      // URLDecoder's message quotes the text it failed on, which may be the password: not kept as cause
      throw new NotCredentials(key, " (it has a malformed %-escape)");
    }
  }

  private static PoolCredentials split(String key, String url) {
    String jdbc = toJdbc(url.strip());
    int schemeEnd = jdbc.indexOf("://");
    String user = null;
    String password = null;
    StringBuilder location = new StringBuilder();
    String rest = jdbc;
    if (schemeEnd > 0) {
      int authorityStart = schemeEnd + 3;
      int authorityEnd = firstOf(jdbc, authorityStart, "/?;");
      String authority = jdbc.substring(authorityStart, authorityEnd);
      int at = authority.lastIndexOf('@');
      if (at >= 0) {
        String userInfo = authority.substring(0, at);
        int colon = userInfo.indexOf(':');
        if (colon >= 0) {
          user = decodeUserInfo(userInfo.substring(0, colon));
          password = decodeUserInfo(userInfo.substring(colon + 1));
        } else {
          user = decodeUserInfo(userInfo);
        }
        rest = jdbc.substring(0, authorityStart) + authority.substring(at + 1) + jdbc.substring(authorityEnd);
      }
    }
    int query = rest.indexOf('?');
    if (query < 0) {
      location.append(rest);
    } else {
      location.append(rest, 0, query);
      String sep = "?";
      for (String param : rest.substring(query + 1).split("&", -1)) {
        int eq = param.indexOf('=');
        String name = eq < 0 ? param : param.substring(0, eq);
        String value = eq < 0 ? "" : URLDecoder.decode(param.substring(eq + 1), StandardCharsets.UTF_8);
        if (name.equals("user")) {
          user = value;
        } else if (name.equals("password")) {
          password = value;
        } else if (!param.isEmpty()) {
          location.append(sep).append(param);
          sep = "&";
        }
      }
    }
    if (user == null || user.isEmpty() || password == null) {
      throw new NotCredentials(key, "");
    }
    return new PoolCredentials(user, password, location.toString());
  }

  /** {@code postgres://} (Heroku, Render, Fly) becomes {@code jdbc:postgresql://}; other schemes get jdbc:. */
  private static String toJdbc(String url) {
    if (url.regionMatches(true, 0, "jdbc:", 0, 5)) {
      return url;
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("postgres://")) {
      return "jdbc:postgresql://" + url.substring("postgres://".length());
    }
    return "jdbc:" + url;
  }

  private static int firstOf(String s, int from, String chars) {
    for (int i = from; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  /** Percent-decoding as in a URI's user info: a '+' is a plus, not a space. */
  /** The URL holds no usable credentials; the message names the key and the forms, never the URL. */
  static final class NotCredentials extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    NotCredentials(String key, String detail) {
      super("Secret '" + key + "' is not a database URL with a user and a password" + detail
          + ": expected scheme://user:password@host:port/database (percent-encoded) or a JDBC URL with "
          + "user= and password= parameters");
    }
  }

  private static String decodeUserInfo(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
