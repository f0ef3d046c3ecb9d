"""Benchmark (not a test): `python -m tools.bench_core [--runs N]`.

Prints medians of a full validation of the sample, one incremental re-validation and one
saved edit, each beside a floor measured in the same run on the same machine, so the
figures can be compared across noisy, shared machines by their ratios.
"""

from __future__ import annotations

import argparse
import itertools
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path


BURST = 20  # saved edits between two checkpoints: ~1,5 s of steady typing in a form


def _median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=300)
    runs = ap.parse_args(argv).runs

    from cchc_desktop.core.catalog import CatalogRegistry
    from cchc_desktop.core.engine import Validator
    from cchc_desktop.core.numbers import parse_value
    from cchc_desktop.services.report_io import import_doc
    from cchc_desktop.services.sample import sample_doc
    from cchc_desktop.services.session import ReportSession
    from cchc_desktop.storage.store import Store

    registry = CatalogRegistry()
    catalog = registry.latest()
    doc = sample_doc(registry)
    values = doc["values"]

    t0 = time.perf_counter()
    validator = Validator(catalog)
    build_ms = (time.perf_counter() - t0) * 1000

    full = _median_ms(lambda: validator.state(values), runs)
    parse_floor = _median_ms(
        lambda: [parse_value(catalog.indicators[i].kind, t, catalog.indicators[i].codes) for i, t in values.items()], runs
    )
    state = validator.state(values)
    toggle = iter(["1.867", "1.868"] * runs)
    incremental = _median_ms(lambda: state.set_raw("bm3.3.2.1", next(toggle)), runs)

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite")
        rid = import_doc(store, registry, doc)
        session = ReportSession(store, rid, registry)
        texts = itertools.cycle(["1.867", "1.868"])
        saved = _median_ms(lambda: session.set_value("bm3.3.2.1", next(texts)), runs)

        def burst_then_checkpoint():  # what the window does each 1,5 s of steady typing
            for _ in range(BURST):
                session.set_value("bm3.3.2.1", next(texts))
            t0 = time.perf_counter()
            store.checkpoint()
            return time.perf_counter() - t0

        checkpoint = statistics.median(burst_then_checkpoint() for _ in range(max(runs // 10, 5))) * 1000
        store.close()
        opened = _median_ms(lambda: Store(Path(tmp) / "bench.sqlite").close(), max(runs // 10, 5))

        # floor: one bare sqlite3 commit of one row, same journal and sync settings
        con = sqlite3.connect(Path(tmp) / "floor.sqlite", isolation_level=None)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA synchronous=FULL")
        con.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
        n = iter(range(10**9))

        def bare_commit():
            con.execute("BEGIN IMMEDIATE")
            con.execute("INSERT OR REPLACE INTO t VALUES ('a', ?)", (str(next(n)),))
            con.execute("COMMIT")

        commit_floor = _median_ms(bare_commit, runs)

        def bare_burst_then_checkpoint():
            for _ in range(BURST):
                bare_commit()
            t0 = time.perf_counter()
            con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            return time.perf_counter() - t0

        checkpoint_floor = statistics.median(bare_burst_then_checkpoint() for _ in range(max(runs // 10, 5))) * 1000
        con.close()

        def bare_open():
            c = sqlite3.connect(Path(tmp) / "bench.sqlite", isolation_level=None)
            c.execute("PRAGMA journal_mode=WAL").fetchone()
            c.execute("SELECT count(*) FROM reports").fetchone()
            c.close()

        open_floor = _median_ms(bare_open, max(runs // 10, 5))

    print(f"CCHC Desktop benchmark — sample report, {len(values)} typed values, "
          f"{len(catalog.rules)} rules, {len(catalog.derived_order)} derived; median of {runs} runs")
    print(f"  dependency map build (once per catalog) : {build_ms:8.3f} ms")
    print(f"  full validation of the sample           : {full:8.3f} ms   (floor: parsing the values alone "
          f"{parse_floor:.3f} ms, ratio {full / parse_floor:.2f})")
    print(f"  one incremental re-validation           : {incremental:8.3f} ms   (ratio to full {incremental / full:.3f})")
    print(f"  one saved edit (save + re-validate)     : {saved:8.3f} ms   (floor: bare sqlite3 commit "
          f"{commit_floor:.3f} ms, ratio {saved / commit_floor:.2f})")
    print(f"  {f'checkpoint after {BURST} saved edits':40}: {checkpoint:8.3f} ms   (floor: bare sqlite3 "
          f"wal_checkpoint after {BURST} commits {checkpoint_floor:.3f} ms, ratio {checkpoint / checkpoint_floor:.2f})")
    print(f"  open the data file (quick_check)        : {opened:8.3f} ms   (floor: bare sqlite3 open + one "
          f"query {open_floor:.3f} ms, ratio {opened / open_floor:.2f})")
    print(f"  target: full validation under 5 ms median — {'met' if full < 5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
