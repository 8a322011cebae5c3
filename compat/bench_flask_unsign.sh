#!/bin/bash
# Compares the cost of one key guess in Flask-Unsign with flaskcookie's, on
# the same cookie, in the same run:
#
#   1. Flask-Unsign 1.2.x's per-guess work, flask_unsign.session.verify
#      (a URLSafeTimedSerializer built for the guess, then loads), on one
#      core of Debian's /usr/bin/python3 with its itsdangerous and Flask; and
#      its threaded Cracker, which the GIL keeps on one core.
#   2. BenchmarkKeyTester and BenchmarkBareHMAC (itsdangerous/keytest_test.go):
#      one guess with flaskcookie's KeyTester, and the bare crypto/hmac loop
#      (HMAC-SHA1 key derivation, then HMAC-SHA1 of the message).
#   3. The flaskcookie binary: `unsign` over a generated wordlist, measured in
#      CPU seconds, with one thread and with all of them.
#
# Usage:
#   compat/bench_flask_unsign.sh MIRROR [GUESSES]
#
# MIRROR is a git directory of https://github.com/Paradoxis/Flask-Unsign
# (the fetch tool leaves one at /work/.mirror/Paradoxis+Flask-Unsign/repo).
# Its flask_unsign package is extracted to a temporary directory and
# deleted afterwards: none of Flask-Unsign's code is kept in this
# repository. Flask-Unsign imports `requests` only for --server; a stub
# module stands in for it. GUESSES (default 20000) is how many wrong keys
# Python tries; the wordlist for the binary has 100 times as many.
#
# Figures are rates per core; the machine's load changes them, so compare
# the numbers of one run with each other.
set -euo pipefail

mirror=${1:?usage: $0 MIRROR [GUESSES]}
guesses=${2:-20000}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

git --git-dir="$mirror" archive --format=tar HEAD flask_unsign | tar -x -C "$tmp"
rev=$(git --git-dir="$mirror" rev-parse --short HEAD)

# The cookie: Flask 2.2.2's, spec V10 (SECRET_KEY "dev-secret").
cookie='eyJfZmxhc2hlcyI6W3siIHQiOlsibWVzc2FnZSIsIkhlbGxvIl19XSwiX3Blcm1hbmVudCI6dHJ1ZX0.ZVPxAA.VD8nVcas4FnmNnhw972TP5w98uw'

echo "== Flask-Unsign ($rev) on $(/usr/bin/python3 --version), $guesses wrong guesses"
/usr/bin/python3 - "$tmp" "$cookie" "$guesses" <<'EOF'
import sys, time, types
sys.path.insert(0, sys.argv[1])
stub = types.ModuleType("requests")        # only --server uses requests
stub.RequestException = Exception
sys.modules["requests"] = stub
from flask_unsign import session, __version__
from flask_unsign.cracker import Cracker

cookie, n = sys.argv[2], int(sys.argv[3])
assert session.verify(cookie, "dev-secret") and not session.verify(cookie, "nope")
words = [f"guess-{i}" for i in range(n)]

t0, c0 = time.perf_counter(), time.process_time()
for w in words:
    session.verify(cookie, w)
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
print(f"flask-unsign {__version__} session.verify, 1 thread: {n / cpu:10.0f} guesses per CPU second ({cpu / n * 1e6:.1f} us/guess; wall {n / wall:.0f}/s)")

cr = Cracker(value=cookie, threads=8, quiet=True)
t0, c0 = time.perf_counter(), time.process_time()
cr.crack(iter(words + ["dev-secret"]))
wall, cpu = time.perf_counter() - t0, time.process_time() - c0
assert cr.secret == "dev-secret", cr.secret
print(f"flask-unsign Cracker, 8 threads:    {n / cpu:10.0f} guesses per CPU second (wall {n / wall:.0f}/s, GIL-bound)")
EOF

echo
echo "== Go benchmarks (ns per guess; same message bytes)"
(cd "$root" && go test ./itsdangerous -run '^$' -bench '^(BenchmarkKeyTester|BenchmarkBareHMAC)$' -benchtime 2s -count 3) |
	awk '/^Benchmark/ { printf "%-28s %8.0f ns/guess  %10.0f guesses/s   %s %s %s %s\n", $1, $3, 1e9 / $3, $5, $6, $7, $8 }'

echo
echo "== flaskcookie unsign (the binary), $((guesses * 100)) wrong lines + the key"
go build -o "$tmp/flaskcookie" "$root/cmd/flaskcookie"
/usr/bin/python3 - "$tmp" "$cookie" "$((guesses * 100))" <<'EOF'
import os, subprocess, sys, time
tmp, cookie, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
words = os.path.join(tmp, "words.txt")
with open(words, "w") as f:
    for i in range(n):
        f.write(f"guess-{i}\n")
    f.write("dev-secret\n")
for threads in (1, os.cpu_count()):
    t0 = time.perf_counter()
    p = subprocess.Popen([os.path.join(tmp, "flaskcookie"), "unsign", "--threads", str(threads), "--wordlist", words, cookie],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    assert out == b"dev-secret\n", out
    cpu = ru.ru_utime + ru.ru_stime
    print(f"flaskcookie unsign --threads {threads}: {n / cpu:10.0f} guesses per CPU second, {n / wall:10.0f} guesses/s wall")
EOF
