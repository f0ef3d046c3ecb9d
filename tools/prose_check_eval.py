"""Precision and recall of the prose check on the three real reports in ../shared/reference/.

    python -m tools.prose_check_eval [--list]

Each report's narrative (the text before "Nơi nhận") is checked against the forms filled from
that report's own appendix (003, 004: the appendix rows parsed from the OCR text and mapped to
the commune catalog's ids in tests/data/prose_check_truth.toml), or for 002, which has no
appendix, from the catalog's sample figures (taken from 002's own prose). The true findings were
annotated by hand in the same file, each with its sentence and why. A finding counts as true when
its kind and its figure as typed match an annotation whose sentence fragment is in the finding's
sentence. --list prints every finding, false positive and miss.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from cchc_desktop.core.catalog import Catalog, CatalogRegistry
from cchc_desktop.core.engine import validator_for
from cchc_desktop.core.letters import nfc
from cchc_desktop.core.prose_check import ProseFinding, check_prose

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TRUTH = ROOT / "tests" / "data" / "prose_check_truth.toml"

_ROW = re.compile(r"^\s*(\d+(?:\.\d+)*)\.?\t([^\t]*)\t([^\t]*)\t([^\t]*)")
_FORM = re.compile(r"^\**\s*Biểu mẫu (\d+)")


def narrative(text: str) -> str:
    """The report's prose: up to "Nơi nhận", paragraphs joined where the scan wrapped the lines."""
    body = re.split(r"^\s*N(?:ơ|o)i nh(?:ậ|a)n:", text, maxsplit=1, flags=re.M)[0]
    paragraphs = re.split(r"\n\s*\n", body)
    return "\n".join(" ".join(line.strip() for line in p.splitlines() if line.strip()) for p in paragraphs if p.strip())


def appendix_values(text: str) -> dict[str, str]:
    """{"3:4.1.1": "22.979"}: the Số liệu column of every appendix row, by Biểu mẫu and STT."""
    out: dict[str, str] = {}
    form = None
    for line in text.splitlines():
        m = _FORM.match(line)
        if m:
            form = m.group(1)
            continue
        m = _ROW.match(line)
        if m and form:
            stt, value = m.group(1), m.group(4).strip()
            value = re.sub(r"</?i>", "", value).strip().rstrip("%").strip()
            if value and value != "-":
                out.setdefault(f"{form}:{stt}", value)
    return out


@dataclass
class Result:
    name: str
    findings: list[tuple[ProseFinding, str]]  # (finding, its sentence)
    true_positive: list[tuple[ProseFinding, str]]
    false_positive: list[tuple[ProseFinding, str]]
    missed: list[dict]


def _matches(truth: dict, finding: ProseFinding, sentence: str) -> bool:
    return (truth["kind"] == finding.kind and nfc(truth["typed"]) == finding.typed.strip()
            and nfc(truth["sentence"]) in sentence)


def evaluate(catalog: Catalog, spec: dict) -> Result:
    text = nfc((SHARED / "reference" / spec["file"]).read_text(encoding="utf-8"))
    if spec.get("values") == "sample":
        values = {i.id: i.sample for i in catalog.inputs() if i.sample is not None}
    else:
        parsed = appendix_values(text)
        values = {ident: parsed[where] for ident, where in spec.get("rows", {}).items() if where in parsed}
    prose = narrative(text)
    state = validator_for(catalog).state(values)
    found = [(f, prose[f.sentence_start:f.sentence_end]) for f in check_prose(prose, state)]
    truths = spec["findings"]
    tp, fp, hit = [], [], set()
    for f, sentence in found:
        n = next((k for k, t in enumerate(truths) if k not in hit and _matches(t, f, sentence)), None)
        if n is None:
            fp.append((f, sentence))
        else:
            hit.add(n)
            tp.append((f, sentence))
    missed = [t for k, t in enumerate(truths) if k not in hit]
    return Result(spec["file"], found, tp, fp, missed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--list", action="store_true", help="print every finding, false positive and miss")
    args = ap.parse_args(argv)
    catalog = CatalogRegistry().latest()
    truth = tomllib.loads(TRUTH.read_text(encoding="utf-8"))
    totals = [0, 0, 0, 0]
    print(f"{'report':28} {'found':>5} {'TP':>4} {'FP':>4} {'missed':>6} {'precision':>9} {'recall':>6}")
    for spec in truth["report"]:
        spec["findings"] = [t for t in truth.get("finding", []) if t["file"] == spec["file"]]
        r = evaluate(catalog, spec)
        row = [len(r.findings), len(r.true_positive), len(r.false_positive), len(r.missed)]
        totals = [a + b for a, b in zip(totals, row)]
        print(f"{r.name:28} {row[0]:5} {row[1]:4} {row[2]:4} {row[3]:6} {_ratio(row[1], row[0]):>9} "
              f"{_ratio(row[1], row[1] + row[3]):>6}")
        if args.list:
            for label, items in (("TP", r.true_positive), ("FP", r.false_positive)):
                for f, sentence in items:
                    print(f"   {label} {f.kind:15} {f.typed!r}: {f.message}\n      « {sentence[:160]} »")
            for t in r.missed:
                print(f"   MISSED {t['kind']:11} {t['typed']!r}: {t['why']}")
    print(f"{'all':28} {totals[0]:5} {totals[1]:4} {totals[2]:4} {totals[3]:6} {_ratio(totals[1], totals[0]):>9} "
          f"{_ratio(totals[1], totals[1] + totals[3]):>6}")
    return 0


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "–"


if __name__ == "__main__":
    sys.exit(main())
