"""Qt's own words in Vietnamese: the buttons of message boxes ("OK", "Yes"), Qt's file and
folder dialog, the right-click menu of every text box, the scroll bars' menu.

Qt ships no Vietnamese translation (there is no qtbase_vi.qm), so a clerk would read "Cancel",
"Look in:" and "Select All" in an otherwise Vietnamese program. A translator installed on the
application answers Qt's own tr() calls from the table below; our own texts are Vietnamese
already and never go through it. Windows' native file dialog is the system's (in the system's
language, with the clerk's usual places) and is not ours to translate.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

_BUTTONS = {
    "OK": "Đồng ý", "&OK": "&Đồng ý", "Cancel": "Hủy", "&Cancel": "&Hủy", "Yes": "Có", "&Yes": "&Có",
    "No": "Không", "&No": "&Không", "Yes to &All": "Có với &tất cả", "N&o to All": "K&hông với tất cả",
    "Close": "Đóng", "&Close": "Đó&ng", "Save": "Lưu", "&Save": "&Lưu", "Save All": "Lưu tất cả",
    "Open": "Mở", "&Open": "&Mở", "Apply": "Áp dụng", "Reset": "Đặt lại", "Help": "Trợ giúp",
    "Abort": "Hủy bỏ", "Retry": "Thử lại", "Ignore": "Bỏ qua", "Discard": "Bỏ đi", "Don't Save": "Không lưu",
    "Close without Saving": "Đóng mà không lưu", "Restore Defaults": "Khôi phục mặc định",
}

WORDS: dict[str, dict[str, str]] = {
    "QPlatformTheme": _BUTTONS,
    "QDialogButtonBox": _BUTTONS,
    "QMessageBox": {
        **_BUTTONS, "Show Details...": "Xem chi tiết…", "Hide Details...": "Ẩn chi tiết…",
    },
    "QFileDialog": {
        "&Choose": "&Chọn", "&Open": "&Mở", "&Save": "&Lưu", "Cancel": "Hủy", "&Delete": "&Xóa",
        "&Rename": "Đổi &tên", "&New Folder": "Thư mục &mới", "Create New Folder": "Tạo thư mục mới",
        "Create a New Folder": "Tạo một thư mục mới", "New Folder": "Thư mục mới",
        "&Look in:": "&Tìm trong:", "Look in:": "Tìm trong:", "File &name:": "&Tên tệp:",
        "Folder &name:": "&Tên thư mục:", "Directory:": "Thư mục:", "Files of &type:": "&Kiểu tệp:",
        "Files of type:": "Kiểu tệp:", "All Files (*)": "Mọi tệp (*)", "Directories": "Thư mục",
        "Directory": "Thư mục", "Files": "Tệp", "File": "Tệp", "File Folder": "Thư mục",
        "Forward": "Tiến", "Back": "Lùi", "Go back": "Quay lại", "Go forward": "Đi tiếp",
        "Parent Directory": "Thư mục cha", "Go to the parent directory": "Lên thư mục cha",
        "List View": "Xem danh sách", "Detail View": "Xem chi tiết",
        "Change to list view mode": "Chuyển sang xem danh sách",
        "Change to detail view mode": "Chuyển sang xem chi tiết",
        "List of places and bookmarks": "Các nơi hay dùng", "Sidebar": "Thanh bên",
        "Show &hidden files": "Hiện tệp ẩ&n", "Show ": "Hiện ", "Open": "Mở", "Save As": "Lưu thành",
        "Find Directory": "Tìm thư mục", "Recent Places": "Nơi mở gần đây", "My Computer": "Máy tính",
        "Are you sure you want to delete '%1'?": "Xóa “%1”?",
        "'%1' is write protected.\nDo you want to delete it anyway?":
            "“%1” đang được bảo vệ không cho ghi.\nVẫn xóa?",
        "Could not delete directory.": "Không xóa được thư mục.",
        "%1 already exists.\nDo you want to replace it?": "“%1” đã có.\nGhi đè lên?",
        "%1\nFile not found.\nPlease verify the correct file name was given.":
            "%1\nKhông thấy tệp.\nHãy kiểm tra lại tên tệp.",
        "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
            "%1\nKhông thấy thư mục.\nHãy kiểm tra lại tên thư mục.",
        "Unknown": "Không rõ", "Drive": "Ổ đĩa",
    },
    "QFileSystemModel": {
        "Name": "Tên", "Size": "Kích thước", "Type": "Loại", "Date Modified": "Ngày sửa",
        "Kind": "Loại", "Computer": "Máy tính", "My Computer": "Máy tính",
        "Invalid filename": "Tên tệp không hợp lệ",
        "<b>The name \"%1\" cannot be used.</b><p>Try using another name, with fewer characters or no "
        "punctuation marks.": "<b>Không dùng được tên “%1”.</b><p>Hãy đặt tên khác, ngắn hơn hoặc không có dấu câu.",
    },
    "QAbstractFileIconProvider": {"Drive": "Ổ đĩa", "Folder": "Thư mục", "File": "Tệp"},
    "QLineEdit": {
        "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "&Cắt", "&Copy": "&Chép", "&Paste": "&Dán",
        "Delete": "Xóa", "Select All": "Chọn tất cả",
    },
    "QWidgetTextControl": {
        "&Undo": "&Hoàn tác", "&Redo": "&Làm lại", "Cu&t": "&Cắt", "&Copy": "&Chép", "&Paste": "&Dán",
        "Delete": "Xóa", "Select All": "Chọn tất cả", "Copy &Link Location": "Chép địa chỉ &liên kết",
    },
    "QScrollBar": {
        "Scroll here": "Cuộn đến đây", "Top": "Lên đầu", "Bottom": "Xuống cuối", "Page up": "Lên một trang",
        "Page down": "Xuống một trang", "Scroll up": "Cuộn lên", "Scroll down": "Cuộn xuống",
        "Left edge": "Sát trái", "Right edge": "Sát phải", "Page left": "Sang trái một trang",
        "Page right": "Sang phải một trang", "Scroll left": "Cuộn sang trái", "Scroll right": "Cuộn sang phải",
    },
    "QTabBar": {"Scroll Left": "Cuộn sang trái", "Scroll Right": "Cuộn sang phải"},
    "QDockWidget": {"Float": "Tách ra", "Close": "Đóng"},
    "QDockWidgetTitleButton": {"Float": "Tách ra", "Close": "Đóng"},
}


class VietnameseQt(QTranslator):
    def translate(self, context, source, disambiguation=None, n=-1):  # noqa: ARG002 (Qt's signature)
        # None (a null string) = not ours: Qt asks the next translator or keeps its text; an empty
        # string would be taken as the translation and blank the button
        return WORDS.get(context, {}).get(source)

    def isEmpty(self) -> bool:
        return False


_installed: list[VietnameseQt] = []  # the Python object must outlive every tr() Qt sends it


def install(app: QCoreApplication) -> VietnameseQt:
    if not _installed:
        _installed.append(VietnameseQt(app))
        app.installTranslator(_installed[0])
    return _installed[0]
