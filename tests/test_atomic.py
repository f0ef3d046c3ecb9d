"""system.atomic: the one write-to-temp-then-rename, on real files."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from cchc_desktop.system.atomic import AtomicWriteError, is_our_temp, why_not_written, write_atomically

POSIX = os.name == "posix"


def test_creates_then_replaces_whole_and_leaves_only_the_target(tmp_path):
    path = tmp_path / "báo cáo.json"
    assert write_atomically(path, lambda p: p.write_bytes(b"one")) == path
    write_atomically(path, lambda p: p.write_bytes(b"two"))
    assert path.read_bytes() == b"two" and os.listdir(tmp_path) == ["báo cáo.json"]


def test_the_writer_gets_a_temp_of_ours_beside_the_target(tmp_path):
    seen = []
    write_atomically(tmp_path / "a.docx", lambda p: seen.append(p) or p.write_bytes(b"x"))
    assert seen[0].parent == tmp_path and is_our_temp(seen[0].name)


@pytest.mark.skipif(not POSIX, reason="POSIX modes")
def test_a_new_file_gets_the_usual_mode_and_a_replaced_one_keeps_its_own(tmp_path):
    umask = os.umask(0)
    os.umask(umask)
    path = write_atomically(tmp_path / "a.xlsx", lambda p: p.write_bytes(b"x"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    path.chmod(0o444)  # read-only: the fsync must come before the mode, or it cannot open the file
    write_atomically(path, lambda p: p.write_bytes(b"y"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o444 and path.read_bytes() == b"y"


def test_a_bug_in_the_writer_goes_through_unchanged_and_leaves_nothing(tmp_path):
    path = tmp_path / "a.docx"
    path.write_bytes(b"old")

    def buggy(p):
        p.write_bytes(b"half")
        raise ValueError("not a disk problem")

    with pytest.raises(ValueError, match="not a disk problem"):
        write_atomically(path, buggy)
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["a.docx"]


def test_each_stage_that_fails_is_named_and_explained(tmp_path):
    with pytest.raises(AtomicWriteError) as info:
        write_atomically(tmp_path / "gone" / "a.json", lambda p: p.write_bytes(b"x"))
    assert info.value.stage == "temp" and "thư mục không tồn tại" in info.value.message

    def full(p):
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(AtomicWriteError) as info:
        write_atomically(tmp_path / "a.json", full)
    assert info.value.stage == "write" and info.value.message == "ổ đĩa đã đầy"

    (tmp_path / "thu-muc").mkdir()
    (tmp_path / "thu-muc" / "x").write_bytes(b"")  # a folder with something in it cannot be replaced
    with pytest.raises(AtomicWriteError) as info:
        write_atomically(tmp_path / "thu-muc", lambda p: p.write_bytes(b"x"))
    assert info.value.stage == "replace" and isinstance(info.value.cause, OSError)
    assert sorted(os.listdir(tmp_path)) == ["thu-muc"]


@pytest.mark.parametrize("exc, words", [
    (PermissionError(errno.EACCES, "denied"), "đang được mở trong chương trình khác"),
    (FileNotFoundError(errno.ENOENT, "gone"), "USB đã bị rút ra"),
    (OSError(errno.EROFS, "ro"), "chỉ cho phép đọc"),
    (OSError(errno.ENOSPC, "full"), "ổ đĩa đã đầy"),
    (OSError(errno.ENAMETOOLONG, "long"), "tên tệp quá dài"),
    (OSError(errno.EIO, "io"), "lỗi khi ghi ra ổ đĩa"),
    (ValueError("embedded null byte"), "ký tự không được phép"),
])
def test_why_not_written_says_it_in_vietnamese(exc, words):
    assert words in why_not_written(exc)


@pytest.mark.parametrize("name, ours", [
    (".cchc-k2j4_x9a.tmp", True), (".cchc-moi-0123abcd.tmp", True), (".cchc-k2j4_x9a.tmp-wal", True),
    ("cchc-k2j4.tmp", False), (".cchc-.tmp", False), (".cchc-a.tmp.docx", False), ("~WRL0001.tmp", False),
])
def test_what_counts_as_our_temp(name, ours):
    assert is_our_temp(name) is ours
