"""Shared body of the PySide6 hooks in this folder: PyInstaller's own collection for the
module, minus the plugins and translations bundle_filter leaves out. These hooks take
precedence over PyInstaller's (hookspath), so a dropped plugin's libraries are never analysed."""

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

from bundle_filter import kept_src


def collect(hook_file):
    hiddenimports, binaries, datas = add_qt6_dependencies(hook_file)
    binaries = [b for b in binaries if kept_src(*b)]
    datas = [d for d in datas if kept_src(*d)]
    return hiddenimports, binaries, datas
