package org.nexusreussite.secrets.examples.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nexusreussite.secrets.SecretExplanation;
import org.nexusreussite.secrets.SecretResolver;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /status}: for each secret the application uses, whether it is set, its length and the backend
 * that served it. Never a value.
 */
@RestController
public class StatusController {
  private static final List<String> KEYS = List.of("SECRET_KEY", "JWT_SECRET_KEY", "DATABASE_URL");

  private final SecretResolver secrets;
  private final AppSettings settings;
  private final String secretKey;

  StatusController(SecretResolver secrets, AppSettings settings, @Value("${SECRET_KEY}") String secretKey) {
    this.secrets = secrets;
    this.settings = settings;
    this.secretKey = secretKey;
  }

  /** Where each secret came from, and the lengths of what the beans hold. */
  @GetMapping("/status")
  public Map<String, Object> status() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("profile", secrets.inspect().describe().profile().name());
    Map<String, String> sources = new LinkedHashMap<>();
    for (String key : KEYS) {
      SecretExplanation e = secrets.inspect().explain(key);
      sources.put(key, e.backend().orElse("not served"));
    }
    out.put("sources", sources);
    out.put("jwtKeyLength", settings.getJwtKey().length());
    out.put("databaseUrlLength", settings.getDatabaseUrl().length());
    out.put("secretKeyLength", secretKey.length());
    return out;
  }
}
