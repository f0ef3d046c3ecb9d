"""Page 1 of a report as a Word template would print it, as rich text (HTML that Qt's text widgets
show), for the template dialog's preview: no Word or LibreOffice on a commune PC to render the
real file.

What is drawn: the first page's frame at the template's page size and margins, the letterhead,
title, subject, recipients and then the prose until the page is full, each paragraph in its named
style's font, size, weight, slant, colour, alignment, indents and spacing (`word_template.look_of`).
The page is filled by estimate (Times New Roman's widths, `text_metrics`), so where page 1 ends is
close to, not exactly, Word's; sizes are true to the screen (1 pt = 1/72 inch, 96 px an inch).
"""

from __future__ import annotations

import html
import math

from cchc_desktop.formats.docx_parts import LETTERHEAD_COLUMNS, S
from cchc_desktop.formats.printed import PrintedReport
from cchc_desktop.formats.text_metrics import text_width_pt
from cchc_desktop.formats.word import AGENCY_RULE_SHARE, MOTTO, NATIONAL_TITLE, TITLE
from cchc_desktop.formats.word_template import StyleLook, TemplateLook

PX_PER_PT = 96 / 72
PT_PER_MM = 72 / 25.4
LINE_FACTOR = 1.15  # a single line of Times New Roman is about 1.15 × its size


def _px(pt: float) -> int:
    return round(pt * PX_PER_PT)


def para_html(style: StyleLook, text_html: str, extra_css: str = "", align: str | None = None) -> str:
    """One paragraph in `style` (Qt honours alignment as the attribute, not as CSS)."""
    return f'<p align="{align or style.align}" style="{css(style)}{extra_css}">{text_html}</p>'


def css(style: StyleLook) -> str:
    """The style as Qt's rich text understands it."""
    parts = [
        f"font-family:'{style.font}'", f"font-size:{style.size:g}pt",
        f"font-weight:{700 if style.bold else 400}", f"font-style:{'italic' if style.italic else 'normal'}",
        f"color:#{style.color or '000000'}",
        f"margin-top:{_px(style.space_before)}px", f"margin-bottom:{_px(style.space_after)}px",
        f"margin-left:{_px(max(0.0, style.left_indent))}px", f"margin-right:{_px(max(0.0, style.right_indent))}px",
        f"text-indent:{_px(style.first_indent)}px", f"line-height:{round(style.line * 100)}%",
    ]
    return "; ".join(parts)


class _Page:
    """Paragraphs added while they fit on the page; the last one cut at the line that does not."""

    def __init__(self, look: TemplateLook):
        self.look = look
        page = look.page
        self.width_pt = (page.width - page.left - page.right) * PT_PER_MM
        self.room_pt = (page.height - page.top - page.bottom) * PT_PER_MM
        self.parts: list[str] = []
        self.full = False

    def line_height(self, style: StyleLook) -> float:
        return style.size * LINE_FACTOR * style.line

    def lines(self, text: str, style: StyleLook, width_pt: float | None = None) -> list[str]:
        """`text` broken into lines as it would wrap in `style` (word by word)."""
        width = (width_pt or self.width_pt) - max(0.0, style.left_indent) - max(0.0, style.right_indent)
        out, line = [], ""
        for word in text.split(" "):
            candidate = f"{line} {word}" if line else word
            first = not out
            room = width - (style.first_indent if first else 0.0)
            if line and text_width_pt(candidate, style.size, style.bold) > room:
                out.append(line)
                line = word
            else:
                line = candidate
        out.append(line)
        return out

    def height(self, text: str, style: StyleLook, width_pt: float | None = None) -> float:
        return len(self.lines(text, style, width_pt)) * self.line_height(style) + style.space_before + style.space_after

    def take(self, height: float) -> None:
        self.room_pt -= height

    def para(self, text: str, name: str) -> None:
        if self.full:
            return
        style = self.look.style(name)
        lines = self.lines(text, style)
        needed = style.space_before + len(lines) * self.line_height(style)
        if needed > self.room_pt:  # the last paragraph on the page: as many lines as fit
            fit = math.floor((self.room_pt - style.space_before) / self.line_height(style))
            self.full = True
            if fit <= 0:
                return
            text = " ".join(lines[:fit])
        self.parts.append(para_html(style, html.escape(text)))
        self.take(needed + style.space_after)


def page_one_html(look: TemplateLook, view: PrintedReport) -> str:
    """The first page of `view` printed with the template whose look is `look`."""
    page = look.page
    p = _Page(look)
    p.parts.append(_letterhead(p, view))
    p.para(TITLE, S.TITLE)
    p.para(view.trich_yeu(), S.SUBJECT)
    p.parts.append(_rule(look.style(S.SUBJECT_RULE), 3.5 * 72 / 2.54))
    recipients = view.kinh_gui_lines()
    if len(recipients) == 1:
        style = look.style(S.RECIPIENTS)
        p.parts.append(para_html(style, html.escape(recipients[0]), "; margin-left:0px; text-indent:0px", "center"))
        p.take(p.height(recipients[0], style))
    else:
        style = look.style(S.RECIPIENTS)
        body = "<br/>".join(html.escape(line) for line in recipients[1:])
        p.parts.append(para_html(style, f"{html.escape(recipients[0])}&nbsp;&nbsp;{body}"))
        p.take(len(recipients) * p.line_height(style) + style.space_before + style.space_after)
    for para in view.opening():
        p.para(f"{para.bullet} {para.text}" if para.bullet else para.text, S.BODY)
    for block in view.body():
        if p.full:
            break
        p.para(block.heading, S.HEADING1 if block.level == 1 else S.HEADING2)
        for para in block.paragraphs:
            p.para(f"{para.bullet} {para.text}" if para.bullet else para.text, S.BODY)
    pad = "; ".join(f"padding-{side}:{_px(getattr(page, side) * PT_PER_MM)}px" for side in ("top", "right", "bottom", "left"))
    return (f'<table width="{_px(page.width * PT_PER_MM)}" cellspacing="0" cellpadding="0" border="1" '
            f'style="border-color:#9a9a9a; border-style:solid; background-color:#ffffff">'
            f'<tr><td height="{_px(page.height * PT_PER_MM)}" valign="top" style="{pad}">'
            + "".join(p.parts) + "</td></tr></table>")


def _rule(style: StyleLook, length_pt: float) -> str:
    """The short line under the agency, the motto or the subject (its style's paragraph)."""
    return (f'<hr width="{_px(length_pt)}" style="margin-top:{_px(style.space_before)}px; '
            f'margin-bottom:{_px(style.space_after)}px"/>')


def _letterhead(p: _Page, view: PrintedReport) -> str:
    look = p.look
    left_pt, right_pt = (w.pt for w in LETTERHEAD_COLUMNS)

    def cell(lines: list[tuple[str, str]], width_pt: float) -> tuple[str, float]:
        out, height = [], 0.0
        for text, name in lines:
            style = look.style(name)
            out.append(para_html(style, html.escape(text)))
            height += p.height(text, style, width_pt)
        return "".join(out), height

    names = [(text, S.AGENCY if bold else S.AGENCY_PARENT) for text, bold in view.agency_lines()]
    agency, agency_h = cell(names, left_pt)
    last, last_style = names[-1]
    agency += _rule(look.style(S.AGENCY_RULE), text_width_pt(last, look.style(last_style).size, True) * AGENCY_RULE_SHARE)
    national, national_h = cell([(NATIONAL_TITLE, S.NATIONAL), (MOTTO, S.MOTTO)], right_pt)
    motto = look.style(S.MOTTO)
    national += _rule(look.style(S.MOTTO_RULE), text_width_pt(MOTTO, motto.size, motto.bold))
    number, number_h = cell([(view.number_line(), S.NUMBER)], left_pt)
    place, place_h = cell([(view.place_date_line(), S.PLACE_DATE)], right_pt)
    p.take(max(agency_h, national_h) + max(number_h, place_h) + 8)
    return (f'<table align="center" cellspacing="0" cellpadding="0" width="{_px(left_pt + right_pt)}">'
            f'<tr><td width="{_px(left_pt)}" valign="top">{agency}</td>'
            f'<td width="{_px(right_pt)}" valign="top">{national}</td></tr>'
            f'<tr><td valign="bottom">{number}</td><td valign="bottom">{place}</td></tr></table>')
