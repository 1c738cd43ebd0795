package org.nexusreussite.secrets.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.nexusreussite.secrets.BackendConfigurationException;
import org.nexusreussite.secrets.Secret;
import org.nexusreussite.secrets.SecretNotFoundException;
import org.nexusreussite.secrets.SecretValue;
import org.nexusreussite.secrets.SecretVerifier;
import org.nexusreussite.secrets.SecretVersion;
import org.nexusreussite.secrets.SecretWrite;
import org.nexusreussite.secrets.SecretsException;
import org.nexusreussite.secrets.UnsupportedCapabilityException;
import org.nexusreussite.secrets.VerificationFailedException;
import org.nexusreussite.secrets.VersionSelector;
import org.nexusreussite.secrets.WriteConflictException;
import org.nexusreussite.secrets.WriteOptions;
import org.nexusreussite.secrets.spi.Capability;
import org.nexusreussite.secrets.spi.SecretBackend;

/**
 * One write through the resolver: picks the backend (the one serving the key, the one named, or for a new
 * key the first writable one), reads what is current there, writes with the expected version, verifies
 * (itself for stores without stages, writing the previous value back on refusal) and writes an audit
 * record for every attempt. The caller ({@link ResolverAdmin}) holds the admin lock and replaces the cache
 * entry afterwards.
 */
final class SecretWrites {
  /** How often a refused version's previous value is written back before giving up. */
  private static final int RESTORE_ATTEMPTS = 2;

  private static final System.Logger AUDIT = System.getLogger("org.nexusreussite.secrets.audit");

  private final CompositeSecretResolver r;

  SecretWrites(CompositeSecretResolver resolver) {
    this.r = resolver;
  }

  SecretWrite write(String key, SecretValue value, WriteOptions options) {
    BackendSlot slot = target(key, options);
    SecretBackend backend = slot.backend;
    if (!backend.capabilities().contains(Capability.WRITE)) {
      throw UnsupportedCapabilityException.of(slot.id, Capability.WRITE, slot.description + " is read-only; write "
          + "to a store that keeps versions (vault, aws, azure, k8s) with --backend ID, or change the source itself");
    }
    Optional<Secret> before = current(slot, key);
    if (before.isEmpty() && !options.createIfMissing()) {
      throw new SecretNotFoundException(key, "Secret '" + key + "' (to replace; use 'secrets set' to create it)",
          List.of(slot.description));
    }
    String expected = options.expectedVersion()
        .orElse(before.map(s -> s.version().id()).orElse(null));
    WriteOptions sent = options.withExpectedVersion(expected);
    String from = before.map(s -> s.version().id()).orElse("(new)");
    SecretVerifier verifier = options.verifier().orElse(null);
    SecretVersion written;
    try {
      if (verifier != null && !backend.stagedWrites()) {
        written = backend.write(key, value, sent.withoutVerifier());
        verifyOrRestore(slot, key, value, verifier, before.orElse(null), written, from);
      } else {
        written = backend.write(key, value, sent);
      }
    } catch (WriteConflictException e) {
      audit(key, slot.id, from, e.currentVersion().orElse("?"), "conflict");
      throw e;
    } catch (VerificationFailedException e) {
      audit(key, slot.id, from, e.versionId().orElse("?"), "verification-failed:"
          + e.outcome().name().toLowerCase(java.util.Locale.ROOT));
      throw e;
    } catch (RuntimeException e) {
      audit(key, slot.id, from, "?", "failed:" + e.getClass().getSimpleName());
      throw BackendChain.asSecretsException(slot, e);
    }
    audit(key, slot.id, from, written.id(), "written");
    return new SecretWrite(key, slot.id, before.map(Secret::version).orElse(null), written, value.fingerprint());
  }

  private void verifyOrRestore(BackendSlot slot, String key, SecretValue value, SecretVerifier verifier,
      @Nullable Secret before, SecretVersion written, String from) {
    try {
      verifier.verify(key, value);
      return;
    } catch (RuntimeException refused) {
      VerificationFailedException.Outcome outcome = VerificationFailedException.Outcome.LEFT_CURRENT;
      // two attempts: the store that just took the write is up, and a passing 5xx or timeout must not leave
      // the refused value serving; a conflict ends it (another writer came after the refused version: theirs
      // stays)
      for (int attempt = 1; before != null && attempt <= RESTORE_ATTEMPTS; attempt++) {
        try {
          SecretVersion restored = slot.backend.write(key, before.value(),
              WriteOptions.builder().expectedVersion(written.id()).build());
          outcome = VerificationFailedException.Outcome.ROLLED_BACK;
          // the restore is a write of its own: a new store version holding the previous value
          audit(key, slot.id, written.id(), restored.id(), "restored-after-refused-verification");
          break;
        } catch (RuntimeException restoreFailed) {
          boolean conflict = restoreFailed instanceof WriteConflictException;
          System.getLogger("org.nexusreussite.secrets").log(System.Logger.Level.ERROR, "Secret ''{0}'': the "
              + "refused version {1} in {2} could not be rolled back (attempt {3} of {4}{5}): {6}", key,
              written.id(), slot.id, attempt, RESTORE_ATTEMPTS, conflict ? ", another writer changed it since" : "",
              restoreFailed instanceof SecretsException ? restoreFailed.getMessage()
                  : restoreFailed.getClass().getName());
          if (conflict) {
            break;
          }
        }
      }
      throw VerificationFailedException.of(key, slot.id, written.id(), outcome,
          VerificationFailedException.why(refused), VerificationFailedException.safeCause(refused));
    }
  }

  private BackendSlot target(String key, WriteOptions options) {
    String wanted = options.backend().orElse(null);
    if (wanted != null) {
      List<String> ids = new ArrayList<>();
      for (BackendSlot s : r.chain.slots()) {
        if (s.id.equals(wanted)) {
          return s;
        }
        ids.add(s.id);
      }
      throw new BackendConfigurationException("config", "Backend '" + wanted + "' is not active here (active: "
          + ids + "); check its settings with 'secrets doctor', or SECRETS_BACKENDS");
    }
    CacheEntry e = r.entry(key);
    if (e.kind != CacheEntry.Kind.NOT_FOUND) {
      r.secretOf(e); // throws the backend's error when it failed
      BackendSlot slot = e.slot;
      if (slot != null) {
        return slot;
      }
    }
    if (!options.createIfMissing()) {
      throw r.notFound(e);
    }
    for (BackendSlot s : r.chain.slots()) {
      if (s.backend.capabilities().contains(Capability.WRITE)) {
        return s;
      }
    }
    throw UnsupportedCapabilityException.of("config", Capability.WRITE, "no active backend can write ("
        + String.join(", ", r.chain.searchOrder()) + "); configure vault, aws, azure or k8s");
  }

  private static Optional<Secret> current(BackendSlot slot, String key) {
    try {
      return slot.backend.fetch(key, VersionSelector.latest());
    } catch (RuntimeException ex) {
      throw BackendChain.asSecretsException(slot, ex);
    }
  }

  private static void audit(String key, String backend, String from, String to, String outcome) {
    AUDIT.log(System.Logger.Level.INFO, "write key={0} backend={1} from={2} to={3} outcome={4}", key, backend,
        from, to, outcome);
  }
}
