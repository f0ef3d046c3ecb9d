"""What is printed, decided once for Word and Excel alike: header lines, the trích yếu,
headings, paragraphs with placeholders resolved, the appendix rows with their values.

Both writers read this view, so the Word table and the Excel sheet cannot disagree about a
number, and the layout code holds no report logic.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

from cchc_desktop.core.catalog import Catalog, CatalogRegistry, Section
from cchc_desktop.core.engine import ReportState
from cchc_desktop.core.letters import without_marks
from cchc_desktop.core.narrative import render
from cchc_desktop.core.numbers import PRINTED, format_date_header, format_value
from cchc_desktop.core.periods import get_period
from cchc_desktop.formats.doc_catalog import catalog_for, check_against_catalog, state_of
from cchc_desktop.core.vocabulary import BULLETS, DEFAULT_DOC_CODE, SIGNING_AUTHORITIES, agency_name, doc_number

# room to write by hand at signing, as the brief prints it: "Số:      /BC-UBND",
# "…, ngày      tháng 12 năm 2025" — six spaces each
BLANK_NUMBER = " " * 5  # after "Số: "
BLANK_DAY = " " * 6


@dataclass(frozen=True)
class PrintedParagraph:
    text: str
    bullet: str = ""  # "" (prose), "-" or "+"; text holds the line without the marker


@dataclass(frozen=True)
class Block:
    """A heading of the outline and the clerk's paragraphs under it."""

    level: int  # 1 = "I. CÔNG TÁC …", 2 = "1. Cải cách thể chế"
    heading: str
    paragraphs: tuple[PrintedParagraph, ...]
    forms: tuple[int, ...] = ()  # Biểu mẫu reported under this heading (for references)


def printed_bold(kind: str, depth: int) -> bool:
    """Printed bold, in Word and Excel and the roll-up alike: a group heading and every level-1
    row of a form ("1. Số văn bản chỉ đạo…", "3. Kiểm tra CCHC"), as the real forms set them."""
    return kind == "heading" or depth <= 1


@dataclass(frozen=True)
class Row:
    id: str
    stt: str
    label: str
    unit: str
    kind: str
    depth: int
    value: object  # int | Decimal | None; the code for flags and choices
    text: str  # as printed: "1.962", "1.005,8", "99,05%", "1"; raw text when invalid
    note: str
    invalid: bool
    formula: tuple[tuple[str, ...], tuple[str, ...]] | None  # percent: (numerator ids, denominator ids)

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"

    @property
    def bold(self) -> bool:
        return printed_bold(self.kind, self.depth)


@dataclass(frozen=True)
class PrintedForm:
    number: int
    title: str  # "Biểu mẫu 3. Cải cách thủ tục hành chính (TTHC)"
    rows: tuple[Row, ...]
    name: str = ""  # "Cải cách thủ tục hành chính (TTHC)": the title's second line on the appendix's own tables

    @property
    def label(self) -> str:
        """"Biểu mẫu 3": the form's title line, and its sheet's name in the Excel appendix."""
        return f"Biểu mẫu {self.number}"


def ascii_slug(text: str) -> str:
    """"Xã Bình Phước" -> "XaBinhPhuoc": file names must survive any Windows code page."""
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", without_marks(text)))


def month_text(month: int) -> str:
    # Decree 30: months 1 and 2 are padded ("tháng 01"), the others are not ("tháng 6")
    return f"{month:02d}" if month < 3 else str(month)


class PrintedReport:
    def __init__(self, catalog: Catalog, state: ReportState, doc: dict, *, today: dt.date | None = None):
        self.catalog = catalog
        self.state = state
        self.doc = doc  # the exchange document the appendix carries along (formats.appendix_data)
        self.unit = doc["unit"]
        self.report = doc["report"]
        self.header = doc["report"]["header"]
        self.notes = doc["notes"]
        self.narratives = doc["narratives"]
        self.today = today or dt.date.today()  # kept for callers; nothing printed depends on the clock
        self.period = get_period(self.report["period"])

    @classmethod
    def from_doc(cls, doc: dict, registry: CatalogRegistry, **kw) -> "PrintedReport":
        catalog = catalog_for(doc, registry)
        check_against_catalog(doc, catalog)
        state = state_of(doc, catalog)
        report = doc["report"]
        # a data window that ends before it starts blocks a final export, as in the window
        state.set_header(report["header"], (report.get("window_start"), report.get("window_end")))
        return cls(catalog, state, doc, **kw)

    # ------------------------------------------------------------------ header block
    @property
    def year(self) -> int:
        return self.report["year"]

    @property
    def doc_date(self) -> dt.date | None:
        if self.header.get("date_text"):  # typed wrong and not yet fixed: leave the day to the pen
            return None
        return dt.date.fromisoformat(self.header["date"]) if self.header.get("date") else None

    def agency_lines(self) -> list[tuple[str, bool]]:
        """The left column's name lines, (text, bold): the parent agency upright, the issuing
        agency bold; "Ủy ban nhân dân xã X" breaks after "ỦY BAN NHÂN DÂN" as on every UBND letterhead."""
        lines: list[tuple[str, bool]] = []
        if self.unit.get("parent_agency"):
            lines.append((self.unit["parent_agency"].upper(), False))
        name = self.agency
        m = re.match(r"(?i)(ủy ban nhân dân|uỷ ban nhân dân)\s+(.+)", name)
        if m:
            lines += [("ỦY BAN NHÂN DÂN", True), (m.group(2).upper(), True)]
        else:
            lines.append((name.upper(), True))
        return lines

    @property
    def agency(self) -> str:
        """The issuing agency as the letterhead, the closing sentence and the appendix name it."""
        return self.unit.get("agency_name") or agency_name(self.unit.get("kind", "xã"), self.unit.get("name", ""))

    @property
    def doc_code(self) -> str:
        return self.unit.get("doc_code") or DEFAULT_DOC_CODE

    def number_line(self) -> str:
        number = doc_number(self.header.get("number", ""))
        return f"Số: {number or BLANK_NUMBER}/{self.doc_code}"

    def place_date_line(self) -> str:
        place = self.unit.get("place_name") or self.unit.get("name", "")
        d = self.doc_date
        if d:
            return f"{place}, {format_date_header(d)}"
        month, year = self.signing_month()
        return f"{place}, ngày{BLANK_DAY}tháng {month_text(month)} năm {year}"

    def signing_month(self) -> tuple[int, int]:
        """(month, year) printed beside a day left blank for the pen: the report's, never the PC
        clock's (a 2023 report exported in 2026 is still signed in 2023). The report is signed once
        its data are closed: the day after the data window ends (14/12 -> December, 31/10 ->
        November), and without a readable window by the period's deadline (the 20th of its last
        month)."""
        try:
            end = dt.date.fromisoformat(self.report.get("window_end") or "")
        except (TypeError, ValueError):
            end = None
        signed = end + dt.timedelta(days=1) if end else self.period.deadline(self.year,
                                                                             self.catalog.deadline_day(self.period.code))
        return signed.month, signed.year

    def period_phrase(self) -> str:
        return self.period.phrase(self.year)

    def trich_yeu(self) -> str:
        return (
            f"Kết quả thực hiện công tác cải cách hành chính {self.period_phrase()} "
            f"và phương hướng, nhiệm vụ {self.report['next_period_label']}"
        )

    def recipients(self) -> list[str]:
        return [r.strip().rstrip(";.").strip() for r in self.header.get("recipients", []) if r.strip()]

    def kinh_gui_lines(self) -> list[str]:
        """"Kính gửi: X." for one recipient; otherwise "Kính gửi:" and "- …;" lines, the last with "."."""
        rec = self.recipients()
        if len(rec) <= 1:
            return [f"Kính gửi: {rec[0]}." if rec else "Kính gửi:"]
        return ["Kính gửi:"] + [f"- {r}{'.' if n == len(rec) - 1 else ';'}" for n, r in enumerate(rec)]

    def cc_lines(self) -> list[str]:
        items = [c.strip().rstrip(";.").strip() for c in self.header.get("cc", []) if c.strip()]
        if not any(i.lower().startswith("lưu") for i in items):
            items.append("Lưu: VT")
        return [f"- {c}{'.' if n == len(items) - 1 else ';'}" for n, c in enumerate(items)]

    def signer(self) -> tuple[tuple[str, ...], str]:
        """(the capital lines, the name). The Chairman: "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"; a
        Vice-Chairman signing for the Chairman: "TM. ỦY BAN NHÂN DÂN" / "KT. CHỦ TỊCH" / "PHÓ
        CHỦ TỊCH" (Decree 30: the KT. line sits under the collective's TM. line)."""
        h = self.header
        authority, title = h.get("authority_line", "").upper(), h.get("signer_title", "").upper()
        lines = [authority, title]
        collective = SIGNING_AUTHORITIES["TM."][0]
        if authority.startswith("KT.") and h.get("signing_authority") == "KT.":
            lines.insert(0, collective)
        return tuple(line for line in lines if line), h.get("signer_name", "")

    # ------------------------------------------------------------------ the body
    def paragraphs(self, section_id: str) -> tuple[PrintedParagraph, ...]:
        text = render(self.narratives.get(section_id, ""), self.state)
        out = []
        for line in text.split("\n"):
            line = line.strip()
            if not line:
                continue
            if line[:2] in BULLETS:
                out.append(PrintedParagraph(line[2:].strip(), line[0]))
            else:
                out.append(PrintedParagraph(line))
        return tuple(out)

    def heading(self, section: Section) -> str:
        title = section.title.format(next_period_upper=self.report["next_period_label"].upper())
        return f"{section.number} {title}".strip()

    def opening(self) -> tuple[PrintedParagraph, ...]:
        return self.paragraphs("opening")

    def body(self) -> list[Block]:
        """Sections I–V in outline order; a heading with sub-sections comes before them."""
        forms_by_section: dict[str, list[int]] = {}
        for form in self.catalog.forms.values():
            forms_by_section.setdefault(form.section, []).append(form.number)
        blocks = []
        for section in self.catalog.sections.values():
            if section.id in ("opening", "closing"):
                continue
            level = 1 if section.parent is None else 2
            paragraphs = self.paragraphs(section.id) if section.holds_text else ()
            blocks.append(Block(level, self.heading(section), paragraphs, tuple(forms_by_section.get(section.id, ()))))
        return blocks

    def closing(self) -> tuple[PrintedParagraph, ...]:
        own = self.paragraphs("closing")
        if own:
            return own
        return (PrintedParagraph(f"Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {self.period_phrase()} của {self.agency}./."),)

    # ------------------------------------------------------------------ the appendix
    def appendix_reference(self) -> str:
        """"(Kèm theo Báo cáo số 278/BC-UBND ngày 03/11/2023 của Ủy ban nhân dân xã Bình Phước)"."""
        number = doc_number(self.header.get("number", "")) or BLANK_NUMBER
        d = self.doc_date
        if d:
            when = f"{d.day:02d}/{d.month:02d}/{d.year}"
        else:
            month, year = self.signing_month()
            when = f"{BLANK_DAY}/{month:02d}/{year}"
        return f"(Kèm theo Báo cáo số {number}/{self.doc_code} ngày {when} của {self.agency})"

    def appendix_title(self) -> str:
        return f"{self.catalog.appendix_title} {self.period_phrase().upper()}"

    def value_text(self, ident: str) -> str:
        return format_value(self.catalog.indicators[ident].kind, self.state.values.get(ident), PRINTED,
                            self.state.raw(ident))

    def forms(self) -> list[PrintedForm]:
        out = []
        invalid = self.state.issues_keys_invalid()
        for form in self.catalog.forms.values():
            rows = []
            for ident in form.indicators:
                ind = self.catalog.indicators[ident]
                formula = None
                if ind.formula:
                    formula = (ind.formula.numerator.ids, ind.formula.denominator.ids)
                value = self.state.values.get(ident)
                rows.append(
                    Row(
                        id=ident,
                        stt=ind.stt,
                        label=ind.label,
                        unit=ind.unit,
                        kind=ind.kind,
                        depth=ind.depth,
                        value=value if not isinstance(value, Decimal) or ind.kind != "count" else int(value),
                        text=self.value_text(ident),
                        note=self.notes.get(ident, ""),
                        invalid=ident in invalid,
                        formula=formula,
                    )
                )
            out.append(PrintedForm(form.number, f"Biểu mẫu {form.number}. {form.title}", tuple(rows), form.title))
        return out

    # ------------------------------------------------------------------ files
    def file_stem(self, what: str = "BaoCao") -> str:
        """"BaoCao_CCHC_Nam2023_XaBinhPhuoc"; `what` "PhuLuc" for the appendix."""
        period = get_period(self.report["period"]).file_word
        unit = ascii_slug(f"{self.unit.get('kind', '')} {self.unit.get('name', '')}") or "DonVi"
        return f"{what}_CCHC_{period}{self.year}_{unit}"

    @property
    def blocking_issues(self) -> int:
        return self.state.blocking_count

    @property
    def blank_citations(self) -> list:
        """Prose citing a blank row: a draft prints "…" there, a final export must not."""
        return [i for i in self.state.final_blockers if not i.blocking]
