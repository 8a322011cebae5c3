#!/bin/sh
# check.sh: validate audit/secrets/known.tsv (run from anywhere).
#
# Every line that is not a comment must be SECRET<TAB>SOURCE with exactly one
# tab, a non-empty source, and a secret seen once. The Go test
# TestKnownSecrets checks the same through the parser the binary embeds.
#
# To extend the list: find a published placeholder or default key, add
# SECRET<TAB>SOURCE under its framework's heading (the URL or on-disk path you
# actually read, never a guess), run this script and `go test ./audit -run Known`.
set -eu
f="$(dirname "$0")/known.tsv"
awk -F '\t' '
	/^#/ || /^$/ { next }
	NF != 2 { printf "known.tsv:%d: want SECRET<TAB>SOURCE, got %d fields\n", NR, NF; bad = 1; next }
	$2 == "" { printf "known.tsv:%d: no source\n", NR; bad = 1 }
	seen[$1]++ { printf "known.tsv:%d: %s is listed twice\n", NR, $1; bad = 1 }
	{ n++ }
	END { if (bad) exit 1; printf "known.tsv: %d secrets, each with its source\n", n }
' "$f"
