#!/usr/bin/env bash
# The long fuzzing run: each Jazzer @FuzzTest mutates its seed corpus for a while, one target per JVM
# (Jazzer fuzzes one test per run). The normal test command (scripts/test.sh, mvn verify) only replays the
# seed corpora in src/test/resources/**/<Test>Inputs/<method>/, which takes seconds per target.
#
#   scripts/fuzz.sh                      # every target, 5 minutes each
#   FUZZ_SECONDS=60 scripts/fuzz.sh      # every target, 1 minute each
#   scripts/fuzz.sh dotenv aws           # some targets (names below)
#
# Findings make the run fail; Jazzer writes the crashing input into the test's Inputs directory under
# src/test/resources, so after fixing the bug it stays as a regression seed that every test run replays.
# The corpus grown meanwhile goes to <module>/.cifuzz-corpus/ (git-ignored). A summary line per target
# (executions, coverage, findings) is printed at the end and kept in target/fuzz/<target>.log.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

seconds="${FUZZ_SECONDS:-300}"
heap="${FUZZ_HEAP:-1g}"

# name module test-class#method
targets=(
  "dotenv backend-dotenv DotenvParserFuzzTest#parsesOrReportsALineWithoutQuotingIt"
  "durations secrets-api SettingsFuzzTest#durationsParseOrAreAbsent"
  "pins secrets-api SettingsFuzzTest#pinsParseOrNameTheSettingWithoutQuotingIt"
  "aws backend-aws JsonFieldsFuzzTest#parsesAnObjectOrReportsWhereWithoutQuotingIt"
  "vault backend-vault VaultAnswersFuzzTest#answersBecomeSecretsOrAReportWithoutTheirContent"
  "azure backend-azure AzureAnswersFuzzTest#answersBecomeSecretsOrAReportWithoutTheirContent"
)

selected=("$@")
mkdir -p target/fuzz
summary=()
failed=0
for entry in "${targets[@]}"; do
  read -r name module test <<<"$entry"
  if [ "${#selected[@]}" -gt 0 ] && [[ ! " ${selected[*]} " =~ " ${name} " ]]; then
    continue
  fi
  log="target/fuzz/${name}.log"
  echo "== fuzzing ${name} (${module} ${test}) for ${seconds}s; log in ${log}"
  # jazzer.internal.arg.N are libFuzzer arguments given after the @FuzzTest's own, so this duration wins
  # over the annotation's maxDuration; arg.0 stands for argv[0]
  status=0
  JAZZER_FUZZ=1 mvn -B -ntp verify -pl "$module" -am -DskipITs \
    -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.internal.arg.0=fuzz.sh -Djazzer.internal.arg.1=-max_total_time="$seconds" \
    -DargLine="-Xmx${heap}" >"$log" 2>&1 || status=$?
  done_line="$(grep -E '^Done [0-9]+ runs' "$log" | tail -1 || true)"
  cov_line="$(grep -E '#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 || true)"
  findings="$(grep -cE '== Java Exception|FuzzTestFindingException|crash-[0-9a-f]+' "$log" || true)"
  line="${name}: ${done_line:-no 'Done' line} | ${cov_line%% exec/s*} | findings: ${findings} | mvn exit ${status}"
  summary+=("$line")
  if [ "$status" -ne 0 ]; then
    failed=1
  fi
done

echo
echo "== summary"
printf '%s\n' "${summary[@]}" | tee target/fuzz/summary.txt
exit "$failed"
