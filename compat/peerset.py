"""The Python peer set a vector generator runs against.

FLASKCOOKIE_PEERS names it, as for the Go tests (internal/testonly/pyoracle):
"debian12" (the default: Debian 12's packages in /usr/lib/python3/dist-packages)
or "current" (the current Debian release's packages, unpacked by
compat/peers/current.sh into a folder put first on PYTHONPATH). A generator
calls check() with the modules whose version it records, so it never writes
vectors of one set under the name of the other, and command() for the
provenance's command line.
"""

import importlib.util
import os
import sys

DEBIAN12 = "debian12"
CURRENT = "current"
SYSTEM_SITE = "/usr/lib/python3/dist-packages"


def name():
    """The peer set named by FLASKCOOKIE_PEERS."""
    s = os.environ.get("FLASKCOOKIE_PEERS") or DEBIAN12
    if s not in (DEBIAN12, CURRENT):
        sys.exit(f"FLASKCOOKIE_PEERS={s!r}: want {DEBIAN12!r} or {CURRENT!r}")
    return s


def check(*modules):
    """Exit unless every module imports from the named set's folder."""
    s = name()
    path = [os.path.realpath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    for mod in modules:
        spec = importlib.util.find_spec(mod)
        if spec is None or not spec.origin:
            sys.exit(f"{mod} is missing")
        top = os.path.dirname(os.path.dirname(os.path.realpath(spec.origin)))
        if s == DEBIAN12 and top != SYSTEM_SITE:
            sys.exit(f"{mod} imports from {top}, not Debian 12's {SYSTEM_SITE}: "
                     "run /usr/bin/python3 without PYTHONPATH, or set FLASKCOOKIE_PEERS=current")
        if s == CURRENT and top not in path:
            sys.exit(f"FLASKCOOKIE_PEERS=current but {mod} imports from {top}: "
                     "put the folder printed by compat/peers/current.sh on PYTHONPATH")


def vector_file(package):
    """The committed vector file of the named set: testdata/<package>/vectors.json for
    Debian 12, vectors-current.json for the current set (committed only where the
    current set's vectors differ; see compat/README.md)."""
    return f"testdata/{package}/vectors.json" if name() == DEBIAN12 else f"testdata/{package}/vectors-current.json"


def command(script, package):
    """The command line that regenerates the named set's vector file."""
    out = vector_file(package)
    if name() == DEBIAN12:
        return f"/usr/bin/python3 compat/{script} > {out}"
    return f"FLASKCOOKIE_PEERS=current PYTHONPATH=$(bash compat/peers/current.sh) /usr/bin/python3 compat/{script} > {out}"
