"""Validation: field formats, derived percentages and the catalog's rules, recomputed
incrementally.

The dependency map is built once per catalog: for each typed indicator, which derived
values and which rules can change when it changes. An edit then touches only those, which
keeps a keystroke cheap however large a province's catalog grows. `tests/test_engine.py`
checks that the incremental result always equals a full recomputation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Mapping

from cchc_desktop.core.catalog import Catalog, Rule
from cchc_desktop.core.ids import PLACEHOLDER
from cchc_desktop.core.letters import nfc
from cchc_desktop.core.numbers import BLANK_MARK, MESSAGE, Parsed, format_count, format_date_short, format_value, parse_value, percent
from cchc_desktop.core.vocabulary import DATE_TEXTS, SEVERITY_RANK

WINDOW_KEY = "header:window"  # the issue of a data window that ends before it starts
PROSE_PREFIX = "prose:"  # issues about a figure typed in the prose: "prose:<section>:<kind>:<figure>:<n>"


def prose_section(issue: Issue) -> str | None:
    """The section an issue about a typed figure is in; None for any other issue."""
    key = issue.where or ""
    return key[len(PROSE_PREFIX):].split(":", 1)[0] if key.startswith(PROSE_PREFIX) else None


@dataclass(frozen=True)
class Issue:
    """Something the clerk should look at: an invalid entry, or a rule that does not hold."""

    severity: str  # one of vocabulary.SEVERITIES: "invalid" (text that is not a value) | "error" | "warning"
    rule: str | None
    indicators: tuple[str, ...]
    message: str
    where: str | None = None  # the key of an issue that is neither a rule nor a row ("header:date_text")
    # a warning a draft may print but a final export must not: prose citing a blank row ("…")
    stops_final: bool = False
    # a figure typed in the prose (core/prose_check): its place in the section's text, and the
    # {bm…} placeholder that would keep it live when it equals the row ("Thay bằng số liệu")
    span: tuple[int, int] | None = None
    replacement: str | None = None

    @property
    def key(self) -> str:
        return self.where or self.rule or f"invalid:{self.indicators[0]}"

    @property
    def blocking(self) -> bool:
        """Whether it stops the report being marked complete."""
        return self.severity != "warning"

    @property
    def blocks_final(self) -> bool:
        """Whether it stops a final (non-draft) export."""
        return self.blocking or self.stops_final

    def as_json(self) -> dict:
        return {"severity": self.severity, "rule": self.rule, "indicators": list(self.indicators), "message": self.message}


@dataclass
class Change:
    """What one edit changed, for the views: derived values and issues."""

    derived: dict[str, object] = field(default_factory=dict)  # id -> new value (None = blank)
    added: list[Issue] = field(default_factory=list)  # new or changed issues
    removed: list[Issue] = field(default_factory=list)  # gone or replaced issues

    @property
    def empty(self) -> bool:
        return not (self.derived or self.added or self.removed)

    def indicators(self) -> set[str]:
        """Every indicator whose display or marks may need repainting."""
        out = set(self.derived)
        for issue in self.added + self.removed:
            out.update(issue.indicators)
        return out


_CACHE_ENTRIES = 100_000  # entries of each of a validator's caches, a few MB at most


class Validator:
    """The catalog's dependency map; shared by every report of that catalog version."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.order = {ident: n for n, ident in enumerate(catalog.indicators)}
        users: dict[str, list[str]] = {}  # id -> derived ids whose formula names it
        for did in catalog.derived_order:
            for ref in catalog.indicators[did].formula.ids:
                users.setdefault(ref, []).append(did)
        rules_of: dict[str, list[int]] = {}
        self.note_rules: dict[str, list[int]] = {}
        for n, rule in enumerate(catalog.rules):
            for ref in rule.ids:
                rules_of.setdefault(ref, []).append(n)
            if rule.type == "note":
                self.note_rules.setdefault(rule.check.left.ids[0], []).append(n)
        self.derived_after: dict[str, tuple[str, ...]] = {}
        self.rules_after: dict[str, tuple[int, ...]] = {}
        rank = {d: n for n, d in enumerate(catalog.derived_order)}
        for ident in catalog.indicators:
            seen: set[str] = set()
            stack = list(users.get(ident, ()))
            while stack:
                d = stack.pop()
                if d not in seen:
                    seen.add(d)
                    stack.extend(users.get(d, ()))
            derived = tuple(sorted(seen, key=rank.__getitem__))
            rules = sorted({r for x in (ident, *derived) for r in rules_of.get(x, ())})
            self.derived_after[ident] = derived
            self.rules_after[ident] = tuple(rules)
        # (row id, text) -> Parsed: a pure function of the two, and the same few texts ("0", "1",
        # "12") fill most rows of most reports — a province's roll-up parses thousands of them
        self._parsed: dict[tuple[str, str], Parsed] = {}
        # (rule index, the values of its rows, whether its Ghi chú is written) -> its issue or
        # None: also a pure function, and the same small figures recur across reports and edits
        self._outcomes: dict[tuple, Issue | None] = {}
        self._note_targets = tuple(rule.check.left.ids[0] if rule.type == "note" else None for rule in catalog.rules)

    def parse(self, ident: str, text: str) -> Parsed:
        key = (ident, text)
        parsed = self._parsed.get(key)
        if parsed is None:
            ind = self.catalog.indicator(ident)
            parsed = parse_value(ind.kind, text, ind.codes)
            if len(self._parsed) >= _CACHE_ENTRIES:
                self._parsed.clear()
            self._parsed[key] = parsed
        return parsed

    def outcome(self, n: int, values: Mapping[str, object], notes: Mapping[str, str]) -> Issue | None:
        """evaluate_rule for the catalog's n-th rule, remembered."""
        rule = self.catalog.rules[n]
        target = self._note_targets[n]
        key = (n, bool(notes.get(target, "").strip()) if target else None, *map(values.get, rule.ids))
        try:
            return self._outcomes[key]
        except KeyError:
            pass
        issue = evaluate_rule(rule, values, notes)
        if len(self._outcomes) >= _CACHE_ENTRIES:
            self._outcomes.clear()
        self._outcomes[key] = issue
        return issue

    def parse_all(self, raws: Mapping[str, str | Parsed]) -> dict[str, Parsed]:
        """`parse` of every row (a Parsed given is kept as it is)."""
        cache = self._parsed
        return {ident: text if type(text) is Parsed else cache.get((ident, text)) or self.parse(ident, text)
                for ident, text in raws.items()}

    def state(
        self,
        raws: Mapping[str, str],
        notes: Mapping[str, str] | None = None,
        narratives: Mapping[str, str] | None = None,
        header: Mapping[str, object] | None = None,
        window: tuple[str | None, str | None] | None = None,
        *,
        prose: bool = True,
    ) -> "ReportState":
        """`window`: the report's (window_start, window_end) as ISO dates, checked for order.
        `prose=False` checks the forms only — neither the prose's {bm…} placeholders nor the
        figures typed in it (core/prose_check): a province summing thousands of communes'
        figures reads their forms, and the prose is the commune's to put right."""
        return ReportState(self, raws, notes or {}, narratives or {}, header or {}, window, prose=prose)


@lru_cache(maxsize=16)
def validator_for(catalog: Catalog) -> Validator:
    return Validator(catalog)


def section_name(catalog: Catalog, section_id: str) -> str:
    section = catalog.sections.get(section_id)
    if section is None:
        return f"Mục {section_id}"
    parent = catalog.sections.get(section.parent) if section.parent else None
    number = f"{parent.number}{section.number}" if parent else section.number
    return f"Mục {number.rstrip('.')} ({section.title})" if number else f"Mục “{section.title}”"


def text_issue(catalog: Catalog, section_id: str, ident: str, values: Mapping[str, object]) -> Issue | None:
    where = section_name(catalog, section_id)
    if ident not in catalog.indicators:
        return Issue(
            "error", f"text:{section_id}:{ident}", (),
            f"{where}: chỗ chèn số liệu {{{ident}}} không ứng với dòng nào của biểu mẫu, bản in sẽ để nguyên "
            f"“{{{ident}}}”. Sửa lại mã dòng (dùng nút Chèn số liệu) hoặc xóa chỗ chèn này.",
        )
    if values.get(ident) is None:
        return Issue(
            "warning", f"text:{section_id}:{ident}", (ident,),
            f"{where} dùng số liệu của {catalog.row_name(ident)} nhưng dòng này đang trống, bản dự thảo sẽ ghi "
            f"“{BLANK_MARK}” và bản chính thức chưa xuất được. Nhập số liệu cho dòng đó hoặc xóa chỗ chèn.",
            stops_final=True,
        )
    return None


def _window_issue(window: tuple[str | None, str | None] | None) -> Issue | None:
    try:
        start, end = (dt.date.fromisoformat(d) for d in window) if window and all(window) else (None, None)
    except (TypeError, ValueError):  # not a date: the store or the exchange file reports that
        return None
    if start is None or start <= end:
        return None
    return Issue("error", None, (), (
        f"Thông tin chung: thời gian chốt số liệu bị ngược, ngày bắt đầu {format_date_short(start)} sau ngày kết "
        f"thúc {format_date_short(end)}. Hãy sửa “Từ ngày” và “Đến ngày” để ngày bắt đầu không sau ngày kết thúc."
    ), WINDOW_KEY)


def evaluate_rule(rule: Rule, values: Mapping[str, object], notes: Mapping[str, str]) -> Issue | None:
    # `when` is a precondition: it never fires on blanks, whatever the rule says of blanks
    if rule.when is not None:
        lw, rw = rule.when.left.evaluate(values), rule.when.right.evaluate(values)
        if lw is None or rw is None or not rule.when.holds(lw, rw):
            return None
    zero = rule.blanks == "zero"
    lv = rule.check.left.evaluate(values, zero)
    rv = rule.check.right.evaluate(values, zero)
    if lv is None or rv is None:
        return None
    holds = rule.check.holds(lv, rv)
    if rule.type == "note":
        target = rule.check.left.ids[0]
        if not holds or notes.get(target, "").strip():
            return None
    elif holds:
        return None
    return Issue(rule.severity, rule.id, rule.ids, rule.message.format(left=_side_text(lv), right=_side_text(rv)))


def _side_text(value) -> str:
    # a count (nearly every side) straight to format_count, which format_value would call for
    # it: a national roll-up writes tens of thousands of these messages
    return format_count(value) if type(value) is int else format_value(None, value, MESSAGE)


class ReportState:
    """The parsed values, derived values and open issues of one report."""

    def __init__(
        self,
        validator: Validator,
        raws: Mapping[str, str],
        notes: Mapping[str, str],
        narratives: Mapping[str, str],
        header: Mapping[str, object],
        window: tuple[str | None, str | None] | None = None,
        *,
        prose: bool = True,
    ):
        self.validator = validator
        self.prose = prose
        self.catalog = validator.catalog
        self.parsed: dict[str, Parsed] = {}
        self.values: dict[str, object] = {}
        self.notes: dict[str, str] = {k: nfc(v) for k, v in notes.items()}
        self.issues: dict[str, Issue] = {}
        self.placeholders: dict[str, tuple[str, ...]] = {}  # section id -> the {bm…} ids its text uses
        self.narratives: dict[str, str] = {}
        self.prose_rows: dict[str, frozenset[str]] = {}  # section id -> rows its typed figures may be about
        # every row at once (a national roll-up makes thousands of states); an edit goes through _parse
        self.parsed = validator.parse_all(raws)
        self.values = {ident: parsed.value for ident, parsed in self.parsed.items()}
        for ident, parsed in self.parsed.items():
            if parsed.error:
                self.issues[f"invalid:{ident}"] = self._invalid(ident, parsed)
        for did in self.catalog.derived_order:
            self._derive(did)
        for n in range(len(self.catalog.rules)):
            issue = validator.outcome(n, self.values, self.notes)
            if issue:
                self.issues[issue.key] = issue
        # a state made with prose=False checks its prose only when check_prose() is called
        self._unchecked: dict[str, str] = {} if prose else dict(narratives)
        for section_id, text in narratives.items() if prose else ():
            self.set_narrative(section_id, text)
        self.window: tuple[str | None, str | None] | None = None
        self.set_header(header, window)

    # -- edits
    def parse(self, ident: str, text: str) -> Parsed:
        """What `text` would be for this row, without changing anything (so it can be saved first)."""
        return self.validator.parse(ident, text)

    def set_raw(self, ident: str, text: str | Parsed) -> Change:
        change = Change()
        old_invalid = self.issues.get(f"invalid:{ident}")
        old_value = self.values.get(ident)
        parsed = self._parse(ident, text)
        new_invalid = self.issues.get(f"invalid:{ident}")
        if old_invalid != new_invalid:
            if old_invalid:
                change.removed.append(old_invalid)
            if new_invalid:
                change.added.append(new_invalid)
        if parsed.value == old_value and type(parsed.value) is type(old_value):
            return change
        for did in self.validator.derived_after[ident]:
            before = self.values.get(did)
            after = self._derive(did)
            if before != after:
                change.derived[did] = after
        self._recheck(self.validator.rules_after[ident], change)
        touched = {ident, *self.validator.derived_after[ident]}
        for section_id, used in self.placeholders.items():
            if touched.intersection(used):
                self._recheck_text(section_id, change)
        for section_id, rows in self.prose_rows.items():
            if not rows.isdisjoint(touched):
                self._recheck_prose(section_id, change)
        return change

    def set_narrative(self, section_id: str, text: str) -> Change:
        """The prose may name rows as {bm3.3.1}: one that is not a row, or a row still blank,
        would print wrong or as "…" — the clerk must see it before the province does."""
        text = nfc(text)
        self.placeholders[section_id] = tuple(dict.fromkeys(PLACEHOLDER.findall(text)))
        self.narratives[section_id] = text
        change = Change()
        self._recheck_text(section_id, change)
        self._recheck_prose(section_id, change)
        return change

    def check_prose(self) -> Change:
        """Check the prose of a state made with prose=False: the window opens a report without
        it (a few tens of ms of its start) and checks it once the window is on screen. The text
        of a section typed meanwhile is the one checked."""
        change = Change()
        if self.prose:
            return change
        self.prose = True
        texts, self._unchecked = {**self._unchecked, **self.narratives}, {}
        for section_id, text in texts.items():
            one = self.set_narrative(section_id, text)
            change.added += one.added
            change.removed += one.removed
        return change

    def set_header(self, header: Mapping[str, object],
                   window: tuple[str | None, str | None] | None = None) -> Change:
        """A date on Thông tin chung typed as something that is not a date is kept as typed
        (…_text) and counted like any other text that is not a valid value. `window` (ISO
        start, end; None keeps the last one given) must not end before it starts: the report
        would print "14/12/2023 → 15/12/2022" and count figures over no period at all."""
        if window is not None:
            self.window = window
        change = Change()
        new: dict[str, Issue | None] = {}
        for name, what in DATE_TEXTS.items():
            text = str(header.get(name) or "").strip()
            new[f"header:{name}"] = Issue("invalid", None, (), (
                f"Thông tin chung: {what} “{text}” không phải là một ngày. Viết theo dạng ngày/tháng/năm, "
                "ví dụ 05/01/2026" + (", hoặc để trống để ghi tay khi ký." if name == "date_text" else ".")
            ), f"header:{name}") if text else None
        # a window date still waiting as text has a stale ISO date behind it: that text is the issue
        typed = header.get("window_start_text") or header.get("window_end_text")
        new[WINDOW_KEY] = None if typed else _window_issue(self.window)
        for key, issue in new.items():
            old = self.issues.get(key)
            if old == issue:
                continue
            if old:
                change.removed.append(self.issues.pop(key))
            if issue:
                self.issues[key] = issue
                change.added.append(issue)
        return change

    def set_note(self, ident: str, text: str) -> Change:
        self.notes[ident] = nfc(text)
        change = Change()
        self._recheck(self.validator.note_rules.get(ident, ()), change)
        return change

    # -- reading
    def raw(self, ident: str) -> str:
        p = self.parsed.get(ident)
        return p.text if p else ""

    def derived_text(self, ident: str) -> str:
        return format_value("percent", self.values.get(ident))

    def derived_texts(self) -> dict[str, str]:
        """Derived values written the Vietnamese way, blank ones left out."""
        return {d: format_value("percent", self.values[d]) for d in self.catalog.derived_order if self.values.get(d) is not None}

    def sorted_issues(self) -> list[Issue]:
        order = self.validator.order
        last = len(order)  # issues in the prose, naming no row, come after the forms
        return sorted(
            self.issues.values(),
            key=lambda i: (order.get(i.indicators[0], last) if i.indicators else last, SEVERITY_RANK[i.severity], i.key),
        )

    def count(self, severity: str) -> int:
        return sum(1 for i in self.issues.values() if i.severity == severity)

    @property
    def blocking_count(self) -> int:
        return sum(1 for i in self.issues.values() if i.blocking)

    @property
    def final_blockers(self) -> list[Issue]:
        """What stops a final export: the errors, and prose that would print "…"."""
        return [i for i in self.sorted_issues() if i.blocks_final]

    def issues_keys_invalid(self) -> set[str]:
        """Ids whose text is not a valid value (a header date that is not a date names no row)."""
        return {i.indicators[0] for i in self.issues.values() if i.severity == "invalid" and i.indicators}

    def issues_for(self, ident: str) -> list[Issue]:
        return [i for i in self.issues.values() if ident in i.indicators]

    def form_progress(self, form_number: int) -> tuple[int, int, list[Issue]]:
        """(inputs typed, inputs, issues) of one Biểu mẫu. An issue belongs to the form of the
        first row it names; one found in the prose (a {bm…} reference) belongs to the prose."""
        inputs = [i for i in self.catalog.forms[form_number].indicators if self.catalog.indicators[i].is_input]
        filled = sum(1 for i in inputs if self.raw(i).strip())
        mine = [i for i in self.issues.values() if i.indicators and not i.key.startswith("text:")
                and getattr(self.catalog.indicators.get(i.indicators[0]), "form", None) == form_number]
        return filled, len(inputs), mine

    # -- internals
    def _parse(self, ident: str, text: str | Parsed) -> Parsed:
        parsed = text if type(text) is Parsed else self.validator.parse(ident, text)
        self.parsed[ident] = parsed
        self.values[ident] = parsed.value
        if parsed.error:
            self.issues[f"invalid:{ident}"] = self._invalid(ident, parsed)
        else:
            self.issues.pop(f"invalid:{ident}", None)
        return parsed

    def _invalid(self, ident: str, parsed: Parsed) -> Issue:
        return Issue("invalid", None, (ident,), f"{self.catalog.row_name(ident)}: {parsed.error}")

    def _derive(self, did: str):
        formula = self.catalog.indicators[did].formula
        value = percent(formula.numerator.evaluate(self.values), formula.denominator.evaluate(self.values))
        self.values[did] = value
        return value

    def _recheck_text(self, section_id: str, change: Change) -> None:
        prefix = f"text:{section_id}:"
        new = {}
        for ident in self.placeholders.get(section_id, ()):
            issue = text_issue(self.catalog, section_id, ident, self.values)
            if issue:
                new[issue.key] = issue
        self._replace_issues(prefix, new, change)

    def _recheck_prose(self, section_id: str, change: Change) -> None:
        """The figures typed in one section, checked against the rows (core/prose_check):
        warnings, each keyed by what was typed rather than where, so typing elsewhere in the
        section moves an issue's span without making it a new issue. Sentences not changed
        since the last check cost a cache look-up."""
        from cchc_desktop.core import prose_check  # it builds on this module's Issue and state

        if not self.prose:
            return
        checker = prose_check.checker_for(self.catalog)
        text = self.narratives.get(section_id, "")
        self.prose_rows[section_id] = checker.dependencies(text) if text.strip() else frozenset()
        new: dict[str, Issue] = {}
        if text.strip():
            where = section_name(self.catalog, section_id)
            seen: dict[tuple[str, str], int] = {}
            for f in checker.check(text, self):
                n = seen[f.kind, f.typed] = seen.get((f.kind, f.typed), -1) + 1
                key = f"{PROSE_PREFIX}{section_id}:{f.kind}:{f.typed}:{n}"
                new[key] = Issue("warning", None, (), f"{where}: {f.message}", key,
                                 span=(f.start, f.end), replacement=f.replacement)
        self._replace_issues(f"{PROSE_PREFIX}{section_id}:", new, change)

    def _replace_issues(self, prefix: str, new: dict[str, Issue], change: Change) -> None:
        """The issues whose keys start with `prefix` become `new`; what changed goes in `change`."""
        for key in [k for k in self.issues if k.startswith(prefix)]:
            if self.issues[key] != new.get(key):
                change.removed.append(self.issues.pop(key))
        for key, issue in new.items():
            if key not in self.issues:
                self.issues[key] = issue
                change.added.append(issue)

    def _recheck(self, rule_indexes, change: Change) -> None:
        for n in rule_indexes:
            rule = self.catalog.rules[n]
            old = self.issues.get(rule.id)
            new = self.validator.outcome(n, self.values, self.notes)
            if old == new:
                continue
            if old:
                change.removed.append(old)
                del self.issues[rule.id]
            if new:
                change.added.append(new)
                self.issues[rule.id] = new
