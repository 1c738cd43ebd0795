package org.nexusreussite.secrets;

/**
 * A source of secrets is malformed: a {@code .env} line that does not parse, a secret that should hold
 * a JSON object but does not. The message names the source and the line, never the content.
 *
 * <pre>{@code .env:12: unterminated double quote}</pre>
 */
public class InvalidSecretSourceException extends BackendException {
  private static final long serialVersionUID = 1L;
  private final String source;
  private final int line;

  /**
   * Creates the exception.
   *
   * @param backendId the backend reading the source
   * @param source the file or secret id, e.g. {@code .env}
   * @param line the 1-based line number, or 0 when lines do not apply
   * @param problem what is wrong, without quoting the content
   */
  public InvalidSecretSourceException(String backendId, String source, int line, String problem) {
    super(backendId, (line > 0 ? source + ":" + line : source) + ": " + problem, null);
    this.source = source;
    this.line = line;
  }

  /** The file or secret id. */
  public String source() {
    return source;
  }

  /** The 1-based line number, or 0 when the source has no lines. */
  public int line() {
    return line;
  }
}
