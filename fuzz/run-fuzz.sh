#!/bin/sh
# run-fuzz.sh SECONDS: run every native fuzz target of the module for SECONDS
# seconds each, one after the other, and report the failures.
#
# Targets are discovered with `go test -list '^Fuzz' ./...`, so a new Fuzz*
# function anywhere in the module is picked up. A failing input is written by
# `go test` to <package>/testdata/fuzz/<Target>/ and must be committed as a
# regression seed once the bug is fixed.
set -u
secs=${1:?usage: fuzz/run-fuzz.sh SECONDS}
cd "$(dirname "$0")/.." || exit 1

pairs=$(mktemp) || exit 1
trap 'rm -f "$pairs" "$pairs.out"' EXIT
if ! go test -list '^Fuzz' ./... >"$pairs.out" 2>&1; then
	cat "$pairs.out"
	echo "run-fuzz: go test -list failed" >&2
	exit 1
fi
# go test -list prints the matching names of a package, then "ok <pkg> <time>".
awk '/^Fuzz/ { t[n++] = $1; next }
     /^ok / { for (i = 0; i < n; i++) print $2, t[i]; n = 0; next }
     { n = 0 }' "$pairs.out" >"$pairs"

start=$(date +%s)
count=0
failed=""
flaked=""
while read -r pkg target; do
	count=$((count + 1))
	t0=$(date +%s)
	# A failing input is written to <package dir>/testdata/fuzz/<target>/.
	# Go 1.26's fuzzing coordinator can also fail a run with a bare
	# "context deadline exceeded" as -fuzztime ends, having found nothing
	# (golang/go#75804, fixed in Go 1.27). Such a run wrote no new input:
	# it is reported as a flake, not a failure.
	corpus="$(go list -f '{{.Dir}}' "$pkg")/testdata/fuzz/$target"
	before=$(ls "$corpus" 2>/dev/null | sort)
	if go test -run='^$' -fuzz="^${target}\$" -fuzztime="${secs}s" "$pkg" >"$pairs.out" 2>&1; then
		echo "ok    $pkg $target ($(($(date +%s) - t0))s)"
		continue
	fi
	after=$(ls "$corpus" 2>/dev/null | sort)
	if [ "$before" = "$after" ] && grep -q 'context deadline exceeded' "$pairs.out" &&
		! grep -q -e 'panic:' -e 'Failing input written' "$pairs.out"; then
		echo "flake $pkg $target: context deadline exceeded at the end of -fuzztime, no failing input (golang/go#75804)"
		flaked="$flaked $pkg:$target"
		continue
	fi
	cat "$pairs.out"
	echo "FAIL  $pkg $target ($(($(date +%s) - t0))s)"
	failed="$failed $pkg:$target"
done <"$pairs"

echo "run-fuzz: $count targets, ${secs}s each, $(($(date +%s) - start))s in all; flakes:${flaked:- none}"
nfail=$(echo $failed | wc -w)
echo "fuzz: $((count - nfail)) passed, $nfail failed"
if [ "$count" -eq 0 ]; then
	echo "run-fuzz: no fuzz targets found" >&2
	exit 1
fi
if [ -n "$failed" ]; then
	echo "run-fuzz: FAILED:$failed" >&2
	exit 1
fi
