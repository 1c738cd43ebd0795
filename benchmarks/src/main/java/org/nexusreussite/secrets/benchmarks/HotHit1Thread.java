package org.nexusreussite.secrets.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** {@link HotHitBenchmark} at 1 thread. */
@Threads(1)
public class HotHit1Thread extends HotHitBenchmark {}
