package org.nexusreussite.secrets.logging;

/** Ordinary log text without secrets: what must come out unchanged. */
final class SampleLog {
  private SampleLog() {}

  static String text() {
    return String.join("\n",
        "2026-12-02 03:14:15.926 INFO  [main] o.s.b.w.e.tomcat.TomcatWebServer : Tomcat started on port 8080 (http)",
        "2026-12-02 03:14:16.001 INFO  [main] com.zaxxer.hikari.HikariDataSource : HikariPool-1 - Start completed.",
        "2026-12-02 03:14:17.512 WARN  [http-nio-8080-exec-3] c.e.OrderController : order 4711 rejected: "
            + "insufficient stock for SKU-000123 (requested 3, available 2)",
        "2026-12-02 03:14:18.000 DEBUG [scheduling-1] c.e.Sync : synced 1532 rows from jdbc:postgresql://db:5432/app",
        "java.lang.IllegalStateException: Connection is not available, request timed out after 30000ms.",
        "\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)",
        "\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)",
        "Caused by: org.postgresql.util.PSQLException: FATAL: password authentication failed for user \"app\"",
        "user-agent=Mozilla/5.0 (X11; Linux x86_64) trace=4bf92f3577b34da6a3ce929d0e0e4736 span=00f067aa0ba902b7",
        "Le paiement n°42 a été accepté — montant 12,50 € ; durée 0,3 s");
  }
}
