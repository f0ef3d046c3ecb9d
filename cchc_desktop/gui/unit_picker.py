"""Type-ahead from the official list of units (core/units_list) on the profile form's province
and name boxes: typed with or without marks ("binh phuoc"), a pick fills the name, the kind
(xã / phường / đặc khu) and the province; anything not in the list can still be typed freely.
The official codes go with what the boxes hold (`codes`): a unit of the list has its codes, a
unit typed freely, or changed after a pick, has none."""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit

from typing import Mapping

from cchc_desktop.core import units_list

SHOWN = 12


class UnitPicker:
    def __init__(self, province: QLineEdit, name: QLineEdit, kind: QComboBox):
        self.province_box, self.name_box, self.kind_box = province, name, kind
        self.units: dict[str, units_list.Unit] = {}
        try:
            self.provinces = {p.name: p for p in units_list.provinces()}
        except units_list.UnitsListMissing:
            self.provinces = {}  # no list on this machine: the boxes stay plain text
            return
        self.province_model = QStringListModel(sorted(self.provinces, key=units_list.fold))
        self.province_completer = self._completer(province, self.province_model)
        self.province_completer.activated.connect(lambda text: province.setText(text))
        province.textEdited.connect(self._province_typed)
        self.name_model = QStringListModel()
        self.name_completer = self._completer(name, self.name_model)
        self.name_completer.activated.connect(self._unit_picked)
        name.textEdited.connect(self._name_typed)

    @staticmethod
    def _completer(box: QLineEdit, model: QStringListModel) -> QCompleter:
        c = QCompleter(model, box)
        # we filter (without marks) and the popup shows what we chose
        c.setCompletionMode(QCompleter.UnfilteredPopupCompletion)
        c.setCaseSensitivity(Qt.CaseInsensitive)
        c.setMaxVisibleItems(SHOWN)
        box.setCompleter(c)
        return c

    def _province_typed(self, text: str) -> None:
        wanted = units_list.fold(text)
        names = [n for n in sorted(self.provinces, key=units_list.fold) if wanted in units_list.fold(n)]
        self.province_model.setStringList(names)
        if names and wanted:
            self.province_completer.complete()

    def _name_typed(self, text: str) -> None:
        province = units_list.province_named(self.province_box.text())
        found = units_list.find_units(text, province.code if province else None, limit=SHOWN) if text.strip() else []
        self.units = {f"{u.full_name} — {u.province.full_name}": u for u in found}
        self.name_model.setStringList(list(self.units))
        if found:
            self.name_completer.complete()

    def _unit_picked(self, text: str) -> None:
        unit = self.units.get(text)
        if unit is None:
            return
        self.name_box.setText(unit.name)
        self.province_box.setText(unit.province.name)
        index = self.kind_box.findData(unit.kind)
        if index >= 0:
            self.kind_box.setCurrentIndex(index)

    def codes(self, kind: str, name: str, province: str, previous: Mapping | None = None) -> tuple[str, str]:
        """(unit code, province code) of the unit the boxes name now, from the official list.
        With no list on this machine: the stored codes while name, kind and province are as
        stored, none once they change."""
        if not self.provinces:
            prev = previous or {}
            same = ((units_list.fold(prev.get("name") or ""), prev.get("kind"), units_list.fold(prev.get("province") or ""))
                    == (units_list.fold(name), kind, units_list.fold(province)))
            return (prev.get("code") or "", prev.get("province_code") or "") if same else ("", "")
        return units_list.official_codes(kind, name, province)
