#!/bin/sh
# bench/run.sh [COUNT]: run issue 14's benchmarks (bench/ and the session
# middleware's) COUNT times each (default 3) and print the ratios to their
# baselines, measured in the same run, with the machine they ran on.
#
# Three parts: the library's operations beside their baselines; the
# loopback load run (BenchmarkLoopback: 20 iterations of four 100 ms
# rounds, bare / read / read with the decode cache off / save, per count;
# BenchmarkTypedLoopback: bare / read with handlers that set their
# Content-Type; BenchmarkLoopbackFloors: bare / vary / shell / read, the
# floors of the read-only middleware's ratio);
# Python's Flask timed once in a
# subprocess with /usr/bin/python3 (-v, so that bench/ratios learns the
# versions timed, or why Python was not timed: its rows then say "not
# measured" with the reason). Python runs the current Debian release's
# Flask, the default target, when compat/peers/current.sh provides it
# (PYTHONPATH set by the caller is kept), and Debian 12's otherwise.
set -eu
count=${1:-3}
cd "$(dirname "$0")"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
go test -timeout 0 -run '^$' -bench . -skip 'Loopback|PythonFlask' -benchmem -count "$count" . >"$out"
go test -timeout 0 -run '^$' -bench Loopback -benchtime 20x -count "$count" . >>"$out"
pypath=${PYTHONPATH:-}
if [ -z "$pypath" ] && peers=$(bash ../compat/peers/current.sh 2>/dev/null); then
	pypath=$peers
fi
PYTHONPATH=$pypath go test -timeout 0 -run '^$' -bench PythonFlask -count 1 -v . >>"$out"
(cd .. && go test -timeout 0 -run '^$' -bench 'BareHandler|Middleware' -benchmem -count "$count" ./session/) >>"$out"
grep -E '^Benchmark.*/op|^Benchmark.*req/s|^--- SKIP|^    .*: (python|peers)' "$out" >&2
go run ./ratios <"$out"
