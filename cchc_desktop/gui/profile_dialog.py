"""Thông tin đơn vị: the unit's profile (name, province, signer, Kính gửi, Nơi nhận), a
Designer form (ui/unit_profile.ui) loaded at run time. On first run it is the welcome.

After a save, `offer_to_apply` asks whether the drafts that still carry the previous signer
and recipients take the new ones (services/profile); the open report's change goes through
its session, as every edit of it does."""

from __future__ import annotations

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox, QVBoxLayout, QWidget

from cchc_desktop.core import vocabulary
from cchc_desktop.core.header import defaults_after_switch
from cchc_desktop.core.unit import TYPED_FIELDS, ProfileForm, profile_form, profile_from_form
from cchc_desktop.gui import assets
from cchc_desktop.gui.ask import ask
from cchc_desktop.services.profile import apply_profile, fields_text, letterhead_changed, pending_changes
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
        self._stored = store.get_profile() or {}
        self.code_label = QLabel()
        self.code_label.setObjectName("codes")
        self.code_label.setWordWrap(True)
        self.code_label.setAccessibleName("Mã đơn vị hành chính")
        fields: QFormLayout = self.form.findChild(QFormLayout, "fields")
        row, _ = fields.getWidgetPosition(self.w["province"])
        fields.insertRow(row + 1, "Mã đơn vị hành chính:", self.code_label)
        for box in (self.w["name"], self.w["province"]):
            box.textChanged.connect(self._show_codes)
        self.w["kind"].currentIndexChanged.connect(self._show_codes)
        self._show_codes()
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

    def codes(self) -> tuple[str, str]:
        """The official codes of the unit the boxes name now (none for a unit not in the list)."""
        return self.picker.codes(self.w["kind"].currentData(), self.w["name"].text().strip(),
                                 self.w["province"].text().strip(), self._stored)

    def _show_codes(self) -> None:
        code, province_code = self.codes()
        if code:
            text = f"{code} (tỉnh, thành phố: {province_code}), theo danh mục đơn vị hành chính"
        elif province_code:
            text = (f"không có: tên đơn vị chưa khớp danh mục đơn vị hành chính (mã tỉnh, thành phố: {province_code}). "
                    "Gõ vài chữ của tên rồi chọn trong danh sách hiện ra để có mã.")
        else:
            text = ("không có: đơn vị chưa khớp danh mục đơn vị hành chính. Gõ tỉnh, thành phố và vài chữ của tên "
                    "đơn vị rồi chọn trong danh sách hiện ra để có mã.")
        self.code_label.setText(text)

    def typed(self) -> ProfileForm:
        code, province_code = self.codes()
        return ProfileForm(**{name: self.w[name].text() for name in TYPED_FIELDS},
                           kind=self.w["kind"].currentData(),
                           signing_authority=self.w["signing_authority"].currentData(),
                           recipients=self.w["recipients"].toPlainText(), cc=self.w["cc"].toPlainText(),
                           code=code, province_code=province_code)

    def values(self) -> dict:
        return profile_from_form(self.typed(), self.store.get_profile())

    def save(self) -> None:
        try:
            self.store.save_profile(self.values())
        except StoreError as exc:
            QMessageBox.critical(self, "Chưa lưu được", str(exc))
            return
        self.accept()


APPLY_TITLE = "Cập nhật các báo cáo đang soạn"


def _labels(changes, ids, open_id) -> str:
    return ", ".join(changes.labels[rid] + (" (đang mở)" if rid == open_id else "") for rid in ids)


def _complete_note(changes) -> str:
    if not changes.complete:
        return ""
    names = ", ".join(changes.labels[r["id"]] for r in changes.complete)
    return (f"{len(changes.complete)} báo cáo đã đánh dấu hoàn thành ({names}) vẫn giữ thông tin cũ, không bị sửa. "
            "Muốn sửa báo cáo nào, hãy mở báo cáo đó, bấm “Bỏ đánh dấu hoàn thành” ở thẻ Kiểm tra và xuất, rồi sửa ở "
            "thẻ Thông tin chung.")


def offer_to_apply(parent, store: Store, before: dict | None, after: dict | None, controller=None) -> dict[int, dict]:
    """After the profile was saved `before` → `after`: if drafts of the unit still carry the
    previous signer, signing authority or recipients, ask whether they take the new ones. The
    open report (`controller`, an EditController) changes through its session and its undo
    stack; the other drafts through services/profile.apply_profile; reports marked complete
    are left as they are, and the clerk is told which. Returns {report id: changes made}."""
    changes = pending_changes(store, before, after)
    if changes.empty:
        return {}
    open_id = controller.session.report_id if controller is not None else None
    if not changes.drafts:
        QMessageBox.information(parent, "Thông tin đơn vị đã lưu", _complete_note(changes))
        return {}
    ids = sorted(changes.drafts, key=lambda rid: rid != open_id)  # the open one first
    letterhead = (" Tên đơn vị và phần đầu văn bản (tên cơ quan, địa danh) luôn lấy theo Thông tin đơn vị nên đã "
                  "tự cập nhật ở mọi báo cáo." if letterhead_changed(before, after) else "")
    text = (f"Bạn vừa đổi {fields_text(changes.fields)} trong Thông tin đơn vị. {len(ids)} báo cáo đang soạn vẫn ghi "
            f"theo thông tin cũ: {_labels(changes, ids, open_id)}.\n\n"
            "Cập nhật người ký, thẩm quyền ký và nơi nhận (Kính gửi, Nơi nhận) của các báo cáo đó theo thông tin mới? "
            f"Ô nào đã sửa riêng cho một báo cáo thì vẫn giữ nguyên.{letterhead}")
    note = _complete_note(changes)
    if note:
        text += "\n\n" + note
    if not ask(parent, APPLY_TITLE, text, yes="Cập nhật các báo cáo", no="Giữ nguyên"):
        return {}
    done: dict[int, dict] = {}
    if open_id in changes.drafts:
        controller.flush()
        controller.end_cell()  # its own undo step, never merged into the header typed before
        header = controller.session.report.get("header") or {}
        updates = changes.drafts[open_id]
        if controller.update_report(header=updates):
            done[open_id] = {k: (header.get(k), v) for k, v in updates.items()}
    try:
        done |= apply_profile(store, [rid for rid in ids if rid != open_id], after or {}, before)
    except StoreError as exc:
        done |= getattr(exc, "applied", {})
        QMessageBox.critical(parent, APPLY_TITLE,
                             f"{exc}\n\nĐã cập nhật {len(done)} báo cáo; các báo cáo còn lại vẫn ghi thông tin cũ. "
                             "Có thể sửa người ký và nơi nhận ở thẻ Thông tin chung của từng báo cáo.")
        return done
    status = getattr(parent, "statusBar", None)
    if done and callable(status):
        status().showMessage(f"Đã cập nhật người ký và nơi nhận của {len(done)} báo cáo theo Thông tin đơn vị.", 15000)
    return done
