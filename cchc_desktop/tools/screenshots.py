"""`python -m cchc_desktop.tools.screenshots OUTDIR` — every tab of the sample at 1366×768; the
code is in cchc_desktop.gui.screenshots (PySide6 stays inside the GUI package)."""

if __name__ == "__main__":
    from cchc_desktop.gui.screenshots import main

    raise SystemExit(main())
