package org.nexusreussite.secrets.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** {@link HotHitBenchmark} at 2 threads. */
@Threads(2)
public class HotHit2Threads extends HotHitBenchmark {}
