"""The machine the program runs on: where the clerk's data lives (per-user or portable), where
the shipped files are (checkout, pip install or PyInstaller bundle), the log files."""
