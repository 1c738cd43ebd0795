package org.nexusreussite.secrets.cli;

/** The command line is wrong; the message says how, and never quotes what could be a value. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
