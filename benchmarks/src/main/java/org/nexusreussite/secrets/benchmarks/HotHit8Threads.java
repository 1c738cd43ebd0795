package org.nexusreussite.secrets.benchmarks;

import org.openjdk.jmh.annotations.Threads;

/** {@link HotHitBenchmark} at 8 threads. */
@Threads(8)
public class HotHit8Threads extends HotHitBenchmark {}
