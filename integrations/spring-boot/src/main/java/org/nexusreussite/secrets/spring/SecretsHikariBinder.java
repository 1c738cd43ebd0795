package org.nexusreussite.secrets.spring;

import com.zaxxer.hikari.HikariDataSource;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.Keys;
import org.nexusreussite.secrets.SecretResolver;
import org.nexusreussite.secrets.Subscription;
import org.nexusreussite.secrets.hikari.HikariCredentialRotation;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Wires {@code secrets-hikari}'s credential swap to the application's HikariCP pool when the pool's credentials
 * come from secrets: when {@code spring.datasource.username} and {@code spring.datasource.password} are written as
 * placeholders of two secrets ({@code ${DB_USER}}, {@code ${DB_PASSWORD}}), the pool is bound to that pair with
 * {@link HikariCredentialRotation#bind}; when only {@code spring.datasource.url} is a placeholder
 * ({@code ${DATABASE_URL}}) and no user or password is set, to that key with
 * {@link HikariCredentialRotation#bindUrl}. A rotation then gives the pool the new pair and retires its
 * connections softly: no restart, no failed query.
 *
 * <p>Binds the single {@link HikariDataSource} bean once every singleton exists; unbinds when the context
 * closes. Logs which keys were bound, never a value.
 */
final class SecretsHikariBinder implements SmartInitializingSingleton, DisposableBean {
  private static final System.Logger LOG = System.getLogger(SecretsHikariBinder.class.getName());
  /** {@code ${KEY}} or {@code ${KEY:default}}, the whole value. */
  private static final Pattern PLACEHOLDER = Pattern.compile("^\\$\\{([^}:]+)(?::[^}]*)?}$");

  private final SecretResolver resolver;
  private final ObjectProvider<HikariDataSource> dataSources;
  private final ConfigurableEnvironment environment;
  private final List<Subscription> bindings = new ArrayList<>();

  SecretsHikariBinder(SecretResolver resolver, ObjectProvider<HikariDataSource> dataSources,
      ConfigurableEnvironment environment) {
    this.resolver = resolver;
    this.dataSources = dataSources;
    this.environment = environment;
  }

  @Override
  public void afterSingletonsInstantiated() {
    HikariDataSource pool = dataSources.getIfUnique();
    if (pool == null) {
      return;
    }
    String userKey = secretKey("spring.datasource.username");
    String passwordKey = secretKey("spring.datasource.password");
    String urlKey = secretKey("spring.datasource.url");
    if (userKey != null && passwordKey != null) {
      bindings.add(HikariCredentialRotation.bind(resolver, pool, userKey, passwordKey));
      LOG.log(Level.INFO, "HikariCP pool bound to secrets {0}/{1}: rotations swap its credentials", userKey,
          passwordKey);
    } else if (urlKey != null && raw("spring.datasource.username") == null
        && raw("spring.datasource.password") == null) {
      bindings.add(HikariCredentialRotation.bindUrl(resolver, pool, urlKey));
      LOG.log(Level.INFO, "HikariCP pool bound to secret {0}: rotations swap its credentials", urlKey);
    }
  }

  /** The secret a property's raw value names as its whole placeholder, when the resolver serves it; else null. */
  @Nullable String secretKey(String property) {
    String raw = raw(property);
    if (raw == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(raw.strip());
    if (!m.matches()) {
      return null;
    }
    String key = m.group(1).strip();
    return Keys.isValid(key) && resolver.find(key).isPresent() ? key : null;
  }

  /** The property's value as written in the first source that has it (placeholders unresolved). */
  private @Nullable String raw(String property) {
    for (PropertySource<?> source : environment.getPropertySources()) {
      if (source instanceof SecretsPropertySource || source.getName().equals("configurationProperties")) {
        continue;
      }
      Object value = source.getProperty(property);
      if (value != null) {
        return value.toString();
      }
    }
    return null;
  }

  @Override
  public void destroy() {
    for (Subscription s : bindings) {
      s.close();
    }
  }
}
