"""The files of a roll-up: found in folders, read and checked against their own catalog
version — in this process, or, from PARALLEL_FROM files, in worker processes (one per
processor) — before services.rollup chooses the year and period it sums and refuses the rest.
A worker runs _read_chunk on its share; what it returns (a FileRead, or why a file cannot be
read) is all the roll-up keeps of a file."""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cchc_desktop.core.catalog import CatalogError, CatalogRegistry
from cchc_desktop.core.unit import display_name as unit_display_name
from cchc_desktop.errors import CchcError
from cchc_desktop.formats.doc_catalog import catalog_for, check_against_catalog, read_doc, state_of
from cchc_desktop.formats.exchange import ExchangeError

SUFFIXES = (".json", ".xlsx")
MAX_FILES = 20_000
# From this many files a roll-up reads them in worker processes (one per processor, at most
# MAX_WORKERS): reading is most of a national roll-up's time, and each worker costs a start
# (a fresh interpreter on Windows) that a province's hundred files would not repay
PARALLEL_FROM = 1000
MAX_WORKERS = 4
CHUNK = 64  # at most this many files read, then checked, together (_read_chunk): a worker's share at a time


class RollupError(CchcError):
    pass


@dataclass(frozen=True)
class Refusal:
    file: str
    reason: str


def collect(paths: list[str | Path]) -> tuple[list[Path], list[Refusal]]:
    """Files and folders (their sub-folders too) → the .json and .xlsx files in them, sorted."""
    files, refused = [], []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(map(Path, _files_under(str(p))))
        elif p.is_file():
            files.append(p)
        else:
            refused.append(Refusal(str(p), "Không có tệp hoặc thư mục này."))
    if len(files) > MAX_FILES:
        raise RollupError(f"Có {len(files)} tệp, quá {MAX_FILES} tệp một lần tổng hợp. Chọn thư mục nhỏ hơn.")
    return files, refused


def _files_under(folder: str) -> list[str]:
    """The reports in a folder and its sub-folders, as Path.rglob would find them (links to
    folders not followed) but without a Path and a stat for every file: a national roll-up's
    folder holds thousands. Excel's lock files (~$…) and hidden files are left out."""
    out, stack = [], [folder]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif (entry.name.lower().endswith(SUFFIXES) and not entry.name.startswith(("~$", "."))
                              and entry.is_file()):
                            out.append(entry.path)
                    except OSError:
                        continue
        except OSError:  # a sub-folder that cannot be listed, as rglob skips it
            continue
    return out


@dataclass
class FileRead:
    """One file as read for a roll-up: its report's identity, and its forms checked against its
    own catalog version, with the issues the commune sees. All of it is done before the roll-up
    knows which year, period and catalog it sums (the files themselves say), so that it can be
    done in worker processes; a file then refused for its year or period was checked for nothing."""

    year: int
    period: str
    catalog_id: str
    catalog_version: str
    status: str
    name: str  # "Xã Bình Phước"; "" when the file names no unit
    code: str
    values: dict  # id -> raw text, the blank ones left out
    problem: str | None  # why its own catalog version refuses it
    parsed: dict | None  # the state's values: id -> value parsed or derived (None: blank or not a value)
    issues: tuple[tuple[str, str], ...]  # (severity, message), in the order the commune sees them
    dated: str  # the report's own date (header "date"), ISO; "" if not written


def _read_chunk(paths: list[Path], registry: CatalogRegistry) -> list[FileRead | str]:
    """Some files read and checked (a FileRead each), or why one cannot be read: the work of a
    worker. All are read before any is checked: reading one evicts from the processor's caches
    what checking the last one used, and in turn that costs a national roll-up a tenth more."""
    return [doc if isinstance(doc, str) else _checked(doc, registry) for doc in map(_read_doc, paths)]


def _read_doc(path: Path) -> dict | str:
    try:
        return _read(path)
    except RollupError as exc:
        return str(exc)
    except OSError as exc:
        return f"Không đọc được tệp: {exc.strerror or exc}."


def _checked(doc: dict, registry: CatalogRegistry) -> FileRead:
    rep, problem, parsed, issues = doc["report"], None, None, ()
    try:
        catalog = catalog_for(doc, registry)
        check_against_catalog(doc, catalog)
    except (ExchangeError, CatalogError) as exc:
        problem = str(exc)
    else:
        # the forms' issues only: the prose (its placeholders, the figures typed in it) is the
        # commune's to put right, and checking it would cost the roll-up many times its other work
        state = state_of(doc, catalog, prose=False)
        parsed, issues = state.values, tuple((i.severity, i.message) for i in state.sorted_issues())
    return FileRead(rep["year"], rep["period"], doc["catalog"]["id"], doc["catalog"]["version"], rep["status"],
                 unit_display_name(doc["unit"]), str(doc["unit"].get("code", "") or ""),
                 {k: v for k, v in doc["values"].items() if v.strip()}, problem, parsed, issues,
                 rep["header"].get("date", ""))


def read_all(files: list[Path], registry: CatalogRegistry, workers: int | None) -> Iterator[FileRead | str]:
    """Each file read and checked (_read_chunk), in order: in this process, or in `workers`
    processes (None: one per processor, up to MAX_WORKERS, from PARALLEL_FROM files)."""
    if workers is None:
        workers = min(os.cpu_count() or 1, MAX_WORKERS) if len(files) >= PARALLEL_FROM else 1
    size = max(1, min(CHUNK, len(files) // (4 * workers)))  # a few chunks for each worker at least
    chunks = [files[n:n + size] for n in range(0, len(files), size)]
    if workers <= 1 or len(chunks) < 2:
        return (got for chunk in chunks for got in _read_chunk(chunk, registry))
    return _in_workers(chunks, registry, workers)


_worker_registry: CatalogRegistry | None = None  # in a worker process: the roll-up's catalogs


def _start_worker(registry: CatalogRegistry) -> None:
    global _worker_registry
    _worker_registry = registry
    gc.disable()  # as in the roll-up itself (_no_cycle_collection); the worker ends with it


def _read_in_worker(chunk: list[Path]) -> list[FileRead | str]:
    return _read_chunk(chunk, _worker_registry)


def _in_workers(chunks: list[list[Path]], registry: CatalogRegistry, workers: int) -> Iterator[FileRead | str]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # fork (no interpreter to start, nothing to import again) only where it is safe: not in the
    # window, whose Qt threads a forked child could find holding a lock; and not in the bundle,
    # whose workers start as on Windows, through freeze_support (cchc_desktop/__main__.py)
    fork = ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            and "PySide6.QtCore" not in sys.modules and not getattr(sys, "frozen", False))
    done = 0
    try:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork" if fork else "spawn"),
                                   initializer=_start_worker, initargs=(registry,))
    except OSError:  # no processes to be had here: read them all in this one
        pool = None
    try:
        if pool is not None:
            for results in pool.map(_read_in_worker, chunks):
                yield from results
                done += 1
    except (BrokenProcessPool, OSError):
        pass  # a worker died (out of memory, killed): the files it had are read here
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)  # a roll-up stopped from its progress bar
    yield from (got for chunk in chunks[done:] for got in _read_chunk(chunk, registry))


def _read(path: Path) -> dict:
    if path.suffix.lower() not in SUFFIXES:
        raise RollupError("Chỉ đọc tệp .json (tệp trao đổi) hoặc .xlsx (phụ lục) do CCHC Desktop xuất.")
    from cchc_desktop.formats.appendix_data import AppendixError

    try:
        return read_doc(path, prose=False)  # the forms are summed; the prose stays the commune's
    except (AppendixError, ExchangeError) as exc:
        raise RollupError(str(exc)) from None
