#!/usr/bin/env bash
# Runs every test, unit and integration, after installing the test servers they start.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-test-tools.sh"
cd "$root"
exec mvn -B -ntp verify "$@"
