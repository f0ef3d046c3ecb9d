"""`cchc-desktop export --template` and `cchc-desktop template …`, run as the clerk's shell runs them;
and the province's template surviving a new version of the program (its folder replaced)."""

from __future__ import annotations

import shutil
from pathlib import Path

from docx import Document
from docx.shared import Pt

from cchc_desktop.formats.docx_parts import S
from tests.conftest import ROOT, run_cli
from tests.test_word_template import restyled


def body_size(path: Path):
    return Document(str(path)).styles[S.BODY].font.size


def test_export_with_template_uses_that_file_for_this_export_only(tmp_path):
    mau = restyled(tmp_path)
    r = run_cli("export", "--sample", "--draft", "--docx", str(tmp_path / "a.docx"), "--template", str(mau))
    assert r.returncode == 0, r.stderr
    assert body_size(tmp_path / "a.docx") == Pt(13)
    r = run_cli("export", "--sample", "--draft", "--docx", str(tmp_path / "b.docx"))
    assert r.returncode == 0 and body_size(tmp_path / "b.docx") == Pt(14)


def test_a_refused_template_is_a_clear_error_and_nothing_is_written(tmp_path):
    text = tmp_path / "mau.docx"
    text.write_text("không phải Word", "utf-8")
    out = tmp_path / "a.docx"
    r = run_cli("export", "--sample", "--draft", "--docx", str(out), "--template", str(text))
    assert r.returncode == 2 and "không phải tệp Word (.docx)" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() and r.stdout == ""
    r = run_cli("export", "--sample", "--draft", "--docx", str(out), "--template", str(tmp_path / "khong_co.docx"))
    assert r.returncode == 2 and "Không tìm thấy tệp mẫu Word" in r.stderr and not out.exists()


def test_template_install_show_remove_and_save_default(tmp_path):
    data = tmp_path / "data"
    start = tmp_path / "mau_goc.docx"
    r = run_cli("template", "save-default", "--out", str(start))
    assert r.returncode == 0 and "template install" in r.stdout
    doc = Document(str(start))  # the province's restyle, made from the saved built-in template
    doc.styles[S.BODY].font.size = Pt(13)
    doc.save(str(tmp_path / "mau_tinh.docx"))

    r = run_cli("template", "install", str(tmp_path / "mau_tinh.docx"))
    assert r.returncode == 0 and "mau_tinh.docx" in r.stdout, r.stderr
    assert (data / "templates" / "bao_cao_cchc_xa.docx").is_file()
    r = run_cli("template", "show")
    assert r.returncode == 0 and "mẫu của tỉnh “mau_tinh.docx”" in r.stdout
    r = run_cli("export", "--sample", "--draft", "--docx", str(tmp_path / "a.docx"))
    assert r.returncode == 0 and body_size(tmp_path / "a.docx") == Pt(13) and r.stderr == ""

    # damaged on the disk: the export goes on with the built-in template and says why
    (data / "templates" / "bao_cao_cchc_xa.docx").write_bytes(b"hong")
    r = run_cli("export", "--sample", "--draft", "--docx", str(tmp_path / "b.docx"))
    assert r.returncode == 0 and body_size(tmp_path / "b.docx") == Pt(14)
    assert "Đã dùng mẫu có sẵn vì mẫu Word của tỉnh đã cài không phải tệp Word" in r.stderr
    r = run_cli("template", "show")
    assert r.returncode == 1 and "mẫu có sẵn" in r.stdout and "Đã dùng mẫu có sẵn vì" in r.stderr

    r = run_cli("template", "remove")
    assert r.returncode == 0 and "Đã gỡ" in r.stdout
    assert not (data / "templates" / "bao_cao_cchc_xa.docx").exists()
    r = run_cli("template", "show")
    assert r.returncode == 0 and "mẫu có sẵn của chương trình" in r.stdout and r.stderr == ""


def test_install_refuses_a_file_without_the_styles_and_installs_nothing(tmp_path):
    blank = tmp_path / "trang.docx"
    Document().save(str(blank))
    r = run_cli("template", "install", str(blank))
    assert r.returncode == 2 and "CCHC Body" in r.stderr and "template save-default" in r.stderr
    assert not (tmp_path / "data" / "templates" / "bao_cao_cchc_xa.docx").exists()


def test_the_provinces_template_survives_a_new_version_of_the_program(tmp_path):
    """A new version replaces the program folder, its built-in template with it (the installer's
    [Files] section); the data folder is left alone, and so is the province's template in it."""
    program = tmp_path / "program"
    shutil.copytree(ROOT / "cchc_desktop", program / "cchc_desktop", ignore=shutil.ignore_patterns("__pycache__"))
    for folder in ("templates_docx", "ui", "resources"):
        shutil.copytree(ROOT / folder, program / folder, ignore=shutil.ignore_patterns("__pycache__"))
    env = {"PYTHONPATH": str(program)}

    def cli(*args):
        return run_cli(*args, env=env, cwd=program)

    r = cli("template", "show")
    assert str(program / "templates_docx") in r.stdout  # the copy runs, not the checkout
    assert cli("template", "install", str(restyled(tmp_path))).returncode == 0

    # "reinstall": the new version's built-in template (restyled differently) over the old one
    new = Document(str(program / "templates_docx" / "bao_cao_cchc_xa.docx"))
    new.styles[S.BODY].font.size = Pt(11)
    new.save(str(program / "templates_docx" / "bao_cao_cchc_xa.docx"))
    r = cli("export", "--sample", "--draft", "--docx", str(tmp_path / "sau.docx"))
    assert r.returncode == 0, r.stderr
    assert body_size(tmp_path / "sau.docx") == Pt(13)  # the province's, not the new built-in one
    assert cli("template", "remove").returncode == 0
    assert cli("export", "--sample", "--draft", "--docx", str(tmp_path / "go.docx")).returncode == 0
    assert body_size(tmp_path / "go.docx") == Pt(11)  # back to the program's own
