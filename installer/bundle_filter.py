"""What of Qt (and Babel) goes into the PyInstaller bundle: one list, used by
build_installer.spec on the collected files and by the Qt hooks in installer/pyinstaller_hooks/
*before* PyInstaller follows a plugin's library dependencies (so a dropped plugin does not
drag GTK, Wayland or Cairo into the bundle either).

The app uses QtCore, QtGui, QtWidgets and QtUiTools; its icons are SVG files.
"""

from __future__ import annotations

import os

# plugin folder -> plugin base names kept (file name without "lib" and extension); a folder not
# listed is dropped whole (styles: the window draws itself with the built-in Fusion style;
# printsupport, sqldrivers, tls, networkinformation, platformthemes, generic, wayland-*, egl*,
# xcbglintegrations, qmltooling, designer, vectorimageformats: nothing in the app uses them)
QT_PLUGINS_KEPT = {
    # windows: the real thing; offscreen: headless runs (CI smoke test, screenshots); xcb: Linux
    "platforms": {"qwindows", "qoffscreen", "qxcb"},
    "iconengines": {"qsvgicon"},  # QIcon("….svg")
    "imageformats": {"qsvg", "qico"},  # QImage/QPixmap of .svg; .ico window icons
    # Linux only: Vietnamese typing goes through IBus (Bamboo, Unikey); Windows has no such plugins
    "platforminputcontexts": {"composeplatforminputcontextplugin", "ibusplatforminputcontextplugin"},
}
# Qt libraries never needed by this window, whatever pulls them in (lower-case name prefixes,
# "lib" dropped): opengl32sw is Qt's ~20 MB software OpenGL for Windows; widgets never use GL
QT_LIBS_DROPPED = (
    "qt6network", "qt6qml", "qt6quick", "qt6pdf", "qt6virtualkeyboard", "qt6wayland", "qt6wlshell",
    "qt6eglfs", "qt6designer", "qt6labs", "qt6websockets", "qt6multimedia", "qt6webengine", "qt63d",
    "qt6charts", "qt6sql", "qt6test", "qt6printsupport", "qt6help", "qt6xml", "qt6concurrent",
    "qt6statemachine", "qt6svgwidgets", "opengl32sw", "d3dcompiler",
)
BABEL_LOCALES_KEPT = {"root.dat", "vi.dat", "vi_vn.dat"}  # numbers.py formats with locale "vi"


def _plugin_base(filename: str) -> str:
    base = filename.rsplit("/", 1)[-1].split(".", 1)[0]
    return base[3:] if base.startswith("lib") else base


def kept(dest: str) -> bool:
    """Whether a collected file, named by its path inside the bundle, stays in the bundle."""
    d = dest.replace("\\", "/")
    if "/translations/" in f"/{d}" and d.startswith("PySide6/"):
        return False  # the app loads no QTranslator; PySide6 ships no Vietnamese one anyway
    for prefix in ("PySide6/Qt/plugins/", "PySide6/plugins/"):
        if d.startswith(prefix):
            folder, _, rest = d[len(prefix):].partition("/")
            return _plugin_base(rest) in QT_PLUGINS_KEPT.get(folder, set())
    if d.startswith(("PySide6/Qt/qml/", "PySide6/qml/")):
        return False
    name = d.rsplit("/", 1)[-1].lower()
    if d.startswith("babel/locale-data/"):
        return name in BABEL_LOCALES_KEPT
    if name.startswith("lib"):
        name = name[3:]
    return not name.startswith(QT_LIBS_DROPPED)


def kept_src(src: str, dest_dir: str) -> bool:
    """The same, for a hook's (source file, destination folder) pair."""
    return kept(os.path.join(dest_dir, os.path.basename(src)))
