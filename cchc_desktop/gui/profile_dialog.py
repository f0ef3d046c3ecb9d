"""Thông tin đơn vị: the unit's profile (name, province, signer, Kính gửi, Nơi nhận), a
Designer form (ui/unit_profile.ui) loaded at run time. On first run it is the welcome."""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from cchc_desktop.core import vocabulary
from cchc_desktop.core.header import defaults_after_switch
from cchc_desktop.core.unit import TYPED_FIELDS, ProfileForm, profile_form, profile_from_form
from cchc_desktop.gui import assets
from cchc_desktop.storage.store import Store, StoreError
from cchc_desktop.gui.screen_fit import fit

WELCOME = ("<b>Chào mừng bạn đến với CCHC Desktop.</b> Trước khi lập báo cáo, hãy ghi thông tin của đơn vị. "
           "Thông tin này dùng cho phần đầu và phần cuối của mọi báo cáo; có thể sửa lại sau ở menu "
           "Báo cáo › Thông tin đơn vị. Chưa có đủ thông tin thì bấm Để sau.")


def load_form(name: str, parent):
    """A Designer form from ui/, as a child widget of `parent`."""
    path = assets.ui_file(name)
    file = QFile(str(path))
    if not file.open(QIODevice.ReadOnly):
        raise FileNotFoundError(f"Không đọc được tệp giao diện {path}.")
    try:
        widget = QUiLoader().load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"Tệp giao diện {path} bị hỏng.")
    return widget


class ProfileDialog(QDialog):
    def __init__(self, store: Store, first_run: bool = False, parent=None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Chào mừng — thông tin đơn vị" if first_run else "Thông tin đơn vị")
        self.form = load_form("unit_profile.ui", self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.form)
        self.w = {name: self.form.findChild(QWidget, name)
                  for name in (*TYPED_FIELDS, "kind", "signing_authority", "recipients", "cc")}
        buttons: QDialogButtonBox = self.form.findChild(QDialogButtonBox, "buttons")
        buttons.button(QDialogButtonBox.Save).setText("Lưu")
        buttons.button(QDialogButtonBox.Cancel).setText("Để sau" if first_run else "Hủy")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        if first_run:
            self.form.findChild(QLabel, "intro").setText(WELCOME)
        # the .ui leaves the two lists empty: QUiLoader drops an item's data, and the items
        # must carry the stored code, so they come from the one list in the vocabulary
        for code in vocabulary.UNIT_KINDS:
            self.w["kind"].addItem(code, code)
        for code in vocabulary.SIGNING_AUTHORITIES:
            self.w["signing_authority"].addItem(vocabulary.AUTHORITY_LABELS[code], code)
        self._fill(profile_form(store.get_profile()))
        from cchc_desktop.gui.unit_picker import UnitPicker  # the official list, read when the form opens

        self.picker = UnitPicker(self.w["province"], self.w["name"], self.w["kind"])
        self._auth = self.w["signing_authority"].currentData()
        self.w["signing_authority"].currentIndexChanged.connect(self._authority_changed)
        fit(self, 640, 600)

    def _fill(self, shown: ProfileForm) -> None:
        for name in TYPED_FIELDS:
            self.w[name].setText(getattr(shown, name))
        for name in ("kind", "signing_authority"):
            self.w[name].setCurrentIndex(self.w[name].findData(getattr(shown, name)))
        self.w["recipients"].setPlainText(shown.recipients)
        self.w["cc"].setPlainText(shown.cc)

    def _authority_changed(self) -> None:
        new = self.w["signing_authority"].currentData()
        _, title = defaults_after_switch(self._auth, new, "", self.w["signer_title"].text())
        self.w["signer_title"].setText(title)
        self._auth = new

    def typed(self) -> ProfileForm:
        return ProfileForm(**{name: self.w[name].text() for name in TYPED_FIELDS},
                           kind=self.w["kind"].currentData(),
                           signing_authority=self.w["signing_authority"].currentData(),
                           recipients=self.w["recipients"].toPlainText(), cc=self.w["cc"].toPlainText())

    def values(self) -> dict:
        return profile_from_form(self.typed(), self.store.get_profile())

    def save(self) -> None:
        try:
            self.store.save_profile(self.values())
        except StoreError as exc:
            QMessageBox.critical(self, "Chưa lưu được", str(exc))
            return
        self.accept()
