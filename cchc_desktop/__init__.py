"""CCHC Desktop: the commune's periodic report on administrative reform.

Everything in this package except ``cchc_desktop.gui`` is the core: it never imports PySide6,
so it can be tested and scripted on a machine with no display.
"""

__version__ = "0.1.0"
