# PySide6 hook with the bundle's Qt filter applied: see _qt_hook.py and ../bundle_filter.py
from _qt_hook import collect

hiddenimports, binaries, datas = collect(__file__)
