"""The real window typing prose steadily until killed; used by test_gui_narrative_kill.py.

    python tests/narrative_typist.py DATA_DIR REPORT_ID SEED

Continues TEXT from where the file's narrative of SECTION ends, one character every 100–250 ms
(4–10 a second), as key events to the editor. It prints, flushed:
``K <n> <time>`` after the n-th character of TEXT is in the editor;
``SHOWN <n> <time>`` whenever the window's save state says "Đã lưu" while the editor holds n
characters — and, at that moment, reads the file with a separate connection: ``LIE`` if the
window says saved over text that is not on disk.
"""

from __future__ import annotations

import os
import random
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SECTION = "II.2"
TEXT = ("Trong kỳ, Ủy ban nhân dân xã đã tiếp nhận và giải quyết hồ sơ thủ tục hành chính đúng hạn; "
        "bộ phận một cửa hướng dẫn người dân nộp hồ sơ trực tuyến, thanh toán không dùng tiền mặt. ") * 40


def on_disk(path: Path, rid: int) -> str:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT text FROM narratives WHERE report_id = ? AND section_id = ?",
                          (rid, SECTION)).fetchone()
    finally:
        con.close()
    return row[0] if row else ""


def main() -> None:
    from PySide6.QtCore import QTimer

    from cchc_desktop.core.catalog import CatalogRegistry
    from cchc_desktop.gui.app import make_app
    from cchc_desktop.gui.main_window import MainWindow
    from cchc_desktop.gui.soak import _type
    from cchc_desktop.storage.store import Store

    folder, rid, seed = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    app = make_app()
    store = Store.open(folder)
    window = MainWindow(store, folder, CatalogRegistry())
    window.open_report(rid)
    window.show()
    window.view.reveal_section(SECTION)
    editor = window.view.pane(SECTION).editors[SECTION]
    done = editor.toPlainText()
    assert TEXT.startswith(done), "the file's text is not a prefix of TEXT"
    editor.moveCursor(editor.textCursor().MoveOperation.End)

    def say(line: str) -> None:
        sys.stdout.write(f"{line} {time.time():.3f}\n")
        sys.stdout.flush()

    def state_changed(*_args) -> None:
        shown = window.save_state.text()
        if shown.startswith("Đã lưu") and "Đã lưu" in window.windowTitle():
            n = len(editor.toPlainText())
            say(f"SHOWN {n}")
            if on_disk(store.path, rid) != editor.toPlainText():
                say(f"LIE {n}")

    # connected after the window's own slots: the label is already updated when this runs
    window.controller.saved.connect(lambda _when: QTimer.singleShot(0, state_changed))

    def type_one() -> None:
        n = len(editor.toPlainText())
        _type(editor, TEXT[n])
        say(f"K {n + 1}")
        if not window.controller.all_saved and "Đã lưu" in window.save_state.text():
            say(f"LIE {n + 1}")  # typed text on screen, not on disk, and the window says saved
        QTimer.singleShot(rng.randint(100, 250), type_one)

    say("READY 0")
    QTimer.singleShot(rng.randint(100, 250), type_one)
    app.exec()


if __name__ == "__main__":
    main()
