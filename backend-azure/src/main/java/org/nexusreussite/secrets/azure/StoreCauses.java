package org.nexusreussite.secrets.azure;

import com.azure.core.exception.HttpResponseException;

/**
 * The Azure side of {@link org.nexusreussite.secrets.spi.support.StoreCauses}: azure-core's messages quote
 * response bodies and azure-json's parse errors the text they choked on, so causes keep only each exception's
 * type, the HTTP status of a response exception and the stack trace. Stateless and thread-safe.
 */
final class StoreCauses {
  private StoreCauses() {}

  /** A copy of {@code e}'s chain without messages. */
  static Throwable scrub(Throwable e) {
    return org.nexusreussite.secrets.spi.support.StoreCauses.scrub(e,
        t -> t instanceof HttpResponseException h && h.getResponse() != null
            ? " (HTTP " + h.getResponse().getStatusCode() + ")" : "");
  }
}
