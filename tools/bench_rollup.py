"""Benchmark (a script, not a test): the national roll-up — 3,321 commune files — against the
floor of a Python process that only reads and parses the same files (json.loads each).

    python -m tools.bench_rollup [--communes 3321] [--runs 3]

Both are whole processes started the same way, so interpreter start and imports count on both
sides; the target is ≤ 3× the floor (issue 12 §5). The roll-up runs as the program runs it —
from services.rollup_read.PARALLEL_FROM files its reading is shared by worker processes, one per
processor — and once more in one process, printed beside it. The files are generated from the built-in
sample with different unit names and figures, written with the program's own exchange writer.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import json, sys
from pathlib import Path
n = 0
for f in sorted(Path(sys.argv[1]).rglob("*.json")):
    json.loads(f.read_bytes())
    n += 1
print(n)
"""
ROLLUP = """
import sys
from cchc_desktop.services.rollup import rollup
r = rollup([sys.argv[1]], workers=int(sys.argv[2]) if len(sys.argv) > 2 else None)
print(len(r.units), len(r.refused))
"""


def make_communes(folder: Path, n: int, seed: int = 1) -> None:
    from cchc_desktop.core.catalog import CatalogRegistry
    from cchc_desktop.formats.exchange import write_exchange_file
    from cchc_desktop.services.sample import sample_doc

    rnd = random.Random(seed)
    base = sample_doc(CatalogRegistry())
    for i in range(n):
        doc = copy.deepcopy(base)
        doc["unit"]["name"] = f"Thử {i:04d}"
        for ident, text in list(doc["values"].items()):
            if text.isdigit() and int(text) > 1:
                doc["values"][ident] = str(rnd.randint(0, int(text)))
        write_exchange_file(doc, folder / f"xa_{i:04d}.json")


def timed(code: str, folder: Path, *args: str) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, str(folder), *args], capture_output=True, text=True, check=True)
    return time.perf_counter() - start, out.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.bench_rollup", description=__doc__.split("\n\n")[0])
    p.add_argument("--communes", type=int, default=3321)
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        make_communes(folder, args.communes)
        print(f"{args.communes} commune files written in {time.perf_counter() - t:.1f} s "
              f"({sum(f.stat().st_size for f in folder.iterdir()) / 1e6:.1f} MB)")
        from cchc_desktop.services.rollup_read import MAX_WORKERS, PARALLEL_FROM

        workers = min(os.cpu_count() or 1, MAX_WORKERS) if args.communes >= PARALLEL_FROM else 1
        floors, rolls, alone = [], [], []
        for _ in range(args.runs):  # in turn, so that a machine's drift touches all alike
            s, out = timed(FLOOR, folder)
            floors.append(s)
            r, out2 = timed(ROLLUP, folder)
            rolls.append(r)
            alone.append(timed(ROLLUP, folder, "1")[0])
        floor, roll, one = statistics.median(floors), statistics.median(rolls), statistics.median(alone)
        print(f"floor (read + json.loads every file, one process): {floor:.2f} s   [{out} files]")
        how = f"{workers} worker processes reading" if workers > 1 else f"one process, under {PARALLEL_FROM} files"
        print(f"roll-up (read, check, sum, recompute; as the program runs it, {how}): {roll:.2f} s   "
              f"[accepted, refused: {out2}]")
        print(f"ratio: {roll / floor:.2f}×   (target ≤ 3.0×; median of {args.runs}; whole processes)")
        print(f"the same roll-up in one process: {one:.2f} s, {one / floor:.2f}×")
        try:
            import resource  # not on Windows
        except ImportError:
            return 0
        # the largest child this process waited for: a roll-up (the floor holds one file at a time)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / (2**20 if sys.platform == "darwin" else 2**10)
        print(f"peak memory of a roll-up process: {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
