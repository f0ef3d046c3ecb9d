#!/usr/bin/env bash
# The installer proven on Linux: compile installer/cchc_desktop.iss with Inno Setup's own
# compiler under Wine, run the setup.exe silently for the current user, check what landed,
# uninstall, check what went and what stayed, then install twice (an upgrade keeps the data).
#
#   bash installer/wine_smoke.sh DIST_DIR        (DIST_DIR holds the cchc-desktop/ bundle folder)
#
# Installs what it lacks: Wine from Debian (wine, wine32:i386, wine64), Xvfb, and Inno Setup
# 6.4.1 from the npm registry (the `innosetup` package ships ISCC.exe). Exits 0 only when every
# check holds; the last line is a one-line summary.
#
# What this proves is the installer — the script compiles, the wizard installs per user without
# administrator rights, shortcuts, uninstaller, upgrade, the data folder left alone. The program
# inside is the Linux bundle (the .exe name is given to its launcher), so it is never started
# here: the Windows workflow (.github/workflows) builds and starts the real Windows program.
#
# Wine 8 lacks a few things Windows has; they are worked around HERE, never in the shipped
# script: Windows 10 with its build number is reported (MinVersion 10.0.17763), and the known
# folder UserProgramFiles ({userpf}, %LOCALAPPDATA%\Programs), which Wine 8 does not resolve
# ("Failed to expand shell folder constant userpf"), is given its registry value.
set -euo pipefail

DIST_DIR=${1:?usage: bash installer/wine_smoke.sh DIST_DIR (the folder holding cchc-desktop/)}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DIST_DIR=$(cd "$DIST_DIR" && pwd)
BUNDLE=$DIST_DIR/cchc-desktop
INNO_VERSION=6.4.1
APP_NAME="CCHC Desktop"
APP_EXE=cchc-desktop.exe
started=$SECONDS

say() { echo "wine_smoke: $*"; }
fail() { echo "wine_smoke: FAILED — $*"; exit 1; }

[ -d "$BUNDLE" ] || fail "no bundle folder $BUNDLE (build it first: python -m PyInstaller build_installer.spec)"
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/pyproject.toml" | head -1)
[ -n "$VERSION" ] || fail "no version in pyproject.toml"

# --- 1. tools -------------------------------------------------------------------------------
apt_install() {
  command -v apt-get >/dev/null || fail "apt-get not found: install $* by hand"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "$@" >/dev/null
}
tools_start=$SECONDS
if ! command -v wine >/dev/null || ! dpkg -s wine32:i386 >/dev/null 2>&1; then
  say "installing Wine from Debian"
  dpkg --add-architecture i386
  apt_install wine wine32:i386 wine64
fi
command -v Xvfb >/dev/null || { say "installing Xvfb"; apt_install xvfb; }
command -v npm >/dev/null || { say "installing npm"; apt_install npm; }
CACHE=${XDG_CACHE_HOME:-$HOME/.cache}/cchc-wine-smoke
ISCC=$CACHE/innosetup-$INNO_VERSION/package/bin/ISCC.exe
if [ ! -f "$ISCC" ]; then
  say "fetching Inno Setup $INNO_VERSION from the npm registry"
  mkdir -p "$CACHE/innosetup-$INNO_VERSION"
  (cd "$CACHE/innosetup-$INNO_VERSION" && npm pack --silent "innosetup@$INNO_VERSION" >/dev/null \
     && tar xzf "innosetup-$INNO_VERSION.tgz")
fi
[ -f "$ISCC" ] || fail "ISCC.exe not found in the npm package innosetup@$INNO_VERSION"
say "tools ready in $((SECONDS - tools_start)) s ($(wine --version))"

# --- 2. a Wine of its own, on a display of its own -------------------------------------------
WORK=$(mktemp -d /tmp/cchc-wine-smoke.XXXXXX)
cleanup() {
  wineserver -k >/dev/null 2>&1 || true
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" >/dev/null 2>&1 || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
export HOME=$WORK/home  # Wine links Desktop, Documents… to $HOME's: keep them in here
mkdir -p "$HOME"
export WINEPREFIX=$WORK/prefix WINEARCH=win64 WINEDEBUG=-all
# no .desktop files or menus of the host, no Mono/Gecko download prompts
export WINEDLLOVERRIDES="winemenubuilder.exe=d;mscoree=;mshtml="
display=$((100 + RANDOM % 800))
Xvfb ":$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
export DISPLAY=":$display"
prefix_start=$SECONDS
wineboot -i >/dev/null 2>&1
wineserver -w
wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion' /v CurrentVersion /d 6.3 /f >/dev/null 2>&1
winecfg -v win10 >/dev/null 2>&1
# Wine marks a Unix dotfile hidden, and ISCC's wildcards skip hidden files: python-docx's
# templates/…/_rels/.rels would be left out of the setup here, never on Windows
wine reg add 'HKCU\Software\Wine' /v ShowDotFiles /d Y /f >/dev/null 2>&1
for key in CurrentBuild CurrentBuildNumber; do
  wine reg add 'HKLM\Software\Microsoft\Windows NT\CurrentVersion' /v "$key" /d 19045 /f >/dev/null 2>&1
done
# FOLDERID_UserProgramFiles ({userpf}): Wine 8's shell32 lists it as "not supported" (its
# SHGetKnownFolderPath answers E_INVALIDARG) with no registry value to set. A copy of Wine's own
# shell32.dll, for this prefix only, has the GUID of a per-user folder that is read from "User
# Shell Folders" (CD Burning, unused here) replaced by UserProgramFiles' GUID, and that value
# says where Windows puts it: %LOCALAPPDATA%\Programs. The copy loads as a native DLL (the
# builtin mark cleared, shell32=n): Wine would otherwise load its own from /usr/lib.
python3 - "$WINEPREFIX/drive_c/windows" <<'PY' || fail "could not prepare the Wine shell32 that knows {userpf}"
import pathlib, sys, uuid
cd_burning = uuid.UUID("9E52AB10-F80D-49DF-ACB8-4330F5687855").bytes_le
user_program_files = uuid.UUID("5CD7AEE2-2219-4A67-B85D-6C9CE15660CB").bytes_le
builtin_mark = b"Wine builtin DLL"
for arch, lib, folder in (("i386-windows", "i386-linux-gnu", "syswow64"), ("x86_64-windows", "x86_64-linux-gnu", "system32")):
    data = bytearray(pathlib.Path(f"/usr/lib/{lib}/wine/{arch}/shell32.dll").read_bytes())
    assert data.count(cd_burning) == 1 and data.count(user_program_files) == 1, arch
    assert data[0x40:0x50] == builtin_mark, arch
    data[0x40:0x50] = bytes(len(builtin_mark))
    pathlib.Path(sys.argv[1], folder, "shell32.dll").write_bytes(bytes(data).replace(cd_burning, user_program_files))
PY
export WINEDLLOVERRIDES="$WINEDLLOVERRIDES;shell32=n"
wine reg add 'HKCU\Software\Microsoft\Windows\CurrentVersion\Explorer\User Shell Folders' \
  /v 'CD Burning' /t REG_EXPAND_SZ /d '%USERPROFILE%\AppData\Local\Programs' /f >/dev/null 2>&1
wineserver -w
WUSER=$(ls "$WINEPREFIX/drive_c/users" | grep -v -x -e Public -e public | head -1)
USERDIR=$WINEPREFIX/drive_c/users/$WUSER
APP_DIR=$USERDIR/AppData/Local/Programs/$APP_NAME
START_MENU=$USERDIR/AppData/Roaming/Microsoft/Windows/Start\ Menu/Programs/$APP_NAME
DESKTOP=$USERDIR/Desktop
DATA_DIR=$USERDIR/AppData/Roaming/$APP_NAME
say "Wine prefix ready in $((SECONDS - prefix_start)) s (user $WUSER)"

# --- 3. compile ---------------------------------------------------------------------------------
# the script as shipped, around a copy of the bundle; the Linux bundle's launcher takes the
# Windows name so the shortcuts and the uninstaller's icon point at a file that exists
STAGE=$WORK/stage/cchc-desktop
mkdir -p "$WORK/stage" "$WORK/out"
cp -rL "$BUNDLE" "$STAGE"  # the Linux bundle's library symlinks as files, as a Windows bundle has them
[ -f "$STAGE/$APP_EXE" ] || cp "$STAGE/cchc-desktop" "$STAGE/$APP_EXE"
compile_start=$SECONDS
wine "$ISCC" /Q "/DAppVersion=$VERSION" "/DBundleDir=$(winepath -w "$STAGE")" "/O$(winepath -w "$WORK/out")" \
  "$(winepath -w "$ROOT/installer/cchc_desktop.iss")" > "$WORK/iscc.log" 2>&1 \
  || { cat "$WORK/iscc.log"; fail "ISCC could not compile installer/cchc_desktop.iss"; }
SETUP=$WORK/out/CCHC-Desktop-Setup-$VERSION.exe
[ -f "$SETUP" ] || fail "ISCC wrote no $SETUP"
SETUP_SIZE=$(du -m "$SETUP" | cut -f1)
say "compiled $(basename "$SETUP") (${SETUP_SIZE} MB) in $((SECONDS - compile_start)) s"
mkdir -p "$DIST_DIR"
cp "$SETUP" "$DIST_DIR/"

# the version resource of setup.exe: VS_FIXEDFILEINFO's file version is the program's
python3 - "$SETUP" "$VERSION" <<'PY' || fail "setup.exe's version resource is not $VERSION"
import struct, sys
data = open(sys.argv[1], "rb").read()
want = [int(x) for x in sys.argv[2].split(".")] + [0] * 4
at = data.find(struct.pack("<I", 0xFEEF04BD))
assert at >= 0, "no VS_FIXEDFILEINFO"
ms, ls = struct.unpack_from("<II", data, at + 8)
got = [ms >> 16, ms & 0xFFFF, ls >> 16, ls & 0xFFFF]
assert got == want[:4], (got, want[:4])
text = data.decode("utf-16-le", "ignore")
assert "Cài đặt CCHC Desktop" in text, "no FileDescription"
print(f"wine_smoke: version resource {'.'.join(map(str, got))}, “Cài đặt CCHC Desktop”")
PY

# --- 4. install, check, uninstall, check ---------------------------------------------------------
run_setup() {
  wine "$(winepath -w "$SETUP")" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /CURRENTUSER \
    "/LOG=$(winepath -w "$WORK/$1.log")" >/dev/null 2>&1 || { cat "$WORK/$1.log" 2>/dev/null; fail "$1: setup.exe failed"; }
  wineserver -w
}
lnk_target_ok() {  # a shell link naming the installed program
  python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
assert data[:4] == b"L\0\0\0", "not a shell link"
want = r"AppData\Local\Programs\CCHC Desktop\cchc-desktop.exe"
assert want.encode("utf-16-le") in data or want.encode("latin-1") in data, "target is not the installed program"
PY
}

# the clerk's data, made before anything is installed: it must come through every step as it is
mkdir -p "$DATA_DIR/backups"
head -c 65536 /dev/urandom > "$DATA_DIR/cchc.sqlite"
echo "bản sao lưu" > "$DATA_DIR/backups/cchc-2026-12-01.sqlite"
data_sum() { (cd "$DATA_DIR" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }
DATA_BEFORE=$(data_sum)

install_start=$SECONDS
run_setup install
[ -f "$APP_DIR/$APP_EXE" ] || fail "install: no $APP_DIR/$APP_EXE"
[ -d "$APP_DIR/_internal" ] || fail "install: the bundle's _internal folder is missing"
cmp -s "$STAGE/$APP_EXE" "$APP_DIR/$APP_EXE" || fail "install: the installed program differs from the bundle's"
files_in=$(cd "$STAGE" && find . -type f | wc -l)
files_out=$(cd "$APP_DIR" && find . -type f ! -name 'unins000.*' | wc -l)
[ "$files_in" -eq "$files_out" ] || fail "install: $files_out files installed, the bundle has $files_in"
[ -f "$APP_DIR/unins000.exe" ] && [ -f "$APP_DIR/unins000.dat" ] || fail "install: no uninstaller"
[ ! -e "$APP_DIR/portable.txt" ] || fail "install: portable.txt installed (the data would go beside the program)"
start_lnk=$START_MENU/"Báo cáo CCHC (CCHC Desktop).lnk"
uninstall_lnk=$(ls "$START_MENU"/*.lnk 2>/dev/null | grep -i "Gỡ" | head -1 || true)
desk_lnk=$DESKTOP/"Báo cáo CCHC.lnk"
[ -f "$start_lnk" ] || fail "install: no Start-menu shortcut ($start_lnk)"
[ -f "$desk_lnk" ] || fail "install: no desktop shortcut ($desk_lnk)"
[ -n "$uninstall_lnk" ] || fail "install: no 'Gỡ CCHC Desktop' shortcut in the Start menu"
lnk_target_ok "$start_lnk" || fail "install: the Start-menu shortcut does not open the program"
lnk_target_ok "$desk_lnk" || fail "install: the desktop shortcut does not open the program"
wine reg query 'HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\{3649DD1E-75FC-4368-BD3A-13A77A270C61}_is1' \
  /v DisplayVersion 2>/dev/null | grep -q "$VERSION" || fail "install: no uninstall entry for version $VERSION"
[ "$(data_sum)" = "$DATA_BEFORE" ] || fail "install: the data folder changed"
say "install ok in $((SECONDS - install_start)) s: $files_out files, Start menu, desktop, uninstaller, Apps entry"

wine "$(winepath -w "$APP_DIR/unins000.exe")" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART >/dev/null 2>&1 \
  || fail "uninstall: unins000.exe failed"
wineserver -w
for _ in $(seq 30); do [ -e "$APP_DIR" ] || break; sleep 1; done  # its copy in %TEMP% finishes the job
[ ! -e "$APP_DIR" ] || fail "uninstall: the program folder is still there ($(ls "$APP_DIR" | head -5 | tr '\n' ' '))"
[ ! -e "$start_lnk" ] && [ ! -e "$desk_lnk" ] || fail "uninstall: shortcuts left behind"
[ "$(data_sum)" = "$DATA_BEFORE" ] || fail "uninstall: the data folder changed"
say "uninstall ok: program folder and shortcuts gone, data folder untouched"

# --- 5. install twice: the second is an upgrade over the first -------------------------------------
run_setup reinstall
echo "stale" > "$APP_DIR/_internal/stale-from-an-old-version.dll"
run_setup upgrade
[ -f "$APP_DIR/$APP_EXE" ] || fail "upgrade: the program is missing"
[ ! -e "$APP_DIR/_internal/stale-from-an-old-version.dll" ] || fail "upgrade: an old version's file was left in _internal"
[ "$(ls "$APP_DIR"/unins*.exe | wc -l)" -eq 1 ] || fail "upgrade: more than one uninstaller"
[ "$(data_sum)" = "$DATA_BEFORE" ] || fail "upgrade: the data folder changed"
say "upgrade ok: same folder, old files replaced, one uninstaller, data kept"

echo "wine_smoke: OK — $(basename "$SETUP") ${SETUP_SIZE} MB, install ok, uninstall ok, upgrade ok, data kept ($((SECONDS - started)) s)"
