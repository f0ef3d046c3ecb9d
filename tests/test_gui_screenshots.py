"""The screenshot tool renders every tab of the sample at 1366×768 (offscreen)."""

from PySide6.QtGui import QImage

from cchc_desktop.core.catalog import CatalogRegistry
from tools.screenshots import render


def test_every_tab_is_rendered_at_1366_by_768(tmp_path):
    files = render(tmp_path)
    tabs = CatalogRegistry().latest().tabs
    pages = [f for f in files if not f.name.startswith("dialog-")]
    assert [f.name.split("-", 1)[1] for f in pages] == [f"{t.id}.png" for t in tabs]
    for f in pages:
        image = QImage(str(f))
        assert (image.width(), image.height()) == (1366, 768), f.name
