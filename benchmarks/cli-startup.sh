#!/usr/bin/env bash
# Issue 18, CLI start-up: whole-process wall time of `scripts/secrets get KEY` (a .env in the working
# directory) against `java -version` and a bare "hello" JVM, launched in turn (the order rotates every
# round), median and p90 of N rounds after 3 warm-ups. Variants of ours: the launcher with its AppCDS
# archive (created by the warm-ups), the launcher with SECRETS_CLI_CDS=off, and plain `java -jar`.
# Prints timings and the jar's size, never a value (the value's length only is checked).
# Usage: benchmarks/cli-startup.sh [rounds]   (default 20; output also in benchmarks/results/cli-startup.txt)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
rounds="${1:-20}"
out="$root/benchmarks/results/cli-startup.txt"
mkdir -p "$(dirname "$out")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$root/scripts/secrets" help >/dev/null 2>&1 || true # builds the jar when it is stale
jar="$(ls "$root"/cli/target/secrets-cli-*-all.jar)"
cat > "$work/Hello.java" <<'EOF'
public class Hello { public static void main(String[] a) { System.out.println("hello"); } }
EOF
javac -d "$work" "$work/Hello.java"
mkdir "$work/app"
value='postgres://app:pw@db:5432/app'
printf 'DATABASE_URL=%s\nSECRET_KEY=0123456789abcdef\n' "$value" > "$work/app/.env"
chmod 600 "$work/app/.env"
expected=${#value}
unset SECRETS_PROFILE APP_ENV SECRETS_BACKENDS VAULT_ADDR AWS_REGION 2>/dev/null || true

now() { date +%s%N; }
declare -A times
run() { # name, command...
  local name="$1"; shift
  local start end
  start=$(now)
  "$@" >"$work/stdout" 2>"$work/stderr"
  end=$(now)
  times[$name]+="$(( (end - start) / 1000 )) "
}
check_get() {
  local got
  got="$(cat "$work/stdout")"
  if [[ ${#got} -ne $expected ]]; then
    echo "secrets get printed ${#got} characters, expected $expected" >&2
    cat "$work/stderr" >&2
    exit 1
  fi
}
names=(java-version hello get-cds get-nocds get-java-jar)
cmd() {
  case "$1" in
    java-version) java -version ;;
    hello) java -cp "$work" Hello ;;
    get-cds) (cd "$work/app" && "$root/scripts/secrets" get DATABASE_URL) ;;
    get-nocds) (cd "$work/app" && SECRETS_CLI_CDS=off "$root/scripts/secrets" get DATABASE_URL) ;;
    get-java-jar) (cd "$work/app" && java -jar "$jar" get DATABASE_URL) ;;
  esac
}
for i in 1 2 3; do
  for n in "${names[@]}"; do cmd "$n" >"$work/stdout" 2>"$work/stderr"; done
done
check_get
for ((r = 0; r < rounds; r++)); do
  for ((k = 0; k < ${#names[@]}; k++)); do
    n="${names[$(( (k + r) % ${#names[@]} ))]}"
    run "$n" cmd "$n"
    [[ "$n" == get-* ]] && check_get
  done
done
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ) nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) $(java -version 2>&1 | head -1)"
  echo "# jar $(basename "$jar") $(stat -c %s "$jar") bytes; archive: $(ls "$(dirname "$jar")"/cds/*.jsa 2>/dev/null | xargs -r stat -c '%n %s bytes' | sed "s|$root/||")"
  echo "# $rounds rounds after 3 warm-ups, order rotating; wall ms, median / p90 / min"
  hello_median=""
  for n in "${names[@]}"; do
    read -r med p90 min < <(tr ' ' '\n' <<<"${times[$n]}" | grep . | sort -n | awk '{a[NR]=$1} END {
      m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; p = a[int(NR*0.9 + 0.999)];
      printf "%.1f %.1f %.1f\n", m/1000, p/1000, a[1]/1000 }')
    [[ "$n" == hello ]] && hello_median="$med"
    printf '%-14s median %7.1f ms  p90 %7.1f ms  min %7.1f ms\n' "$n" "$med" "$p90" "$min"
    eval "median_${n//-/_}=$med"
  done
  for n in get-cds get-nocds get-java-jar; do
    v="median_${n//-/_}"
    awk -v a="${!v}" -v h="$hello_median" -v j="$median_java_version" -v n="$n" \
      'BEGIN { printf "%-14s %.2fx the bare hello JVM, %.2fx java -version\n", n, a/h, a/j }'
  done
} | tee "$out"
