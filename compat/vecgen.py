"""Helpers shared by the vector generators (compat/gen_*.py): the patched
clock, the provenance every vector file records, the one-vector-per-line
file layout, and the worker processes of the generators that run old
itsdangerous releases from git tags. Standard library only: the workers
import it under any itsdangerous.
"""

import contextlib
import json
import os
import subprocess
import sys
import time


@contextlib.contextmanager
def frozen(now):
    """Patch time.time (what itsdangerous's and Django's timestamps call)
    to return now, as a float as time.time does."""
    saved = time.time
    time.time = lambda: float(now)
    try:
        yield
    finally:
        time.time = saved


def provenance(command, clock="time.time patched", **fields):
    """The provenance of a vector file made by this Python: its version,
    the command that made the file, how the clock was set, and the
    generator's own fields (package versions, settings)."""
    return dict(python=sys.version.split()[0], command=command, clock=clock, **fields)


def compact(v):
    """A vector as write puts it on its line by default: compact JSON, the
    keys in the vector's order."""
    return json.dumps(v, separators=(",", ":"), allow_nan=False)


def sorted_keys(v):
    """A vector as the generators of Flask-Login, Flask-WTF and the audit
    write it: json.dumps's separators, keys sorted."""
    return json.dumps(v, sort_keys=True)


def write(prov, vectors, w=None, dumps=compact):
    """Write a vector file: the provenance, then one vector per line (each
    as dumps writes it), so that a changed vector is a small diff."""
    w = w or sys.stdout
    w.write("{\"provenance\": ")
    w.write(json.dumps(prov, sort_keys=True))
    w.write(",\n\"vectors\": [\n")
    for i, v in enumerate(vectors):
        w.write(dumps(v))
        w.write(",\n" if i + 1 < len(vectors) else "\n")
    w.write("]}\n")


def dispatch(doc, worker, driver):
    """The command line of a generator that runs workers: "--worker MODE"
    runs worker(MODE), one argument (the itsdangerous repository) runs
    driver on it; anything else prints the generator's doc."""
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        worker(sys.argv[2])
    elif len(sys.argv) == 2:
        driver(sys.argv[1])
    else:
        raise SystemExit(doc)


def run_worker(script, mode, pythonpath=None, stdin=None):
    """Run script --worker mode in a fresh interpreter with pythonpath as
    PYTHONPATH (None: without PYTHONPATH, Debian's packages), feeding it
    stdin; return the JSON it prints."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    else:
        env.pop("PYTHONPATH", None)
    out = subprocess.run([sys.executable, "-W", "ignore", os.path.abspath(script), "--worker", mode],
                         env=env, input=stdin, capture_output=True, check=False)
    if out.returncode != 0:
        sys.stderr.write(out.stderr.decode())
        raise SystemExit(f"worker {mode} failed")
    return json.loads(out.stdout)
