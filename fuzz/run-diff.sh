#!/bin/sh
# run-diff.sh N [SEED]: run N inputs of the differential harness (Go against
# the real itsdangerous and Flask, see fuzz/README.md) and print the report:
# executions, time, outcomes, intended differences and unexplained
# disagreements, with examples. Exits non-zero on any unexplained
# disagreement. FLASKCOOKIE_DIFF_WORKERS sets the number of Python oracles
# (default 2; keep it at 2 or less on a 2-core machine).
#
# Replay one input: FLASKCOOKIE_DIFF_SEED=<seed> FLASKCOOKIE_DIFF_ONLY=<index> \
#     go test -run '^TestDifferentialSmoke$' -v ./fuzz/
set -u
n=${1:?usage: fuzz/run-diff.sh N [SEED]}
seed=${2:-${FLASKCOOKIE_DIFF_SEED:-1}}
cd "$(dirname "$0")/.." || exit 1

report=$(mktemp) || exit 1
log=$(mktemp) || exit 1
trap 'rm -f "$report" "$log"' EXIT
status=0
FLASKCOOKIE_REQUIRE_PYTHON=1 FLASKCOOKIE_DIFF_N=$n FLASKCOOKIE_DIFF_SEED=$seed FLASKCOOKIE_DIFF_REPORT=$report \
	go test -count=1 -timeout 0 -run '^TestDifferentialSmoke$' ./fuzz/ >"$log" 2>&1 || status=$?
if [ -s "$report" ]; then
	cat "$report"
fi
if [ "$status" -ne 0 ]; then
	[ -s "$report" ] || cat "$log"
	grep -E 'diff_test.go:[0-9]+: (the oracle|ran|[0-9]+ of)' "$log"
	echo "run-diff: FAIL"
else
	echo "run-diff: ok"
fi
exit "$status"
