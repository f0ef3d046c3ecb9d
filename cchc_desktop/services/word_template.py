"""The Word template a report is written with: the province's own, installed in the clerk's data
folder (`<data>/templates/bao_cao_cchc_xa.docx`, which a new version of the program leaves in
place), or the built-in one of the program folder.

Installing checks the file first (`formats.word_template`: a docx, no zip bomb, no DOCTYPE/ENTITY,
every named style the report needs) and puts exactly the checked bytes in place whole
(`system.atomic`); the template it replaces is kept beside it as `bao_cao_cchc_xa.ban-truoc.docx`.
Removing goes back to the built-in template (the removed one becomes that copy too).

An installed template that no longer passes the check (damaged on the disk, edited by hand) never
stops an export: `active_template` falls back to the built-in one and gives the reason, which the
export says ("Đã dùng mẫu có sẵn vì …").
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cchc_desktop.errors import CchcError
from cchc_desktop.formats.word_template import (
    TemplateLook,
    TemplateRefused,
    check_template,
    check_template_bytes,
    read_template,
)
from cchc_desktop.system import atomic
from cchc_desktop.system.data_dirs import template_dir

INSTALLED_NAME = "bao_cao_cchc_xa.docx"  # the built-in template's name: a hand-copied file lands there too
PREVIOUS_NAME = "bao_cao_cchc_xa.ban-truoc.docx"
ABOUT_NAME = "mau_word.json"  # {"source": the file the province gave, "installed": ISO time, "bytes": its size}
HOW_TO_INSTALL = "Báo cáo → Mẫu Word của tỉnh… trong cửa sổ, hoặc lệnh cchc-desktop template install TỆP.docx"

__all__ = ["ActiveTemplate", "TemplateError", "TemplateRefused", "active_template", "builtin_template",
           "check_template", "install_template", "installed_path", "remove_template", "save_builtin"]


class TemplateError(CchcError):
    """Installing, removing or saving a template could not be done; the files are as they were."""


def builtin_template() -> Path:
    from cchc_desktop.formats.word import DEFAULT_TEMPLATE

    return DEFAULT_TEMPLATE


def installed_path(data_dir: str | Path) -> Path:
    return template_dir(data_dir) / INSTALLED_NAME


@dataclass(frozen=True)
class ActiveTemplate:
    """The template the next export uses."""

    path: Path
    installed: bool  # the province's, from the data folder
    source_name: str = ""  # the file the province gave (installed only)
    installed_at: dt.datetime | None = None
    ignored: str = ""  # why an installed template was not used (it failed the check): a clause
    look: TemplateLook | None = None

    def describe(self) -> str:
        if not self.installed:
            return "mẫu có sẵn của chương trình"
        when = f", cài lúc {self.installed_at:%H:%M ngày %d/%m/%Y}" if self.installed_at else ""
        return f"mẫu của tỉnh “{self.source_name or self.path.name}”{when}"

    @property
    def notice(self) -> str:
        """What an export made with it must say; "" when nothing went wrong."""
        if not self.ignored:
            return ""
        return (f"Đã dùng mẫu có sẵn vì mẫu Word của tỉnh đã cài {self.ignored}. "
                f"Muốn dùng lại mẫu của tỉnh, hãy cài lại tệp mẫu ({HOW_TO_INSTALL}).")


def _about(data_dir: Path) -> dict:
    try:
        about = json.loads((template_dir(data_dir) / ABOUT_NAME).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return about if isinstance(about, dict) else {}


def active_template(data_dir: str | Path | None) -> ActiveTemplate:
    """The installed template when there is one and it still passes the check; else the built-in
    one (with the reason when an installed one was ignored). Reads only: creates nothing."""
    builtin = builtin_template()
    if data_dir is None:
        return ActiveTemplate(builtin, False)
    path = installed_path(data_dir)
    if not path.is_file():
        return ActiveTemplate(builtin, False)
    try:
        look = check_template(path)
    except TemplateRefused as exc:
        return ActiveTemplate(builtin, False, ignored=exc.reason)
    about = _about(Path(data_dir))
    if about.get("bytes") != path.stat().st_size:  # a file copied there by hand: about says nothing of it
        about = {}
    try:
        when = dt.datetime.fromisoformat(about["installed"])
    except (KeyError, TypeError, ValueError):
        when = dt.datetime.fromtimestamp(path.stat().st_mtime)
    source = about.get("source") if isinstance(about.get("source"), str) else ""
    return ActiveTemplate(path, True, source or path.name, when, look=look)


def install_template(data_dir: str | Path, source: str | Path) -> ActiveTemplate:
    """Check `source`, then put it in place as the province's template. TemplateRefused (the
    file is not fit, nothing changed) or TemplateError (the data folder took no file)."""
    source = Path(source)
    data = read_template(source)
    check_template_bytes(data, source.name)
    folder = template_dir(data_dir)
    target = folder / INSTALLED_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if target.is_file():
            old = target.read_bytes()
            atomic.write_atomically(folder / PREVIOUS_NAME, lambda tmp: tmp.write_bytes(old))
        atomic.write_atomically(target, lambda tmp: tmp.write_bytes(data))
        about = {"source": source.name, "installed": dt.datetime.now().replace(microsecond=0).isoformat(),
                 "bytes": len(data)}
        atomic.write_atomically(folder / ABOUT_NAME,
                                lambda tmp: tmp.write_text(json.dumps(about, ensure_ascii=False), "utf-8"))
    except (OSError, atomic.AtomicWriteError) as exc:
        raise TemplateError(f"Không cài được mẫu Word vào “{folder}”: {atomic.why_not_written(getattr(exc, 'cause', exc))}. "
                            "Mẫu đang dùng vẫn giữ nguyên.", detail=repr(exc)) from None
    return active_template(data_dir)


def remove_template(data_dir: str | Path) -> bool:
    """Back to the built-in template; the removed one is kept as the previous copy. False: none was installed."""
    folder = template_dir(data_dir)
    target = folder / INSTALLED_NAME
    if not target.is_file():
        return False
    try:
        os.replace(target, folder / PREVIOUS_NAME)
        atomic.fsync_dir(folder)
    except OSError as exc:
        raise TemplateError(f"Không gỡ được mẫu Word của tỉnh “{target}”: {atomic.why_not_written(exc)}.",
                            detail=repr(exc)) from None
    try:
        (folder / ABOUT_NAME).unlink()
    except OSError:
        pass  # what it says no longer describes any file: it is ignored without one
    return True


def save_builtin(out: str | Path) -> Path:
    """The built-in template written to `out`, for a province to restyle in Word."""
    out = Path(out)
    data = builtin_template().read_bytes()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return atomic.write_atomically(out, lambda tmp: tmp.write_bytes(data))
    except (OSError, atomic.AtomicWriteError) as exc:
        raise TemplateError(f"Không ghi được mẫu có sẵn ra “{out}”: {atomic.why_not_written(getattr(exc, 'cause', exc))}. "
                            "Hãy chọn thư mục khác.", detail=repr(exc)) from None
