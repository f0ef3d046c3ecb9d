"""Benchmark (not a test): `python -m tools.bench_export [--runs N]`.

Prints the median time to write both files for the sample, and — measured in the same run
on the same machine — LibreOffice's time to convert the same .docx to PDF, as a ratio. A
LibreOffice conversion is what opening the file for printing roughly costs, so the ratio
says whether our export is noticeable next to it.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

TARGET_RATIO = 0.3  # both files in under a third of what opening the .docx for printing costs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=7)
    runs = ap.parse_args(argv).runs

    from cchc_desktop.core.catalog import CatalogRegistry
    from cchc_desktop.services.export_files import export_view
    from cchc_desktop.formats.printed import PrintedReport
    from cchc_desktop.services.sample import sample_doc

    registry = CatalogRegistry()
    view = PrintedReport.from_doc(sample_doc(registry), registry)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        both, docx_only, xlsx_only = [], [], []
        for n in range(runs):
            t0 = time.perf_counter()
            export_view(view, docx=out / f"b{n}.docx", xlsx=out / f"b{n}.xlsx", draft=True)
            both.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            export_view(view, docx=out / f"d{n}.docx", draft=True)
            docx_only.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            export_view(view, xlsx=out / f"x{n}.xlsx", draft=True)
            xlsx_only.append(time.perf_counter() - t0)
        med = lambda xs: statistics.median(xs) * 1000  # noqa: E731
        print(f"CCHC Desktop export benchmark — sample report, median of {runs} runs")
        print(f"  Word + Excel for the sample : {med(both):8.1f} ms  (Word {med(docx_only):.1f} ms, Excel {med(xlsx_only):.1f} ms)")
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            print("  LibreOffice not installed: no conversion floor measured")
            return 0
        conv = []
        for n in range(min(runs, 3)):
            t0 = time.perf_counter()
            subprocess.run(
                [soffice, "--headless", f"-env:UserInstallation=file://{out}/lo", "--convert-to", "pdf", "--outdir", str(out / "pdf"), str(out / "b0.docx")],
                check=True, capture_output=True, timeout=300,
            )
            conv.append(time.perf_counter() - t0)
        print(f"  LibreOffice docx -> PDF     : {med(conv):8.1f} ms  (median of {len(conv)})")
        print(f"  ratio export / conversion   : {med(both) / med(conv):8.3f}  (target ≤ {TARGET_RATIO}, issue 9)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
