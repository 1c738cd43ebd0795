#!/usr/bin/env bash
# The measurement of issue 15 part 3 at full length: 8 threads query a real PostgreSQL through a HikariCP
# pool for 60 s while (1) Vault dynamic credentials rotate (OpenBao's database engine, 10 s default TTL,
# 20 s max TTL) and (2) a static rotation changes the password in PostgreSQL and in Vault KV at once.
# The suite runs the same test for 20 s; the figures go to examples/pool-rotation/target/pool-rotation-report.txt.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-test-tools.sh"
cd "$root"
rm -f examples/pool-rotation/target/pool-rotation-report.txt
mvn -B -ntp verify -pl examples/pool-rotation -am -Drotation.seconds="${ROTATION_SECONDS:-60}" \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=PoolRotationIT -Dfailsafe.failIfNoSpecifiedTests=false "$@"
cat examples/pool-rotation/target/pool-rotation-report.txt
