"""The unit from the official list (issue 10 §8): type-ahead on the real profile form."""

from __future__ import annotations

import pytest

from cchc_desktop.core import units_list
from cchc_desktop.gui.profile_dialog import ProfileDialog
from cchc_desktop.storage.store import Store


@pytest.fixture
def dialog(qtbot, tmp_path):
    store = Store(tmp_path / "cchc.sqlite")
    d = ProfileDialog(store, first_run=True)
    qtbot.addWidget(d)
    yield d
    store.close()


def test_a_province_typed_without_marks_is_offered(qtbot, dialog):
    box = dialog.w["province"]
    box.setText("quang ng")
    box.textEdited.emit("quang ng")
    assert dialog.picker.province_model.stringList() == ["Quảng Ngãi"]


def test_picking_a_commune_fills_name_kind_and_province(qtbot, dialog):
    dialog.w["province"].setText("Hà Nội")
    dialog.w["name"].setText("hoan kiem")
    dialog.w["name"].textEdited.emit("hoan kiem")
    offered = dialog.picker.name_model.stringList()
    assert offered == ["Phường Hoàn Kiếm — Thành phố Hà Nội"]
    dialog.picker.name_completer.activated.emit(offered[0])
    assert dialog.w["name"].text() == "Hoàn Kiếm" and dialog.w["kind"].currentData() == "phường"
    assert dialog.w["province"].text() == "Hà Nội"
    typed = dialog.typed()
    assert (typed.name, typed.kind, typed.province) == ("Hoàn Kiếm", "phường", "Hà Nội")


def test_a_unit_not_in_the_list_is_still_typed_freely(qtbot, dialog):
    dialog.w["province"].setText("Quảng Ngãi")
    dialog.w["name"].setText("Bình Phước")  # merged away in 2025: not in the list, still allowed
    dialog.w["name"].textEdited.emit("Bình Phước")
    assert not units_list.find_units("Bình Phước", units_list.province_named("Quảng Ngãi").code)
    assert dialog.typed().name == "Bình Phước"
