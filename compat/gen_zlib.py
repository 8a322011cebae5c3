#!/usr/bin/python3
"""Generate testdata/zlib/vectors.json: inputs and Python's zlib.compress of
them, the ground truth for internal/zlib6.

Run from the repository root with Debian's Python:

    /usr/bin/python3 compat/gen_zlib.py > testdata/zlib/vectors.json

Vectors, sorted by name, one per line:

  testdata/<file>#<n>  the payload of every compressed token in the other
                       committed vector files (a "." then base64 of zlib
                       data): the bytes it decompresses to
  random/<n>           random inputs of 1..8192 bytes from random.Random(14):
                       random bytes, small alphabets, repeats of earlier
                       parts, runs, words, and Flask-session-shaped JSON
  edge/<name>          sizes and contents at zlib's boundaries

Fields: name, in (base64 of the input), out (base64 of
zlib.compress(in), level 6). Output is deterministic: a fixed seed and no
clock, so running the command again gives a byte-identical file.
"""
import base64
import glob
import json
import os
import random
import re
import sys
import zlib

WORDS = ["user_id", "_fresh", "_id", "csrf_token", "cart", "items", "name",
         "true", "false", "null", "lang", "en", "theme", "dark", " t", " d",
         " b", " m", " u", "flash", "message", "category", "{", "}", "[", "]",
         ":", ",", '"', "the", "a", "of", "session", "0", "1", "42"]


def session(r):
    parts = []
    for _ in range(r.randint(1, 8)):
        k = json.dumps(r.choice(WORDS))
        kind = r.randrange(6)
        if kind == 0:
            v = str(r.randrange(1 << 40))
        elif kind == 1:
            v = '"%s"' % r.randbytes(r.randint(8, 31)).hex()
        elif kind == 2:
            v = '{" b":"%s"}' % base64.b64encode(r.randbytes(r.randint(4, 43))).decode()
        elif kind == 3:
            v = '{" t":[1,"two",{" m":"<b>x</b>"}]}'
        elif kind == 4:
            v = '{" d":"Mon, %02d Jan 2024 10:00:00 GMT"}' % r.randint(1, 28)
        else:
            v = '[["message","Logged in"],["error","%d"]]' % r.randrange(1000)
        parts.append(k + ":" + v)
    return ("{" + ",".join(parts) + "}").encode()


def piece(r, out, room):
    m = r.randint(1, min(room, 600) + 1)
    kind = r.randrange(8)
    if kind == 0:
        out += r.randbytes(m)
    elif kind == 1:
        k, base = r.randint(1, 16), r.randrange(256)
        out += bytes((base + r.randrange(k)) & 255 for _ in range(m))
    elif kind == 2:
        out += "".join(r.choice(WORDS) for _ in range(max(1, m // 5))).encode()
    elif kind == 3 and out:
        start = r.randrange(len(out))
        chunk = bytearray(out[start:start + m])
        for j in range(len(chunk)):
            if r.randrange(50) == 0:
                chunk[j] = r.randrange(256)
        out += chunk
    elif kind == 4:
        out += bytes([r.randrange(256)]) * m
    else:
        out += session(r)


def random_input(r):
    x = r.randrange(10)
    n = r.randint(1, 512 if x < 5 else 4096 if x < 8 else 8192)
    out = bytearray()
    while len(out) < n:
        piece(r, out, n - len(out))
    return bytes(out[:n])


def from_testdata():
    """The decompressed payload of every compressed token in testdata."""
    found = {}
    pat = re.compile(r"\.(eJ[A-Za-z0-9_\-]{4,})")
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    for full in sorted(glob.glob(os.path.join(root, "testdata", "*", "vectors.json"))):
        path = os.path.relpath(full, root).replace(os.sep, "/")
        if path.startswith("testdata/zlib/"):
            continue
        text = open(full, encoding="utf-8").read()
        for m in pat.finditer(text):
            s = m.group(1)
            try:
                raw = base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
                data = zlib.decompress(raw)
            except Exception:
                continue  # not a zlib payload (tampered, truncated)
            if zlib.compress(data) != raw:
                continue  # made by another compressor (Go's, for a test)
            found.setdefault(data, path)
    out = {}
    for n, (data, path) in enumerate(sorted(found.items(), key=lambda kv: (kv[1], kv[0]))):
        out["%s#%03d" % (path, n)] = data
    return out


def edges():
    r = random.Random(1406)
    e = {
        "one-byte": b"a",
        "two-bytes": b"ab",
        "three-equal": b"aaa",
        "258-zeros": bytes(258),
        "259-zeros": bytes(259),
        "8192-zeros": bytes(8192),
        "8192-random": r.randbytes(8192),
        "4096-byte-pairs": b"ab" * 2048,
        "match-at-4097": r.randbytes(3) + r.randbytes(4094) + b"XYZ" + b"XYZ",
        "all-bytes": bytes(range(256)) * 4,
    }
    return {"edge/" + k: v for k, v in e.items()}


def main():
    r = random.Random(14)
    vecs = dict(from_testdata())
    vecs.update(edges())
    for n in range(300):
        vecs["random/%04d" % n] = random_input(r)
    prov = {
        "command": "/usr/bin/python3 compat/gen_zlib.py > testdata/zlib/vectors.json",
        "python": sys.version.split()[0],
        "zlib": zlib.ZLIB_RUNTIME_VERSION,
        "call": "zlib.compress(data) (level -1 = 6, wbits 15, memLevel 8)",
        "seed": "random.Random(14); edge cases random.Random(1406)",
    }
    lines = [json.dumps({"name": k,
                         "in": base64.b64encode(v).decode(),
                         "out": base64.b64encode(zlib.compress(v)).decode()},
                        sort_keys=True) for k, v in sorted(vecs.items())]
    sys.stdout.write('{"provenance": %s,\n"vectors": [\n%s\n]}\n' % (
        json.dumps(prov, sort_keys=True), ",\n".join(lines)))


if __name__ == "__main__":
    main()
