"""What the window accepts can always be exported and exchanged (issue 8, part B): one set of
limits (cchc_desktop.core.limits), checked where the clerk types and in the exchange file alike."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from cchc_desktop.formats import exchange

from cchc_desktop.core import limits
from cchc_desktop.formats.exchange import ExchangeError, dump_exchange, parse_exchange_bytes, read_exchange_file
from cchc_desktop.core.limits import LINE, MAX_LIST_LINES, NARRATIVE, NOTE, VALUE, TextError, check_lines, check_text
from cchc_desktop.services.report_io import export_file, report_to_doc
from cchc_desktop.services.sample import sample_doc
from cchc_desktop.services.session import EditError


def exchanged(session, tmp_path) -> dict:
    """export-json and read back, as `cchc-desktop export-json` and `import` do."""
    path = tmp_path / "report.json"
    export_file(session.store, session.report_id, path)
    return read_exchange_file(path)


# ---------------------------------------------------------------- lengths and list lines

@pytest.mark.parametrize("field, kind, edit, read", [
    ("value", VALUE, lambda s, t: s.set_value("bm4.3", t), lambda d: d["values"]["bm4.3"]),
    ("note", NOTE, lambda s, t: s.set_note("bm1.4", t), lambda d: d["notes"]["bm1.4"]),
    ("narrative", NARRATIVE, lambda s, t: s.set_narrative("II.2", t), lambda d: d["narratives"]["II.2"]),
    ("number", LINE, lambda s, t: s.update_report(header={"number": t}), lambda d: d["report"]["header"]["number"]),
    ("label", LINE, lambda s, t: s.update_report(next_period_label=t), lambda d: d["report"]["next_period_label"]),
])
def test_the_longest_text_the_session_takes_is_exchanged_and_one_more_is_refused(session, tmp_path, field, kind,
                                                                                  edit, read):
    edit(session, "a" * kind.max_chars)
    assert read(exchanged(session, tmp_path)) == "a" * kind.max_chars
    with pytest.raises(EditError) as err:
        edit(session, "b" * (kind.max_chars + 1))
    assert f"{kind.max_chars + 1:,}".replace(",", ".") in str(err.value) and "Hãy rút gọn" in str(err.value)
    assert read(exchanged(session, tmp_path)) == "a" * kind.max_chars  # the refused text changed nothing


@pytest.mark.parametrize("key, name", [("recipients", "Kính gửi"), ("cc", "Nơi nhận")])
def test_fifty_list_lines_are_exchanged_and_fifty_one_refused(session, tmp_path, key, name):
    lines = [f"Nơi số {n}" for n in range(MAX_LIST_LINES)]
    session.update_report(header={key: lines})
    assert exchanged(session, tmp_path)["report"]["header"][key] == lines
    with pytest.raises(EditError) as err:
        session.update_report(header={key: lines + ["một nơi nữa"]})
    assert name in str(err.value) and "51 dòng" in str(err.value) and "50" in str(err.value)
    assert session.report["header"][key] == lines


def test_a_bad_line_names_the_list_and_the_line(session):
    with pytest.raises(EditError) as err:
        session.update_report(header={"cc": ["Lưu: VT", "Sở\x01Nội vụ"]})
    assert "Nơi nhận, dòng 2" in str(err.value)


def test_one_bad_header_field_saves_none_of_the_others(session):
    before = session.store.get_report(session.report_id)
    with pytest.raises(EditError):
        session.update_report(window_start="2023-01-01", header={"number": "99", "signer_name": "A\ud800"})
    assert session.store.get_report(session.report_id) == before


# ---------------------------------------------------------------- the property

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40), st.sampled_from(["value", "note", "narrative", "number", "cc"]))
def test_whatever_the_session_accepts_the_exchange_file_carries(session, tmp_path, text, field):
    edit = {
        "value": lambda: session.set_value("bm4.3", text),
        "note": lambda: session.set_note("bm1.4", text),
        "narrative": lambda: session.set_narrative("II.2", text),
        "number": lambda: session.update_report(header={"number": text}),
        "cc": lambda: session.update_report(header={"cc": [text]}),
    }[field]
    try:
        edit()
    except EditError as exc:
        assert "Hãy" in str(exc)
        return
    doc = report_to_doc(session.store, session.report_id)
    assert parse_exchange_bytes(dump_exchange(doc)) == parse_exchange_bytes(dump_exchange(doc))


# ---------------------------------------------------------------- the limits module itself

def test_exchange_uses_the_same_limits():
    assert exchange.MAX_LIST is limits.MAX_LIST_LINES and exchange.MAX_ENTRIES is limits.MAX_ENTRIES
    doc = sample_doc()
    doc["notes"]["bm1.4"] = "x" * (NOTE.max_chars + 1)
    with pytest.raises(ExchangeError, match="notes › bm1.4"):
        dump_exchange(doc)
    doc["notes"]["bm1.4"] = "x" * NOTE.max_chars
    doc["report"]["header"]["cc"] = ["x"] * (MAX_LIST_LINES + 1)
    with pytest.raises(ExchangeError, match="51 dòng"):
        dump_exchange(doc)


def test_the_message_names_the_character_and_where_it_is():
    with pytest.raises(TextError) as err:
        check_text("Tiếp nhận\x01 hồ sơ", NOTE, "Ghi chú ở Biểu mẫu 1, dòng 1.4")
    assert str(err.value) == (
        "Ghi chú ở Biểu mẫu 1, dòng 1.4 có một ký tự điều khiển không in được (U+0001) ở vị trí thứ 10, ngay sau "
        "“Tiếp nhận”, thường do dán từ chương trình khác. Hãy xóa ký tự đó (nó không nhìn thấy được: xóa rồi gõ "
        "lại chữ ở vị trí này).")
    with pytest.raises(TextError, match="ký tự hỏng \\(U\\+D800"):
        check_text("\ud800", LINE, "Số")


def test_check_text_normalises_nfc_and_newlines():
    assert check_text("Be\u0301\r\nhai\rba\tbốn", NOTE, "x") == "Bé\nhai\nba\tbốn"


def test_check_lines_names_each_line():
    assert check_lines(["a", "b"], "Kính gửi") == ["a", "b"]
    with pytest.raises(TextError, match="Kính gửi, dòng 2"):
        check_lines(["a", "\x00"], "Kính gửi")


@given(st.text())
def test_accepted_text_has_no_refused_character(text):
    try:
        out = check_text(text, NARRATIVE, "x")
    except TextError as exc:
        assert exc.message.startswith("x ")
    else:
        assert not limits.REFUSED_CHAR.search(out) and "\r" not in out
        out.encode("utf-8")


@given(st.text())
def test_printable_text_can_be_written_to_xlsx_and_docx(text):
    out = limits.printable(text)
    assert not ILLEGAL_CHARACTERS_RE.search(out) and not limits.REFUSED_CHAR.search(out) and "\r" not in out
    out.encode("utf-8")
    assert limits.printable(out) == out
