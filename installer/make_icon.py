"""Render resources/icons/app.svg into a Windows .ico at build time (the SVG stays the one
source of the picture; nothing generated is committed).

The .ico holds one PNG-compressed image per size (16…256 px), the format Windows Vista and
later read for every size; the PNGs are drawn by Qt's own SVG renderer, so no extra tool
(ImageMagick, Pillow) is needed on the build machine.

    python installer/make_icon.py [OUT.ico]        (default: build/icon/cchc-desktop.ico)
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SVG = ROOT / "resources" / "icons" / "app.svg"
DEFAULT_OUT = ROOT / "build" / "icon" / "cchc-desktop.ico"
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)  # 20/40: the 125 % and 250 % taskbar sizes


def render_png(svg: Path, size: int) -> bytes:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841 (kept alive)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buf, "PNG"):
        raise SystemExit("Qt could not write PNG")
    buf.close()
    return bytes(data)


def make_ico(out: Path = DEFAULT_OUT, svg: Path = SVG, sizes=SIZES) -> Path:
    """Write the .ico (only when the SVG is newer, so a rebuild does not touch it)."""
    out = Path(out)
    if out.is_file() and out.stat().st_mtime >= svg.stat().st_mtime:
        return out
    pngs = [render_png(svg, s) for s in sizes]
    header = struct.pack("<HHH", 0, 1, len(pngs))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in zip(sizes, pngs):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset)
        blobs += png
        offset += len(png)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_bytes(header + entries + blobs)
    os.replace(tmp, out)
    return out


if __name__ == "__main__":
    print(make_ico(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT))
