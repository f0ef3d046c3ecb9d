"""`python -m cchc_desktop.gui_bench` — the window benchmark; the code is in
cchc_desktop.gui.bench (PySide6 stays inside the GUI package, loaded only when run)."""

if __name__ == "__main__":
    from cchc_desktop.gui.bench import main

    raise SystemExit(main())
