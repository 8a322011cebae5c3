#!/bin/sh
# bench/run.sh [COUNT]: run issue 14's benchmarks (bench/ and the session
# middleware's) COUNT times each (default 3) and print the ratios to their
# baselines, measured in the same run, with the machine they ran on.
# Python's Flask is timed in a subprocess when /usr/bin/python3 has it.
set -eu
count=${1:-3}
cd "$(dirname "$0")"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
go test -timeout 0 -run '^$' -bench . -benchmem -count "$count" . >"$out"
(cd .. && go test -timeout 0 -run '^$' -bench 'BareHandler|Middleware' -benchmem -count "$count" ./session/) >>"$out"
grep -E '^Benchmark' "$out" >&2
go run ./ratios <"$out"
