"""Thông tin đơn vị: the unit's profile (name, province, signer, Kính gửi, Nơi nhận), a
Designer form (ui/unit_profile.ui) loaded at run time. On first run it is the welcome."""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from cchc_desktop.gui import assets
from cchc_desktop.gui.editing import leave_out_controls
from cchc_desktop.gui.signing import AUTHORITIES, defaults_after_switch, lines
from cchc_desktop.storage.store import Store, StoreError
from cchc_desktop.core.vocabulary import DEFAULT_DOC_CODE, agency_name

WELCOME = ("<b>Chào mừng bạn đến với CCHC Desktop.</b> Trước khi lập báo cáo, hãy ghi thông tin của đơn vị. "
           "Thông tin này dùng cho phần đầu và phần cuối của mọi báo cáo; có thể sửa lại sau ở menu "
           "Báo cáo › Thông tin đơn vị. Chưa có đủ thông tin thì bấm Để sau.")
# the unit fields (vocabulary.UNIT_FIELDS) the clerk types here on one line; the others are
# chosen (kind, signing authority), several lines (recipients, cc) or derived in values()
TEXT_FIELDS = ("name", "parent_agency", "province", "place_name", "signer_name", "signer_title")
AUTH_CODES = ("TM.", "KT.")
KINDS = ("xã", "phường", "đặc khu")


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
                  for name in (*TEXT_FIELDS, "kind", "signing_authority", "recipients", "cc")}
        buttons: QDialogButtonBox = self.form.findChild(QDialogButtonBox, "buttons")
        buttons.button(QDialogButtonBox.Save).setText("Lưu")
        buttons.button(QDialogButtonBox.Cancel).setText("Để sau" if first_run else "Hủy")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        if first_run:
            self.form.findChild(QLabel, "intro").setText(WELCOME)
        self._fill(store.get_profile() or {})
        self._auth = AUTH_CODES[self.w["signing_authority"].currentIndex()]
        self.w["signing_authority"].currentIndexChanged.connect(self._authority_changed)
        self.resize(640, 600)

    def _fill(self, profile: dict) -> None:
        for name in TEXT_FIELDS:
            self.w[name].setText(profile.get(name, ""))
        kind = profile.get("kind") or "xã"
        self.w["kind"].setCurrentIndex(KINDS.index(kind) if kind in KINDS else 0)
        auth = profile.get("signing_authority") or "TM."
        self.w["signing_authority"].setCurrentIndex(AUTH_CODES.index(auth) if auth in AUTH_CODES else 0)
        if not profile.get("signer_title"):
            self.w["signer_title"].setText(AUTHORITIES[AUTH_CODES[self.w["signing_authority"].currentIndex()]][1])
        self.w["recipients"].setPlainText("\n".join(profile.get("recipients", [])))
        self.w["cc"].setPlainText("\n".join(profile.get("cc", []) or ["Như trên", "Lưu: VT"]))

    def _authority_changed(self, index: int) -> None:
        new = AUTH_CODES[index]
        _, title = defaults_after_switch(self._auth, new, "", self.w["signer_title"].text())
        self.w["signer_title"].setText(title)
        self._auth = new

    def values(self) -> dict:
        v = {name: leave_out_controls(self.w[name].text())[0].strip() for name in TEXT_FIELDS}
        kind = KINDS[self.w["kind"].currentIndex()]
        auth = AUTH_CODES[self.w["signing_authority"].currentIndex()]
        recipients = lines(leave_out_controls(self.w["recipients"].toPlainText())[0])
        if not recipients and v["province"]:
            recipients = [agency_name("tỉnh", v["province"]), f"Sở Nội vụ tỉnh {v['province']}"]
        old_line = AUTHORITIES[auth][0]
        return {
            **v,
            "kind": kind,
            "agency_name": agency_name(kind, v["name"]) if v["name"] else "",
            "place_name": v["place_name"] or v["name"],
            "doc_code": (self.store.get_profile() or {}).get("doc_code") or DEFAULT_DOC_CODE,
            "signing_authority": auth,
            "authority_line": old_line,
            "recipients": recipients,
            "cc": lines(leave_out_controls(self.w["cc"].toPlainText())[0]),
        }

    def save(self) -> None:
        try:
            self.store.save_profile(self.values())
        except StoreError as exc:
            QMessageBox.critical(self, "Chưa lưu được", str(exc))
            return
        self.accept()
