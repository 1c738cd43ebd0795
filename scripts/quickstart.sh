#!/usr/bin/env bash
# The README's first command. On a fresh clone it:
#   1. builds the SDK and the quickstart example (Maven, tests skipped; nothing installed in ~/.m2),
#   2. gives the example a development .env made from .env.example, once (an existing .env is never
#      overwritten; examples/quickstart/.env is git-ignored and readable by you only),
#   3. runs the example, which prints where each secret came from (backend and fingerprint, no values).
# Extra arguments go to Maven, e.g. scripts/quickstart.sh -Pvault to add the Vault backend jar.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
app="$root/examples/quickstart"

command -v java >/dev/null || { echo "quickstart: java (17 or later) is not on the PATH" >&2; exit 69; }
command -v mvn >/dev/null || { echo "quickstart: mvn (Maven 3.8 or later) is not on the PATH" >&2; exit 69; }

echo "==> Building the SDK and the example: mvn -B -q -DskipTests package -pl examples/quickstart -am $*"
(cd "$root" && mvn -B -q -ntp -DskipTests package -pl examples/quickstart -am "$@")

if [[ -e "$app/.env" ]]; then
  echo "==> Using your existing $app/.env (left unchanged)"
else
  (umask 077 && cp "$root/.env.example" "$app/.env")
  echo "==> Created $app/.env from .env.example (development values, git-ignored, mode 600)"
fi

echo "==> Running the example in $app (profile ${SECRETS_PROFILE:-${APP_ENV:-development}})"
echo
cd "$app"
status=0
SECRETS_DOTENV_DIR="$app" java -cp "target/secrets-example-quickstart.jar:$(cat target/classpath.txt)" \
  org.nexusreussite.secrets.examples.quickstart.QuickstartApp || status=$?
echo
if [[ $status -eq 0 ]]; then
  echo "Next: override one with an environment variable (DATABASE_URL=postgres://other scripts/quickstart.sh),"
  echo "try production rules (SECRETS_PROFILE=production scripts/quickstart.sh), or ask the CLI:"
  echo "  (cd examples/quickstart && ../../scripts/secrets doctor)"
fi
exit $status
