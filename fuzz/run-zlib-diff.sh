#!/bin/sh
# run-zlib-diff.sh N [SEED] [MAXLEN]: compress N generated inputs (random
# bytes, small alphabets, repeats, runs and Flask-session-shaped JSON, of 1
# to MAXLEN bytes, default 8192) with internal/zlib6 and with Python's
# zlib.compress (one /usr/bin/python3 process fed length-prefixed batches,
# compat/zlib_oracle.py) and print the count, the time and the number of
# differences. Exits non-zero on any difference.
#
# Replay one input: FLASKCOOKIE_ZLIB_DIFF_SEED=<seed> FLASKCOOKIE_ZLIB_DIFF_ONLY=<index> \
#     go test -run '^TestPythonDifferential$' -v ./internal/zlib6/
set -u
n=${1:?usage: fuzz/run-zlib-diff.sh N [SEED] [MAXLEN]}
seed=${2:-1}
maxlen=${3:-8192}
cd "$(dirname "$0")/.." || exit 1

report=$(mktemp) || exit 1
log=$(mktemp) || exit 1
trap 'rm -f "$report" "$log"' EXIT
status=0
FLASKCOOKIE_REQUIRE_PYTHON=1 FLASKCOOKIE_ZLIB_DIFF_N=$n FLASKCOOKIE_ZLIB_DIFF_SEED=$seed \
	FLASKCOOKIE_ZLIB_DIFF_MAX=$maxlen FLASKCOOKIE_ZLIB_DIFF_REPORT=$report \
	go test -count=1 -timeout 0 -run '^TestPythonDifferential$' ./internal/zlib6/ >"$log" 2>&1 || status=$?
[ -s "$report" ] && cat "$report"
if [ "$status" -ne 0 ]; then
	cat "$log"
	echo "run-zlib-diff: FAIL"
else
	echo "run-zlib-diff: ok"
fi
exit "$status"
