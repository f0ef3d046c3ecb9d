"""Edits forever until killed; used by test_crash_safety.py.

    python tests/crash_writer.py DBFILE SEED

Every edit goes through the real Store. Only AFTER a call has returned does the writer print
``ACK <seq> <what> <key> <text>`` and flush: that line is the "shown as saved" the test holds
the store to. Sequence numbers continue from the highest one already in the file, so texts
from successive runs on the same file stay ordered.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cchc_desktop.storage.store import Store  # noqa: E402

INDICATORS = [f"bm3.3.{i}" for i in range(1, 9)]
SECTIONS = ["I.1", "II.2", "III"]
META = {
    "unit_name": "UBND xã Tân Lập", "year": 2025, "period": "6thang",
    "window_start": "2024-12-15", "window_end": "2025-06-14",
    "next_period_label": "6 tháng cuối năm", "catalog_id": "bm-xa", "catalog_version": "1",
    "header": {"number": "25/BC-UBND"},
}
_LEADING_INT = re.compile(r"^(\d+)")


def highest_seq(store: Store, report_id: int) -> int:
    texts = [t for row in store.get_values(report_id).values() for t in (row.raw, row.note)]
    texts += store.get_narratives(report_id).values()
    seqs = [int(m[1]) for t in texts if (m := _LEADING_INT.match(t))]
    return max(seqs, default=0)


def main() -> None:
    db_file, seed = Path(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    store = Store(db_file)
    reports = store.list_reports()
    report_id = reports[0]["id"] if reports else store.create_report(META)
    seq = highest_seq(store, report_id) + 1
    out = sys.stdout
    while True:
        kind = rng.choice(("value", "value", "note", "narrative"))
        if kind == "value":
            key = rng.choice(INDICATORS)
            if rng.random() < 0.2:  # invalid input is kept too
                text = f"{seq} người (chưa rõ)"
                store.set_value(report_id, key, text)
            else:
                text = str(seq)
                store.set_value(report_id, key, text)
        elif kind == "note":
            key = rng.choice(INDICATORS)
            text = f"{seq} số liệu đã đối chiếu với sổ theo dõi"
            store.set_note(report_id, key, text)
        else:
            key = rng.choice(SECTIONS)
            # long enough to span several pages now and then; one line, so the ACK stays one
            text = f"{seq} " + "Ủy ban nhân dân xã đã rà soát, đơn giản hóa thủ tục. " * rng.randint(1, 25)
            store.set_narrative(report_id, key, text)
        out.write(f"ACK {seq} {kind} {key} {text}\n")
        out.flush()
        seq += 1


if __name__ == "__main__":
    main()
