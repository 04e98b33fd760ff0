#!/usr/bin/env python3
"""Many threads importing the same package at once: syswatch's demo program.

Why: this is the slow start syswatch exists to explain. T threads (default 32)
line up on a barrier, then each runs `import slowpkg` followed by
importlib.import_module() of every module in the generated tree (see
gen_tree.py). CPython gives each module one lock: the first thread to reach a
module loads it -- from a slow filesystem, in the scenario -- and every other
thread that needs it blocks in the import lock until it is done. `strace -f -c`
then shows futex dominating, although the real cause is the filesystem.

    import_app.py --path DIR [--threads 32] [--order same|shuffled] [--seed S]

DIR holds slowpkg/ and slowpkg_manifest.json (written by gen_tree.py).
--order same (default): every thread imports the modules in the manifest's
order, like identical workers all running the same `import` lines; the
imports are then essentially serial and most threads wait behind one loader.
--order shuffled: each thread (after `import slowpkg`, always first) imports
the modules in its own seeded random order, so different modules load in
parallel and waits spread over many locks. Both orders are deadlock-free by
construction of the tree (see gen_tree.py).

The stdlib modules the tree uses are imported before the barrier, so the
timed part is about slowpkg only. Prints one summary line; exits 1 if any
thread failed to import (the error is printed), 0 otherwise.
"""

import argparse
import importlib
import json
import os
import random
import sys
import threading
import time


def load_manifest(path):
    """Return the manifest dict written by gen_tree.py under path."""
    manifest = os.path.join(path, "slowpkg_manifest.json")
    try:
        with open(manifest) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        sys.exit("import_app.py: cannot read %s (%s); generate the tree with scenario/gen_tree.py"
                 % (manifest, e))


def worker(barrier, names, failures):
    """Wait for the others, then import every name in order; record failures."""
    barrier.wait()
    try:
        for name in names:
            importlib.import_module(name)
    except BaseException as e:  # report, never die silently in a thread
        failures.append("%s: %s: %s" % (threading.current_thread().name, type(e).__name__, e))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--path", required=True, help="directory holding slowpkg/ (put on sys.path)")
    ap.add_argument("--threads", type=int, default=32, help="importing threads (default 32)")
    ap.add_argument("--order", choices=["same", "shuffled"], default="same",
                    help="module order per thread (default: same)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the shuffled orders")
    args = ap.parse_args()
    if args.threads < 1:
        ap.error("--threads must be at least 1")
    path = os.path.abspath(args.path)
    manifest = load_manifest(path)
    sys.path.insert(0, path)
    for name in manifest.get("stdlib", []):
        importlib.import_module(name)

    top = manifest["package"]
    rest = [m for m in manifest["modules"] if m != top]
    barrier = threading.Barrier(args.threads + 1)
    failures = []
    threads = []
    for i in range(args.threads):
        names = list(rest)
        if args.order == "shuffled":
            random.Random(args.seed * 1000003 + i).shuffle(names)
        t = threading.Thread(target=worker, name="importer-%d" % i,
                             args=(barrier, [top] + names, failures), daemon=True)
        t.start()
        threads.append(t)

    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start

    for line in failures:
        print("import_app.py: import failed in %s" % line, file=sys.stderr)
    print("import_app: %d threads imported %d modules of %s in %.3f s (order %s, python %s, path %s)"
          % (args.threads, len(manifest["modules"]), top, elapsed, args.order,
             sys.version.split()[0], path), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        # The importers are daemon threads: leaving now does not wait for them.
        print("import_app.py: interrupted", file=sys.stderr)
        sys.exit(130)
