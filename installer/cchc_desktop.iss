; CCHC Desktop: one per-user setup.exe around the PyInstaller folder dist\cchc-desktop.
;
;   python -m PyInstaller --noconfirm build_installer.spec     (on Windows: dist\cchc-desktop\)
;   "%ProgramFiles(x86)%\Inno Setup 6\ISCC.exe" installer\cchc_desktop.iss
;                                              ->  dist\CCHC-Desktop-Setup-<version>.exe
;
; Needs Inno Setup 6.3 or later (UTF-8 script, x64compatible). Installs for the current user
; only: no administrator rights, no UAC prompt; the program goes to
; %LOCALAPPDATA%\Programs\CCHC Desktop, shortcuts to the user's Start menu and desktop.
; The clerk's data (%APPDATA%\CCHC Desktop: database, backups, logs) is never touched by
; setup or by the uninstaller.
;
; The wizard speaks Vietnamese when installer\Vietnamese.isl is present (Inno Setup's unofficial
; translation, 6.5.0+: https://jrsoftware.org/files/istrans/ ; the Windows workflow fetches it);
; without it the wizard's own buttons are in English, everything of ours is still Vietnamese.
; Compiled and run silently under Wine in this repository's CI (installer/wine_smoke.sh), with
; the Linux bundle inside; the Windows workflow builds it around the real .exe. See README,
; "Installer (Windows)".

#define AppName "CCHC Desktop"
#define AppExe "cchc-desktop.exe"
#ifndef BundleDir
  ; the PyInstaller folder; ISCC /DBundleDir=… builds from another one (installer/wine_smoke.sh)
  #define BundleDir AddBackslash(SourcePath) + "..\dist\cchc-desktop"
#endif
#ifndef AppVersion
  ; from the version resource build_installer.spec puts into the executable
  #define AppVersion GetVersionNumbersString(BundleDir + "\" + AppExe)
#endif
#define IconFile AddBackslash(SourcePath) + "..\build\icon\cchc-desktop.ico"

[Setup]
; never change AppId: it is how a new version finds and replaces the old one
AppId={{3649DD1E-75FC-4368-BD3A-13A77A270C61}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CCHC Desktop
AppComments=Báo cáo định kỳ công tác cải cách hành chính cấp xã, chạy không cần mạng
VersionInfoVersion={#AppVersion}
VersionInfoDescription=Cài đặt CCHC Desktop
; per user, no administrator: {userpf} is %LOCALAPPDATA%\Programs
PrivilegesRequired=lowest
DefaultDirName={userpf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
; Qt 6 runs on 64-bit Windows 10 (1809) and later only
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=CCHC-Desktop-Setup-{#AppVersion}
#if FileExists(IconFile)
SetupIconFile={#IconFile}
#endif
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} – Báo cáo cải cách hành chính
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
; a running copy is closed (it saves on close) before its files are replaced
CloseApplications=yes
RestartApplications=no

[Languages]
#if FileExists(AddBackslash(SourcePath) + "Vietnamese.isl")
Name: "vi"; MessagesFile: "compiler:Default.isl,Vietnamese.isl"
#else
Name: "vi"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
vi.DesktopIcon=Tạo biểu tượng trên màn hình nền (Desktop)
vi.Shortcuts=Biểu tượng:
vi.StartNow=Mở CCHC Desktop ngay
vi.UninstallName=Gỡ CCHC Desktop (dữ liệu báo cáo được giữ lại)

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:Shortcuts}"

[InstallDelete]
; an older version's files: removed first, so no stale DLL is mixed with the new ones
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
; portable.txt is deliberately not installed: an installed copy keeps its data in %APPDATA%

[Icons]
Name: "{autoprograms}\{#AppName}\Báo cáo CCHC (CCHC Desktop)"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Lập báo cáo định kỳ công tác cải cách hành chính"
Name: "{autoprograms}\{#AppName}\{cm:UninstallName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\Báo cáo CCHC"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Lập báo cáo định kỳ công tác cải cách hành chính"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:StartNow}"; Flags: nowait postinstall skipifsilent

; [UninstallDelete] deliberately empty: the reports in %APPDATA%\CCHC Desktop stay after uninstalling
