package org.nexusreussite.secrets.examples.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings bound from {@code app.*}, whose values are {@code ${SECRET}} placeholders. A JavaBean (not a
 * record) so that Spring Cloud's rebinder can update it after a rotation.
 */
@ConfigurationProperties("app")
public class AppSettings {
  private String jwtKey = "";
  private String databaseUrl = "";

  /** The JWT signing key. */
  public String getJwtKey() {
    return jwtKey;
  }

  /** Set by Spring. */
  public void setJwtKey(String jwtKey) {
    this.jwtKey = jwtKey;
  }

  /** The database URL. */
  public String getDatabaseUrl() {
    return databaseUrl;
  }

  /** Set by Spring. */
  public void setDatabaseUrl(String databaseUrl) {
    this.databaseUrl = databaseUrl;
  }
}
