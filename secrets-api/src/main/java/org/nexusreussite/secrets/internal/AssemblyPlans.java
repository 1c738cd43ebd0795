package org.nexusreussite.secrets.internal;

import org.nexusreussite.secrets.ResolverPlan;

/** The bridge from the builder (public package) to the package-private assembly. */
public final class AssemblyPlans {
  private AssemblyPlans() {}

  /** What {@code settings} assemble to, without creating a backend. */
  public static ResolverPlan of(ResolverSettings settings) {
    return Assembly.publicPlan(settings);
  }
}
