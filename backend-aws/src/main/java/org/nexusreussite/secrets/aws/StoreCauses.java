package org.nexusreussite.secrets.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The AWS side of {@link org.nexusreussite.secrets.spi.support.StoreCauses}: the SDK's unmarshallers quote the
 * text they choked on ({@code Unable to parse date : <text>}) and service exceptions carry the answer's
 * message, so causes keep only each exception's type, HTTP status, AWS error code and stack trace. Stateless
 * and thread-safe.
 */
final class StoreCauses {
  private StoreCauses() {}

  /** A copy of {@code e}'s chain without messages. */
  static Throwable scrub(Throwable e) {
    return org.nexusreussite.secrets.spi.support.StoreCauses.scrub(e, StoreCauses::detail);
  }

  private static String detail(Throwable e) {
    if (!(e instanceof SdkServiceException s)) {
      return "";
    }
    String status = " (HTTP " + s.statusCode();
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null
        && a.awsErrorDetails().errorCode() != null) {
      // an error code is the store's text too: keep only the characters a code is made of
      status += ", " + a.awsErrorDetails().errorCode().replaceAll("[^A-Za-z0-9_.]", "");
    }
    return status + ")";
  }
}
