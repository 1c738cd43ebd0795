/**
 * Helpers for backend authors that several backends share: address redaction ({@link
 * org.nexusreussite.secrets.spi.support.Addresses}).
 */
package org.nexusreussite.secrets.spi.support;
