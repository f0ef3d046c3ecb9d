"""The forms catalog: indicators, rules and the narrative outline, loaded from TOML data.

The loader checks the catalog itself, because a province edits these files by hand: a typo
must stop the program with a message that names the file and the row, not surface later as
a wrong total in a printed report.

Beside a catalog file `<name>.toml` may sit its side files, which cite its rows and so belong to
its version: `<name>.drafts.toml`, the drafted sentences of "Soạn đoạn mẫu" (`Catalog.drafts`),
and `<name>.sample.toml`, the prose and unit of the built-in sample report (`Catalog.sample`).
They are loaded and checked with the catalog, against it; a catalog without them has no
drafts, no sample.
"""

from __future__ import annotations

import dataclasses
import io
import os
import pickle
import re
import string
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

try:  # hashlib would load OpenSSL's libcrypto (~7 ms, 3.5 MiB at every start) for a cache key
    from _blake2 import blake2b as _digest
except ImportError:  # an interpreter without the built-in module
    from hashlib import blake2b as _digest

from cchc_desktop.errors import CchcError
from cchc_desktop.core import ids, limits
from cchc_desktop.system.shipped import package_folder
from cchc_desktop.core.expressions import Comparison, ExpressionError, Ratio, parse_comparison, parse_ratio
from cchc_desktop.core.vocabulary import SEVERITY_WORDS

BUILTIN_DIR = package_folder("catalogs")
ENV_CATALOG_DIRS = "CCHC_CATALOG_DIRS"
DEFAULT_CATALOG_ID = "xa"

KINDS = ("heading", "count", "money", "flag", "choice", "percent")
INPUT_KINDS = ("count", "money", "flag", "choice")
NUMERIC_KINDS = ("count", "money", "percent")
# What a report copied from the previous period starts with on a row (an input row's `carry`):
# "stock" — the figure as it was (what exists at the end of a period: procedures, staff, units,
# a yes/no that describes the commune); "flow" (also: no `carry`) — blank (what is counted
# "trong kỳ": files received, documents issued); or another input row's id, "bm3.3.3" — the
# previous period's value of that row ("Số hồ sơ kỳ trước chuyển sang" is the previous
# period's "Số hồ sơ đang giải quyết"). core.carry applies it.
CARRY_STOCK, CARRY_FLOW = "stock", "flow"
CARRY_WORDS = (CARRY_STOCK, CARRY_FLOW)
# the letter a [[rules]] entry gives its severity in, and the severity (vocabulary.SEVERITIES) it means
SEVERITY_CODES = {"E": "error", "W": "warning"}
SIDE_FILES = {"drafts": "đoạn mẫu", "sample": "báo cáo mẫu"}  # `<name>.<kind>.toml`: how a message names it
_MESSAGE_FIELDS = {"left", "right"}
# A rule's message names its rows by id, never by a number typed by hand, so that it cannot drift
# from the rows when a form is renumbered: "{stt:bm3.3.1}" prints the row's STT ("3.1"), for a
# row of the rule's own form; "{row:bm4.2.2}" prints "Biểu mẫu 4, dòng 2.2" (Indicator.row_name).
# The loader expands them; a row number written by hand after "dòng" (or after "+", "đến", ","
# following such a placeholder) is refused.
MESSAGE_ROW = re.compile(rf"\{{(stt|row):({ids.INDICATOR_ID_PATTERN})\}}")
_HAND_ROW = re.compile(r"(?:\bdòng|\x00\s*(?:\+|đến|và|hoặc|,|-|–))\s*\d")
MESSAGE_ROW_HELP = ("ghi số dòng bằng mã chỉ tiêu để số in ra luôn đúng với biểu mẫu: {stt:bm3.3.1} in STT "
                    "“3.1” của một dòng cùng biểu mẫu với quy tắc, {row:bm4.2.2} in “Biểu mẫu 4, dòng 2.2”")


class CatalogError(CchcError):
    """The catalog file is wrong, or a wanted catalog version is not installed. `path`: the
    file at fault, when there is one."""

    def __init__(self, message: str, path: Path | None = None):
        super().__init__(message)
        self.path = path


@dataclass(frozen=True)
class Indicator:
    """One row of a Biểu mẫu: what the clerk types, or what is computed from other rows."""

    id: str
    form: int
    stt: str  # the printed STT, within its form: ids.split_indicator_id ("3.2.1" for bm3.3.2.1)
    label: str
    unit: str
    kind: str
    codes: dict[int, str] | None = None
    formula: Ratio | None = None
    sample: str | None = None
    carry: str = CARRY_FLOW  # CARRY_STOCK, CARRY_FLOW or the id of the row it takes over

    @property
    def carry_source(self) -> str | None:
        """The row whose previous value this row starts with (`carry = "bm3.3.3"`), or None."""
        return None if self.carry in CARRY_WORDS else self.carry

    @property
    def is_input(self) -> bool:
        return self.kind in INPUT_KINDS

    @property
    def row_name(self) -> str:
        """"Biểu mẫu 3, dòng 3.2.1" (bm3.3.2.1): the row named for a clerk, in messages."""
        return f"Biểu mẫu {self.form}, dòng {self.stt}"

    @property
    def is_derived(self) -> bool:
        return self.kind == "percent"

    @property
    def depth(self) -> int:
        """1 for a row of the form's first level ("3" in its Biểu mẫu), 2 for "3.1" … — the
        indentation of the row on paper (and level 1 is printed bold)."""
        return self.stt.count(".") + 1


@dataclass(frozen=True)
class Rule:
    """A check between rows (catalog `[[rules]]`), with the Vietnamese message it shows."""

    id: str
    severity: str  # "error" | "warning"
    check: Comparison
    message: str
    when: Comparison | None = None
    blanks: str = "skip"  # "skip": skipped while an operand is blank; "zero": blank counts as 0
    type: str = "compare"  # "compare" | "note" (when `check` holds, the first id needs a Ghi chú)

    @cached_property
    def ids(self) -> tuple[str, ...]:
        ids = list(self.check.ids)
        for i in self.when.ids if self.when else ():
            if i not in ids:
                ids.append(i)
        return tuple(ids)


@dataclass(frozen=True)
class Section:
    """A heading of the narrative outline (I, 1, 1.1 …) and where it sits in it."""

    id: str
    title: str
    number: str = ""
    parent: str | None = None
    children: tuple[str, ...] = ()

    @property
    def holds_text(self) -> bool:
        return not self.children


@dataclass(frozen=True)
class Form:
    """A Biểu mẫu: its number, title, outline section and rows in order."""

    number: int
    title: str
    section: str
    indicators: tuple[str, ...]

    @property
    def code(self) -> str:
        return f"bm{self.number}"


@dataclass(frozen=True)
class Tab:
    """A tab of the window: the narrative sections and forms it shows."""

    id: str
    title: str
    sections: tuple[str, ...] = ()
    forms: tuple[int, ...] = ()


@dataclass(frozen=True)
class DraftClause:
    """A drafted sentence for "Soạn đoạn mẫu"."""

    text: str  # with {bm…} placeholders; included only when every one of them has a value

    def ids(self) -> list[str]:
        return ids.PLACEHOLDER.findall(self.text)


@dataclass(frozen=True)
class DraftParagraph:
    """`lead` + the clauses that apply, joined by `sep`, + `tail`. Without its lead figures
    (the ids in `lead`), or without any clause when the lead has no figure, it is dropped."""

    lead: str
    clauses: tuple[DraftClause, ...] = ()
    sep: str = "; "
    tail: str = "."
    open: str = " (trong đó: "
    close: str = ")"


@dataclass(frozen=True)
class Sample:
    """The built-in sample report's words (its figures are the catalog's `sample` column)."""

    unit: dict
    report: dict
    narratives: dict[str, str]


@dataclass(frozen=True, eq=False)  # identity: one object per loaded version, usable as a cache key
class Catalog:
    """One version of a set of forms (built in, or a province's), as loaded and checked."""

    id: str
    version: str
    title: str
    appendix_title: str
    indicators: dict[str, Indicator]
    rules: tuple[Rule, ...]
    sections: dict[str, Section]
    forms: dict[int, Form]
    tabs: tuple[Tab, ...]
    derived_order: tuple[str, ...]  # derived ids, each after every derived id it uses
    drafts: dict[str, tuple[DraftParagraph, ...]] = field(default_factory=dict)  # by section; {}: no drafts file
    sample: Sample | None = None  # None: no sample file
    # a province's own forms say whose they are, the Kính gửi a new report starts with, and the
    # days of the period's last month its reports are due when earlier than the Ministry's 20th
    # (tuples, not a dict: a cached catalog made before these fields reads them as empty)
    province: str = ""
    recipients: tuple[str, ...] = ()
    deadline_days: tuple[tuple[str, int], ...] = ()  # (period code, day)
    path: Path | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    def deadline_day(self, period: str) -> int | None:
        """The day of the period's last month the province wants its reports by; None: the 20th."""
        return dict(self.deadline_days).get(period)

    def inputs(self) -> list[Indicator]:
        return [i for i in self.indicators.values() if i.is_input]

    @cached_property
    def input_ids(self) -> frozenset[str]:
        """The rows that are typed: the only ones a report (and its exchange file) holds values for."""
        return frozenset(i.id for i in self.inputs())

    @cached_property
    def text_section_ids(self) -> frozenset[str]:
        """The sections of the outline that hold text (not headings only)."""
        return frozenset(sid for sid, section in self.sections.items() if section.holds_text)

    def indicator(self, ident: str) -> Indicator:
        try:
            return self.indicators[ident]
        except KeyError:
            raise CatalogError(f"Bộ biểu mẫu {self.version} không có chỉ tiêu “{ident}”.") from None

    def row_name(self, ident: str) -> str:
        """How a clerk finds a row: "Biểu mẫu 3, dòng 3.1" (bm3.3.1: the STT within its form)."""
        return self.indicators[ident].row_name


# ------------------------------------------------------------------------------- loading
DEADLINE_PREFIX = "deadline_"  # [catalog] deadline_nam = 10: Năm reports due on 10/12


def side_file(path: Path, kind: str) -> Path:
    """`xa-2025.1.drafts.toml` for `xa-2025.1.toml`."""
    return path.with_name(f"{path.stem}.{kind}.toml")


def side_kind(path: Path) -> str | None:
    """"drafts" for `xa-2025.1.drafts.toml`; None for a catalog file."""
    return next((k for k in SIDE_FILES if path.name.endswith(f".{k}.toml")), None)


def _read_toml(path: Path, what: str) -> dict:
    # imported here: a start with the compiled catalog cached parses no TOML at all
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"Không đọc được tệp {what} {path}: {exc}", path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"Tệp {what} {path} sai cú pháp TOML: {exc}", path) from exc
    except RecursionError:
        # tomllib recurses once per nested array or inline table: a file nested thousands deep
        # is not a catalog, and must not take the program down with it
        raise CatalogError(f"Tệp {what} {path} có các ngoặc [ ] hoặc {{ }} lồng nhau quá sâu nên không phải "
                           f"tệp {what} hợp lệ. Hãy dùng lại tệp gốc của tỉnh.", path) from None


def load_catalog(path: str | Path) -> Catalog:
    path = Path(path)
    cat = _Builder(path, _read_toml(path, "bộ biểu mẫu")).build()
    found = {}
    for kind, what in SIDE_FILES.items():
        side = side_file(path, kind)
        if side.exists():
            found[kind] = _SideBuilder(side, _read_toml(side, what), what, cat).build(kind)
    return dataclasses.replace(cat, **found) if found else cat


class _Builder:
    def __init__(self, path: Path, raw: dict):
        self.path = path
        self.raw = raw

    def fail(self, what: str) -> CatalogError:
        return CatalogError(f"Tệp bộ biểu mẫu {self.path.name}: {what}", self.path)

    def table_list(self, key: str) -> list[dict]:
        rows = self.raw.get(key, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise self.fail(f"“{key}” phải là một danh sách bảng [[{key}]].")
        if len(rows) > limits.MAX_ENTRIES:  # a report holds as many, and the exchange file no more
            raise self.fail(f"có {len(rows)} [[{key}]], nhiều hơn giới hạn {limits.MAX_ENTRIES}.")
        return rows

    def text(self, row: dict, key: str, where: str, required: bool = True) -> str:
        val = row.get(key, "")
        if not isinstance(val, str) or (required and not val.strip()):
            raise self.fail(f"{where}: thiếu hoặc sai trường “{key}” (cần một chuỗi văn bản).")
        try:  # TOML escapes ("\u0001") can put into a label what no report file may hold
            return limits.check_text(val, limits.LINE, f"{where}: trường “{key}”")
        except limits.TextError as exc:
            raise self.fail(exc.message) from None

    def id_list(self, row: dict, key: str, where: str, kind: type) -> tuple:
        items = row.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, kind) and not isinstance(i, bool) for i in items):
            example = '["II.1", "II.2"]' if kind is str else "[1, 2]"
            raise self.fail(f"{where}: “{key}” phải là một danh sách, ví dụ {key} = {example}.")
        return tuple(items)

    def build(self) -> Catalog:
        meta = self.raw.get("catalog")
        if not isinstance(meta, dict):
            raise self.fail("thiếu bảng [catalog] (id, version, title).")
        cid = self.text(meta, "id", "[catalog]")
        version = self.text(meta, "version", "[catalog]")
        if not re.fullmatch(r"[0-9]+(\.[0-9]+)*", version):
            raise self.fail(f"phiên bản “{version}” phải gồm các số cách nhau bởi dấu chấm, ví dụ 2025.1.")
        sections = self.sections()
        indicators = self.indicators()
        forms = self.forms(indicators, sections)
        rules = self.rules(indicators)
        tabs = self.tabs(sections, forms)
        return Catalog(
            id=cid,
            version=version,
            title=self.text(meta, "title", "[catalog]"),
            appendix_title=self.text(meta, "appendix_title", "[catalog]", required=False) or meta["title"].upper(),
            indicators=indicators,
            rules=rules,
            sections=sections,
            forms=forms,
            tabs=tabs,
            derived_order=self.derived_order(indicators),
            province=self.text(meta, "province", "[catalog]", required=False),
            recipients=self.lines(meta, "recipients", "[catalog]"),
            deadline_days=self.deadline_days(meta),
            path=self.path,
        )

    def lines(self, row: dict, key: str, where: str) -> tuple[str, ...]:
        items = row.get(key, [])
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise self.fail(f'{where}: “{key}” phải là một danh sách các dòng, ví dụ {key} = ["Sở Nội vụ tỉnh …"].')
        try:
            return tuple(line for line in limits.check_lines(items, f"{where}: “{key}”") if line.strip())
        except limits.TextError as exc:
            raise self.fail(exc.message) from None

    def deadline_days(self, meta: dict) -> tuple[tuple[str, int], ...]:
        """deadline_<period> = day: the province's day of the period's last month (1 to 20)."""
        from cchc_desktop.core.periods import DEADLINE_DAY, PERIODS

        out = []
        for key, day in meta.items():
            if not key.startswith(DEADLINE_PREFIX):
                continue
            code = key[len(DEADLINE_PREFIX):]
            if code not in PERIODS:
                known = ", ".join(DEADLINE_PREFIX + c for c in PERIODS)
                raise self.fail(f"[catalog]: “{key}” không ứng với kỳ báo cáo nào; dùng một trong: {known}.")
            if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= DEADLINE_DAY:
                raise self.fail(f"[catalog]: hạn gửi {PERIODS[code].label} (“{key}”) là {day!r}, phải là một ngày từ 1 "
                                f"đến {DEADLINE_DAY} của tháng cuối kỳ: tỉnh chỉ đặt được hạn sớm hơn hạn của Bộ.")
            out.append((code, day))
        return tuple(out)

    def sections(self) -> dict[str, Section]:
        rows = self.table_list("sections")
        sids = [self.text(r, "id", "[[sections]]") for r in rows]
        self.no_duplicates(sids, "mục")
        out = {}
        for r, sid in zip(rows, sids):
            if not ids.is_section_id(sid):
                raise self.fail(f"mã mục “{sid}” không đúng dạng; mã mục là {ids.SECTION_ID_SHAPE}.")
            parent = sid.rsplit(".", 1)[0] if "." in sid else None
            if parent is not None and parent not in sids:
                raise self.fail(f"mục “{sid}” thuộc mục “{parent}” nhưng không có mục “{parent}”.")
            children = tuple(c for c in sids if "." in c and c.rsplit(".", 1)[0] == sid)
            number = self.text(r, "number", f"mục {sid}", required=False)
            out[sid] = Section(sid, self.text(r, "title", f"mục {sid}"), number, parent, children)
        return out

    def indicators(self) -> dict[str, Indicator]:
        rows = self.table_list("indicators")
        if not rows:
            raise self.fail("không có chỉ tiêu nào ([[indicators]]).")
        iids = [self.text(r, "id", "[[indicators]]") for r in rows]
        self.no_duplicates(iids, "chỉ tiêu")
        out: dict[str, Indicator] = {}
        for r, iid in zip(rows, iids):
            where = f"chỉ tiêu {iid}"
            parts = ids.split_indicator_id(iid)
            if not parts:
                raise self.fail(f"mã chỉ tiêu “{iid}” không đúng dạng; mã chỉ tiêu gồm {ids.INDICATOR_ID_SHAPE}.")
            kind = r.get("kind")
            if kind not in KINDS:
                raise self.fail(f"{where}: loại “{kind}” không có; chỉ dùng {', '.join(KINDS)}.")
            codes = None
            if kind in ("flag", "choice"):
                codes = self.codes(r, where, kind)
            formula = None
            if kind == "percent":
                try:
                    formula = parse_ratio(self.text(r, "formula", where))
                except ExpressionError as exc:
                    raise self.fail(f"{where}: công thức sai — {exc}.") from None
            elif "formula" in r:
                raise self.fail(f"{where}: chỉ dòng loại percent mới có công thức.")
            sample = r.get("sample")
            if sample is not None and not isinstance(sample, str):
                raise self.fail(f"{where}: “sample” phải là chuỗi văn bản, ví dụ \"1.962\".")
            carry = self.carry(r, iid, kind)
            out[iid] = Indicator(
                id=iid,
                form=parts[0],
                stt=parts[1],
                label=self.text(r, "label", where),
                unit=self.text(r, "unit", where, required=False),
                kind=kind,
                codes=codes,
                formula=formula,
                sample=sample,
                carry=carry,
            )
        for ind in out.values():
            for ref in ind.formula.ids if ind.formula else ():
                self.numeric_ref(out, ref, f"công thức của chỉ tiêu {ind.id}")
            if ind.carry_source is not None:
                self.carry_source(out, ind)
        return out

    CARRY_HELP = ("carry = \"stock\" (chép nguyên số kỳ trước), carry = \"flow\" (để trống, nhập số phát sinh "
                  "trong kỳ) hoặc mã dòng lấy số kỳ trước, ví dụ carry = \"bm3.3.3\"")

    def carry(self, row: dict, iid: str, kind: str) -> str:
        """An input row's `carry`; its source row is checked once every row is known. Messages
        quote the row's id (and only it), so the province kit can point at its sheet row."""
        if "carry" not in row:
            return CARRY_FLOW
        carry, where = row["carry"], f"chỉ tiêu “{iid}”"
        if kind == "heading":
            raise self.fail(f"{where} là dòng tiêu đề, không có số liệu nên không khai báo “carry”; hãy bỏ dòng carry.")
        if kind not in INPUT_KINDS:
            raise self.fail(f"{where}: dòng loại {kind} là số tự tính nên không khai báo “carry” (kỳ sau chương "
                            f"trình tự tính lại từ các dòng của nó); hãy bỏ dòng carry.")
        if not isinstance(carry, str) or not (carry in CARRY_WORDS or ids.is_indicator_id(carry)):
            shown = carry if isinstance(carry, str) else repr(carry)
            raise self.fail(f"{where}: carry “{shown}” không có; chỉ dùng {self.CARRY_HELP}.")
        return carry

    def carry_source(self, indicators: dict[str, Indicator], ind: Indicator) -> None:
        where, src_id = f"chỉ tiêu “{ind.id}”: carry = {ind.carry}", ind.carry
        src = indicators.get(src_id)
        if src is None:
            raise self.fail(f"{where} lấy số kỳ trước của chỉ tiêu {src_id}, nhưng bộ biểu mẫu không có chỉ tiêu này.")
        if src.id == ind.id:
            raise self.fail(f"{where} lấy số của chính nó; để chép nguyên số kỳ trước hãy ghi carry = \"stock\".")
        if not src.is_input:
            what = "dòng tiêu đề, không có số liệu" if src.kind == "heading" else "tỷ lệ tự tính, không phải số nhập"
            raise self.fail(f"{where}: {src_id} là {what}; carry chỉ lấy số của một dòng nhập số liệu.")
        if src.kind != ind.kind or src.codes != ind.codes:
            diff = "bảng mã" if src.kind == ind.kind else "loại"
            raise self.fail(f"{where}: {src_id} (loại {src.kind}) khác {diff} với dòng này (loại {ind.kind}), "
                            f"nên số của nó không chuyển sang dòng này được.")

    def codes(self, row: dict, where: str, kind: str) -> dict[int, str]:
        codes = row.get("codes")
        if not isinstance(codes, dict) or not codes:
            raise self.fail(f"{where}: loại {kind} cần bảng mã, ví dụ codes = {{ \"1\" = \"Có\", \"0\" = \"Không\" }}.")
        out = {}
        for k, v in codes.items():
            if not (isinstance(k, str) and k.isdigit() and isinstance(v, str) and v.strip()):
                raise self.fail(f"{where}: mã “{k}” phải là chữ số và có nhãn.")
            out[int(k)] = v
        if kind == "flag" and set(out) != {0, 1}:
            raise self.fail(f"{where}: loại flag chỉ có hai mã 1 và 0.")
        return out

    def numeric_ref(self, indicators: dict[str, Indicator], ref: str, where: str) -> None:
        if ref not in indicators:
            raise self.fail(f"{where} dùng chỉ tiêu “{ref}” không có trong bộ biểu mẫu.")
        if indicators[ref].kind == "heading":
            raise self.fail(f"{where} dùng “{ref}” là dòng tiêu đề, không có số liệu.")

    def forms(self, indicators: dict[str, Indicator], sections: dict[str, Section]) -> dict[int, Form]:
        out = {}
        for r in self.table_list("forms"):
            num = r.get("number")
            if not isinstance(num, int) or isinstance(num, bool):
                raise self.fail("mỗi [[forms]] cần “number” là số nguyên.")
            if num in out:
                raise self.fail(f"Biểu mẫu {num} khai báo hai lần.")
            sec = self.text(r, "section", f"Biểu mẫu {num}")
            if sec not in sections:
                raise self.fail(f"Biểu mẫu {num} gắn với mục “{sec}” không có trong đề cương.")
            rows = tuple(i.id for i in indicators.values() if i.form == num)
            out[num] = Form(num, self.text(r, "title", f"Biểu mẫu {num}"), sec, rows)
        for ind in indicators.values():
            if ind.form not in out:
                raise self.fail(f"chỉ tiêu {ind.id} thuộc Biểu mẫu {ind.form} nhưng không có [[forms]] số {ind.form}.")
        return dict(sorted(out.items()))

    def rules(self, indicators: dict[str, Indicator]) -> tuple[Rule, ...]:
        rows = self.table_list("rules")
        rids = [self.text(r, "id", "[[rules]]") for r in rows]
        self.no_duplicates(rids, "quy tắc")
        out = []
        for r, rid in zip(rows, rids):
            where = f"quy tắc {rid}"
            sev = r.get("severity")
            if not isinstance(sev, str) or sev not in SEVERITY_CODES:
                codes = " hoặc ".join(f"{c} ({SEVERITY_WORDS[s].lower()})" for c, s in SEVERITY_CODES.items())
                raise self.fail(f"{where}: mức độ “{sev}” không có; dùng {codes}.")
            try:
                check = parse_comparison(self.text(r, "check", where))
                when = parse_comparison(self.text(r, "when", where)) if r.get("when") else None
            except ExpressionError as exc:
                raise self.fail(f"{where}: {exc}.") from None
            blanks = r.get("blanks", "skip")
            rtype = r.get("type", "compare")
            if not (isinstance(blanks, str) and isinstance(rtype, str)) or blanks not in ("skip", "zero") \
                    or rtype not in ("compare", "note"):
                raise self.fail(f"{where}: blanks chỉ nhận skip/zero, type chỉ nhận compare/note.")
            message = self.message_rows(self.text(r, "message", where), rid, check, indicators)
            try:
                fields = {f for _, f, _, _ in string.Formatter().parse(message) if f is not None}
            except ValueError:
                fields = {"?"}
            if not fields <= _MESSAGE_FIELDS:
                raise self.fail(f"{where}: lời nhắn chỉ được dùng {{left}}, {{right}} (hai vế) và "
                                f"{{stt:mã dòng}}, {{row:mã dòng}} (số dòng), ví dụ {{stt:bm3.3.1}}.")
            if rtype == "note" and not check.left.ids:  # the row that needs the Ghi chú comes first
                raise self.fail(f"{where}: quy tắc loại note phải bắt đầu bằng mã dòng cần ghi chú, "
                                f"ví dụ check = \"bm3.3.7 > 0\".")
            rule = Rule(rid, SEVERITY_CODES[sev], check, message, when, blanks, rtype)
            for ref in rule.ids:
                self.numeric_ref(indicators, ref, where)
            out.append(rule)
        return tuple(out)

    def message_rows(self, message: str, rid: str, check: Comparison, indicators: dict[str, Indicator]) -> str:
        """The message with its {stt:…} and {row:…} written out from the rows' ids (see MESSAGE_ROW)."""
        where = f"quy tắc “{rid}”"
        own = next((indicators[i].form for i in check.ids if i in indicators), None)
        hand = _HAND_ROW.search(MESSAGE_ROW.sub("\x00", message))
        if hand:
            shown = message[max(0, hand.start() - 10):hand.end() + 8].replace("\x00", "…").strip()
            raise self.fail(f"{where}: lời nhắn ghi số dòng bằng tay (“…{shown}…”); hãy {MESSAGE_ROW_HELP}.")

        def expand(m: re.Match) -> str:
            what, ref = m.groups()
            ind = indicators.get(ref)
            if ind is None:
                raise self.fail(f"{where}: lời nhắn ghi {{{what}:{ref}}} nhưng bộ biểu mẫu không có chỉ tiêu “{ref}”.")
            if what == "row":
                return ind.row_name
            if ind.form != own:
                raise self.fail(f"{where}: lời nhắn ghi {{stt:{ref}}}, một dòng của Biểu mẫu {ind.form}, trong quy "
                                f"tắc của Biểu mẫu {own}; STT không nói biểu mẫu nào, hãy viết {{row:{ref}}} "
                                f"(in “{ind.row_name}”).")
            return ind.stt

        return MESSAGE_ROW.sub(expand, message)

    def tabs(self, sections: dict[str, Section], forms: dict[int, Form]) -> tuple[Tab, ...]:
        out = []
        for r in self.table_list("tabs"):
            tid = self.text(r, "id", "[[tabs]]")
            secs = self.id_list(r, "sections", f"thẻ “{tid}”", str)
            nums = self.id_list(r, "forms", f"thẻ “{tid}”", int)
            for s in secs:
                if s not in sections:
                    raise self.fail(f"thẻ “{tid}” có mục “{s}” không có trong đề cương.")
            for n in nums:
                if n not in forms:
                    raise self.fail(f"thẻ “{tid}” có Biểu mẫu {n} không được khai báo.")
            out.append(Tab(tid, self.text(r, "title", f"thẻ {tid}"), secs, nums))
        self.no_duplicates([t.id for t in out], "thẻ")
        return tuple(out)

    def derived_order(self, indicators: dict[str, Indicator]) -> tuple[str, ...]:
        derived = {i.id: i for i in indicators.values() if i.is_derived}
        order: list[str] = []
        state: dict[str, int] = {}  # 1 = on the current path, 2 = done

        def visit(ident: str, path: list[str]) -> None:
            if state.get(ident) == 2:
                return
            if state.get(ident) == 1:
                cycle = " → ".join(path[path.index(ident):] + [ident])
                raise self.fail(f"các tỷ lệ tính vòng tròn lẫn nhau: {cycle}.")
            state[ident] = 1
            for ref in derived[ident].formula.ids:
                if ref in derived:
                    visit(ref, path + [ident])
            state[ident] = 2
            order.append(ident)

        for ident in derived:
            visit(ident, [])
        return tuple(order)

    def no_duplicates(self, ids: list[str], what: str) -> None:
        seen = set()
        for i in ids:
            if i in seen:
                raise self.fail(f"mã {what} “{i}” bị khai báo hai lần.")
            seen.add(i)


class _SideBuilder:
    """A side file, checked against the catalog it sits beside: a placeholder citing a row that
    version does not have would print "…" in the clerk's report, and text for a section that is
    only a heading would never print at all."""

    KEYS = {"drafts": ("catalog", "drafts"), "sample": ("catalog", "unit", "report", "narratives")}
    PARAGRAPH_KEYS = ("lead", "clauses", "sep", "tail", "open", "close")
    REPORT_KEYS = ("year", "period", "window_start", "window_end")

    def __init__(self, path: Path, raw: dict, what: str, catalog: Catalog):
        self.path, self.raw, self.what, self.catalog = path, raw, what, catalog

    def fail(self, what: str) -> CatalogError:
        return CatalogError(f"Tệp {self.what} {self.path.name}: {what}", self.path)

    @property
    def version(self) -> str:
        return f"bộ biểu mẫu “{self.catalog.id}” phiên bản {self.catalog.version}"

    def build(self, kind: str):
        unknown = [k for k in self.raw if k not in self.KEYS[kind]]
        if unknown:
            known = ", ".join(f"[{k}]" for k in self.KEYS[kind])
            raise self.fail(f"có “{unknown[0]}” không dùng đến; tệp {self.what} chỉ gồm {known}. "
                            f"Hãy sửa lại tên cho đúng.")
        self.check_catalog()
        return self.drafts() if kind == "drafts" else self.sample()

    def check_catalog(self) -> None:
        cat = self.catalog
        meta = self.raw.get("catalog")
        wanted = f"id = \"{cat.id}\", version = \"{cat.version}\""
        if not isinstance(meta, dict):
            raise self.fail(f"thiếu bảng [catalog] ghi bộ biểu mẫu mà tệp này đi kèm; tệp nằm cạnh {cat.path.name} "
                            f"nên cần [catalog] với {wanted}.")
        if (meta.get("id"), meta.get("version")) != cat.key:
            raise self.fail(
                f"[catalog] ghi bộ biểu mẫu “{meta.get('id')}” phiên bản {meta.get('version')}, nhưng tệp nằm cạnh "
                f"{cat.path.name} là {self.version}. Tệp {self.what} chỉ dùng được với phiên bản nó được viết "
                f"cho: đặt nó cạnh tệp bộ biểu mẫu của nó, hoặc — nếu mọi chỉ tiêu nó dùng vẫn đúng với phiên "
                f"bản này — sửa [catalog] thành {wanted}.")

    def section(self, sid, where: str) -> None:
        sec = self.catalog.sections.get(sid)
        if sec is None:
            raise self.fail(f"{where}: mục “{sid}” không có trong đề cương của {self.version}.")
        if not sec.holds_text:
            raise self.fail(f"{where}: mục “{sid}” chỉ là tiêu đề của các mục {', '.join(sec.children)}, không chứa "
                            f"lời văn; hãy đặt nội dung này vào một trong các mục đó.")

    def text(self, val, where: str, kind: limits.TextKind, required: bool = True) -> str:
        if not isinstance(val, str) or (required and not val.strip()):
            raise self.fail(f"{where}: cần một chuỗi văn bản.")
        try:
            text = limits.check_text(val, kind, where)
        except limits.TextError as exc:
            raise self.fail(exc.message) from None
        for ref in ids.PLACEHOLDER.findall(text):
            ind = self.catalog.indicators.get(ref)
            if ind is None:
                raise self.fail(f"{where} dùng chỉ tiêu “{ref}” không có trong {self.version}. Hãy sửa mã cho "
                                f"đúng một dòng của bộ biểu mẫu này, hoặc bỏ chỗ {{{ref}}}.")
            if ind.kind == "heading":
                raise self.fail(f"{where} dùng “{ref}” là dòng tiêu đề, không có số liệu.")
        return text

    def drafts(self) -> dict[str, tuple[DraftParagraph, ...]]:
        sections = self.raw.get("drafts", {})
        if not isinstance(sections, dict) or not all(isinstance(v, list) for v in sections.values()):
            raise self.fail("đoạn mẫu của mỗi mục là các bảng [[drafts.\"II.2\"]], mỗi bảng một đoạn.")
        out = {}
        for sid, rows in sections.items():
            self.section(sid, f"mục “{sid}”")
            if len(rows) > limits.MAX_ENTRIES:
                raise self.fail(f"mục “{sid}” có {len(rows)} đoạn, nhiều hơn giới hạn {limits.MAX_ENTRIES}.")
            paragraphs = []
            for n, row in enumerate(rows, 1):
                where = f"mục “{sid}”, đoạn {n}"
                if not isinstance(row, dict):
                    raise self.fail(f"{where}: mỗi đoạn là một bảng [[drafts.\"{sid}\"]].")
                unknown = [k for k in row if k not in self.PARAGRAPH_KEYS]
                if unknown:
                    raise self.fail(f"{where}: có trường “{unknown[0]}” không dùng đến; một đoạn chỉ có "
                                    f"{', '.join(self.PARAGRAPH_KEYS)}.")
                clauses = row.get("clauses", [])
                if not isinstance(clauses, list):
                    raise self.fail(f"{where}: “clauses” phải là một danh sách, ví dụ clauses = [\"…\", \"…\"].")
                defaults = DraftParagraph("")
                paragraphs.append(DraftParagraph(
                    lead=self.text(row.get("lead"), f"{where}, “lead”", limits.LINE),
                    clauses=tuple(DraftClause(self.text(c, f"{where}, vế {k}", limits.LINE))
                                  for k, c in enumerate(clauses, 1)),
                    **{k: self.text(row.get(k, getattr(defaults, k)), f"{where}, “{k}”", limits.LINE, required=False)
                       for k in ("sep", "tail", "open", "close")},
                ))
            out[sid] = tuple(paragraphs)
        return out

    def sample(self) -> Sample:
        unit, report, narratives = (self.raw.get(k) for k in ("unit", "report", "narratives"))
        for key, table in (("unit", unit), ("report", report), ("narratives", narratives)):
            if not isinstance(table, dict):
                raise self.fail(f"thiếu bảng [{key}].")
        missing = [k for k in self.REPORT_KEYS if k not in report]
        if missing:
            raise self.fail(f"bảng [report] thiếu “{missing[0]}”; cần {', '.join(self.REPORT_KEYS)}.")
        texts = {}
        for sid, text in narratives.items():
            where = f"[narratives] mục “{sid}”"
            self.section(sid, where)
            texts[sid] = self.text(text, where, limits.NARRATIVE, required=False)
        return Sample(unit, report, texts)


# ------------------------------------------------------------------------ compiled cache
class CompiledCache:
    """Catalogs kept compiled between runs, so that a start does not parse and check the TOML
    again (~20 ms of the window's start, measured). One pickle per catalog file, named by its
    path, holding the key it was made for: the file's bytes, its side files' bytes (or that
    there is none) and this program's catalog code (`_code_fingerprint`), so an edited, added
    or removed province file or a new program version is parsed afresh. The cache is never trusted: it is read with an unpickler that builds only catalog
    classes, and anything wrong with it — missing, foreign, truncated, garbled, from another
    key — means the file is parsed as without a cache. Writing is best effort (a read-only
    stick just has no cache). Only files that load are cached; a broken one is parsed, and
    reported in `CatalogRegistry.problems`, every time."""

    SUFFIX = ".catalog-cache"

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def load(self, path: Path) -> Catalog:
        h = _digest(_code_fingerprint())
        try:
            h.update(_digest(path.read_bytes()).digest())
            for kind in SIDE_FILES:
                side = side_file(path, kind)
                h.update(_digest(side.read_bytes()).digest() if side.exists() else b"-")
        except OSError:
            return load_catalog(path)  # says what is wrong with the file
        key = h.hexdigest()
        entry = self.folder / (_digest(str(path.resolve()).encode("utf-8")).hexdigest()[:32] + self.SUFFIX)
        cat = self._read(entry, key)
        if cat is None:
            cat = load_catalog(path)
            self._write(entry, key, cat)
        return dataclasses.replace(cat, path=path)

    @staticmethod
    def _read(entry: Path, key: str) -> Catalog | None:
        try:
            stored_key, cat = _CatalogUnpickler(io.BytesIO(entry.read_bytes())).load()
        except Exception:  # noqa: BLE001 - whatever a damaged or foreign file raises: parse instead
            return None
        return cat if stored_key == key and isinstance(cat, Catalog) else None

    def _write(self, entry: Path, key: str, cat: Catalog) -> None:
        tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(pickle.dumps((key, dataclasses.replace(cat, path=None)), protocol=pickle.HIGHEST_PROTOCOL))
            os.replace(tmp, entry)  # whole or not at all: a reader never sees half a file
        except (OSError, pickle.PicklingError):
            try:
                tmp.unlink()
            except OSError:
                pass


class _CatalogUnpickler(pickle.Unpickler):
    """Builds the catalog's own classes and nothing else: a cache file is data, never code."""

    def find_class(self, module: str, name: str):
        allowed = {__name__: {c.__name__ for c in (Catalog, Indicator, Rule, Section, Form, Tab, DraftParagraph,
                                                   DraftClause, Sample)},
                   "cchc_desktop.core.expressions": {"Linear", "Comparison", "Ratio"}}
        if name in allowed.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"not a catalog class: {module}.{name}")


def _code_fingerprint() -> bytes:
    """What the compiled form depends on besides the file: the code that checks and builds it
    (from source), or the program itself (a frozen build has no source files to hash)."""
    from cchc_desktop import __version__
    from cchc_desktop.core import expressions

    h = _digest(__version__.encode("utf-8"))
    for module in (sys.modules[__name__], expressions, ids, limits):
        try:
            h.update(Path(module.__file__).read_bytes())
        except (OSError, TypeError):
            st = os.stat(sys.executable)
            h.update(f"{sys.executable} {st.st_size} {st.st_mtime_ns}".encode("utf-8"))
    return h.digest()


_compiled_cache: CompiledCache | None = None


def use_compiled_cache(folder: Path | None) -> None:
    """From now on, registries keep their catalogs compiled in `folder` (None: no cache). The
    window turns it on for its data folder; the command line and the tests parse every time."""
    global _compiled_cache
    _compiled_cache = CompiledCache(folder) if folder is not None else None


# ------------------------------------------------------------------------------ registry
def user_catalog_dir() -> Path:
    """Where a province's catalog file goes on a clerk's machine: `catalogs` in the data folder."""
    from cchc_desktop.system.data_dirs import CATALOG_DIRNAME, default_data_dir

    return default_data_dir() / CATALOG_DIRNAME


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


class CatalogRegistry:
    """Every installed catalog version, side by side: the built-in ones plus extra folders
    (a province's files), so a report made with an older version still opens with it.

    A file that cannot be loaded is skipped and kept in `problems`, never raised: one broken
    file in `<data>/catalogs` must not stop the reports made on every other catalog. The
    window and the command line show `problems_message()`."""

    def __init__(self, extra_dirs: list[Path] | None = None):
        self.user_dir = user_catalog_dir()  # where a province's forms are installed (services/catalog_install)
        dirs = [BUILTIN_DIR, self.user_dir]
        env = os.environ.get(ENV_CATALOG_DIRS, "")
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
        dirs += list(extra_dirs or [])
        self.dirs = dirs
        self._cache: dict[tuple[str, str], Catalog] = {}
        self._paths: dict[tuple[str, str], Path] | None = None
        self._problems: list[CatalogError] = []

    def _scan(self) -> dict[tuple[str, str], Path]:
        if self._paths is None:
            found: dict[tuple[str, str], Path] = {}
            loaded = {c.path: c for c in self._cache.values()}  # a rescan keeps the objects reports use
            for d in self.dirs:
                for p in sorted(Path(d).glob("*.toml")) if Path(d).is_dir() else ():
                    kind = side_kind(p)
                    if kind is not None:  # loaded with its catalog; alone, it belongs to nothing
                        owner = p.with_name(p.name.removesuffix(f".{kind}.toml") + ".toml")
                        if not owner.is_file():
                            self._problems.append(CatalogError(
                                f"Tệp {SIDE_FILES[kind]} {p} không có tệp bộ biểu mẫu {owner.name} bên cạnh nên "
                                f"không được dùng. Đặt nó cạnh tệp bộ biểu mẫu mà nó viết cho, cùng tên (ví dụ "
                                f"xa-2026.1.toml và xa-2026.1.{kind}.toml), hoặc xóa nó.", p))
                        continue
                    try:
                        cat = loaded.get(p) or (_compiled_cache.load(p) if _compiled_cache else load_catalog(p))
                    except CatalogError as exc:
                        self._problems.append(exc)
                        continue
                    if cat.key in found and found[cat.key] != p:
                        # the first one found wins: the built-in file, then the data folder's, …
                        self._problems.append(CatalogError(
                            f"Hai tệp cùng khai báo bộ biểu mẫu {cat.id} phiên bản {cat.version}: "
                            f"{found[cat.key]} và {p}; tệp sau bị bỏ qua. Giữ lại một tệp.", p))
                        continue
                    self._cache[cat.key] = cat
                    found[cat.key] = p
            self._paths = found
        return self._paths

    def rescan(self) -> None:
        """Look at the folders again (a catalog was just installed). Loaded catalogs stay the
        same objects: an open report keeps its own."""
        self._paths = None
        self._problems = []

    @property
    def problems(self) -> list[CatalogError]:
        """The catalog files skipped, each a CatalogError with its `path` and Vietnamese message."""
        self._scan()
        return list(self._problems)

    def problems_message(self) -> str:
        """One Vietnamese paragraph for the clerk naming every skipped file, or "" if none."""
        problems = self.problems
        if not problems:
            return ""
        lines = "\n".join(f"- {p}" for p in problems)
        return (f"Các tệp bộ biểu mẫu sau bị bỏ qua vì có lỗi; báo cáo lập theo các bộ biểu mẫu khác vẫn dùng "
                f"bình thường. Hãy sửa hoặc xóa các tệp này (thư mục {user_catalog_dir()}):\n{lines}")

    def versions(self, catalog_id: str = DEFAULT_CATALOG_ID) -> list[str]:
        return sorted((v for c, v in self._scan() if c == catalog_id), key=version_key)

    def get(self, catalog_id: str, version: str) -> Catalog:
        if (catalog_id, version) not in self._scan():
            have = ", ".join(self.versions(catalog_id)) or "không có"
            skipped = ", ".join(str(p.path) for p in self._problems if p.path)
            skipped = f" Có tệp bộ biểu mẫu bị bỏ qua vì lỗi, có thể là tệp cần dùng: {skipped}." if skipped else ""
            raise CatalogError(
                f"Báo cáo này được lập theo bộ biểu mẫu “{catalog_id}” phiên bản {version}, "
                f"nhưng máy này chỉ có phiên bản: {have}. Cài bản CCHC Desktop có phiên bản đó, "
                f"hoặc chép tệp bộ biểu mẫu (.toml) vào thư mục {user_catalog_dir()}.{skipped}"
            )
        return self._cache[(catalog_id, version)]

    def builtin(self) -> list[Catalog]:
        """The catalogs shipped with the program (never a province's file), oldest first."""
        self._scan()
        return sorted((c for c in self._cache.values() if c.path is not None and c.path.parent == BUILTIN_DIR),
                      key=lambda c: (c.id, version_key(c.version)))

    def latest(self, catalog_id: str = DEFAULT_CATALOG_ID) -> Catalog:
        versions = self.versions(catalog_id)
        if not versions:
            raise CatalogError(f"Không tìm thấy bộ biểu mẫu “{catalog_id}” nào.")
        return self.get(catalog_id, versions[-1])
