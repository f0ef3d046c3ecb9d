"""The words the report and the program speak in, each declared once.

The form table on screen, the Word appendix and the Excel sheet are one table printed three
ways; the report list, the exchange file and the command line name the same two states; every
view of an issue names it with the same word. A word that had drifted between two copies (the
command line said "hoàn thành" where the window said "đã hoàn thành") can no longer drift:
everything imports it from here.
"""

from __future__ import annotations

# --- a form as on paper ----------------------------------------------------------------------
FORM_COLUMNS = ("STT", "Chỉ tiêu", "Đơn vị tính", "Số liệu", "Ghi chú")
VALUE_COLUMN = FORM_COLUMNS[3]
NOTE_COLUMN = FORM_COLUMNS[4]
# the real forms' two-level header: "Kết quả thống kê" over Đơn vị tính and Số liệu (the Excel
# appendix prints it; a block copied from there is read by it)
RESULTS_COLUMN = "Kết quả thống kê"

# --- report states: the codes are stored in the data file and the exchange file ---------------
STATUS_LABELS = {"draft": "đang soạn", "complete": "đã hoàn thành"}
STATUSES = tuple(STATUS_LABELS)


def status_label(code: str) -> str:
    """An unknown code (a newer program's file) is shown as it is rather than hidden."""
    return STATUS_LABELS.get(code, code)


# --- issue severities ------------------------------------------------------------------------
# worst first: a cell shows its worst issue, lists and tooltips put it first; "invalid" (text
# that is not a value) and "error" both block completion
SEVERITIES = ("invalid", "error", "warning")
SEVERITY_RANK = {s: n for n, s in enumerate(SEVERITIES)}
# the name of one issue ("Lỗi: …"), a column heading
SEVERITY_WORDS = {"invalid": "Nhập sai", "error": "Lỗi", "warning": "Cảnh báo"}
# what is counted ("3 lỗi · 1 cảnh báo · 2 ô nhập sai"), in the order counts are read: the
# rule problems the clerk is asked about first, then the cells typed wrongly
COUNTED = {"error": "lỗi", "warning": "cảnh báo", "invalid": "ô nhập sai"}


def counts_text(count, sep: str = " · ") -> str:
    """``count(severity) -> int``, e.g. ``ReportState.count``."""
    return sep.join(f"{count(s)} {word}" for s, word in COUNTED.items())


# --- the unit (Thông tin đơn vị): the data file's unit_profile, the exchange file's "unit" ----
# in the order the exchange file writes them; each with the name a message calls it by
UNIT_LABELS = {"kind": "Loại đơn vị", "name": "Tên đơn vị", "code": "Mã đơn vị hành chính",
               "province": "Tỉnh, thành phố", "province_code": "Mã tỉnh, thành phố",
               "parent_agency": "Cơ quan chủ quản", "agency_name": "Tên cơ quan", "place_name": "Địa danh",
               "doc_code": "Ký hiệu văn bản", "signer_name": "Người ký", "signer_title": "Chức vụ người ký",
               "signing_authority": "Thẩm quyền ký", "authority_line": "Dòng thẩm quyền",
               "recipients": "Kính gửi", "cc": "Nơi nhận"}
UNIT_FIELDS = tuple(UNIT_LABELS)
# the official codes of the unit and its province (danh mục đơn vị hành chính, the list in
# core/units_list): kept when the unit was picked from that list, blank for a unit typed freely
UNIT_CODE_FIELDS = ("code", "province_code")
UNIT_LIST_FIELDS = ("recipients", "cc")  # one line each, stored as a JSON list
UNIT_TEXT_FIELDS = tuple(k for k in UNIT_FIELDS if k not in UNIT_LIST_FIELDS)
# the kinds of commune-level unit since the 2025 reorganisation, as stored and as written in
# "Ủy ban nhân dân xã …"; the first is the default. Screens list them in this order and store
# the code, never the position, so the order may change without touching saved profiles.
UNIT_KINDS = ("xã", "phường", "đặc khu")

# --- who signs (Decree 30/2020) ---------------------------------------------------------------
# code -> (authority line, signer title) as printed above the signature: the Chairman signs on
# behalf of the committee (TM.), or a Vice-Chairman in the Chairman's stead (KT.); the first
# is the default
SIGNING_AUTHORITIES = {
    "TM.": ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"),
    "KT.": ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
}
# how the choice is offered on screen, in the same order
AUTHORITY_LABELS = {"TM.": "TM. – Chủ tịch ký thay mặt UBND", "KT.": "KT. – Phó Chủ tịch ký thay Chủ tịch"}
DEFAULT_CC = ("Như trên", "Lưu: VT")  # Nơi nhận of a new unit

# --- dates on Thông tin chung ---------------------------------------------------------------
# A date typed as something that is not a date is kept as typed, under the date's key + "_text",
# until it is corrected (nothing typed is lost); each named as its "không phải là một ngày"
# message names it. The document's date lives in the header, the data window on the report.
DATE_TEXTS = {"date_text": "ngày của văn bản", "window_start_text": "ngày bắt đầu chốt số liệu",
              "window_end_text": "ngày kết thúc chốt số liệu"}

# --- the issuing agency ----------------------------------------------------------------------
# the ký hiệu of a report of a People's Committee (Decree 30/2020, Appendix III)
DEFAULT_DOC_CODE = "BC-UBND"


def doc_number(number: str) -> str:
    """The report's number as printed: below 10 it takes a leading zero ("5" → "05", so
    "Số: 05/BC-UBND"); anything but plain digits is printed as typed. The stored number is
    left as the clerk typed it."""
    number = number.strip()
    return f"{int(number):02d}" if number.isascii() and number.isdigit() and 0 < int(number) < 10 else number


def unit_title(kind: str, name: str) -> str:
    """"Xã Bình Phước", "Đặc khu Côn Đảo": how a unit is named in titles, lists and file names."""
    return f"{kind.strip().capitalize()} {name.strip()}".strip()


def agency_name(kind: str, name: str) -> str:
    """"Ủy ban nhân dân xã Bình Phước"; "Ủy ban nhân dân xã" while the unit has no name yet."""
    return f"Ủy ban nhân dân {kind} {name}".strip()


#: How a line of prose starts a point of the outline, as clerks type it and the documents print
#: it (typed characters, not Word bullets): "- " a point, "+ " a sub-point.
BULLET, SUB_BULLET = "- ", "+ "
BULLETS = (BULLET, SUB_BULLET)
