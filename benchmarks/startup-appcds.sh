#!/usr/bin/env bash
# Issue 18, library start-up with and without AppCDS, both sides: builds the benchmarks jar, records one
# dynamic CDS archive per side (-XX:ArchiveClassesAtExit, JDK 13+, from one run of its main in a folder
# holding a .env), then runs StartupCheck (benchmark 5) for 3 and 30 keys without archives and with them.
# Raw output: benchmarks/results/startup-appcds.txt. Usage: benchmarks/startup-appcds.sh [runs] (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-20}"
mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests
jar=benchmarks/target/benchmarks.jar
startup="$PWD/benchmarks/target/startup"
mains="$(ls "$PWD"/benchmarks/target/secrets-benchmarks-*.jar | grep -v sources)"
# the mains from the module's jar, not target/classes: CDS refuses a non-empty directory on the class path
ours="$mains:$(ls -d "$startup"/ours/*.jar | paste -sd:)"
theirs="$mains:$(ls -d "$startup"/dotenv-java/*.jar | paste -sd:)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
printf 'SECRET_KEY=a\nJWT_SECRET_KEY=b\nDATABASE_URL=c\n' > "$work/.env"
chmod 600 "$work/.env"
(cd "$work" && java -XX:ArchiveClassesAtExit="$work/ours.jsa" -Xlog:disable -cp "$ours" \
  org.nexusreussite.secrets.benchmarks.StartupSdkMain >/dev/null)
(cd "$work" && java -XX:ArchiveClassesAtExit="$work/theirs.jsa" -Xlog:disable -cp "$theirs" \
  org.nexusreussite.secrets.benchmarks.StartupDotenvJavaMain >/dev/null)
out=benchmarks/results/startup-appcds.txt
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# archives: ours $(stat -c %s "$work/ours.jsa") bytes, dotenv-java $(stat -c %s "$work/theirs.jsa") bytes"
  for keys in 3 30; do
    echo "## without AppCDS (the JDK's default CDS archive only), $keys keys"
    java -cp "$jar" org.nexusreussite.secrets.benchmarks.StartupCheck "$ours" "$theirs" "$runs" 3 "$keys" || true
    echo "## with one AppCDS archive per side, $keys keys"
    java -Dstartup.ours.opts="-XX:SharedArchiveFile=$work/ours.jsa -Xlog:disable" \
      -Dstartup.baseline.opts="-XX:SharedArchiveFile=$work/theirs.jsa -Xlog:disable" \
      -cp "$jar" org.nexusreussite.secrets.benchmarks.StartupCheck "$ours" "$theirs" "$runs" 3 "$keys" || true
  done
  echo "# load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} 2>&1 | tee "$out"
