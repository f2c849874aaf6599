; Inno Setup script: installs the one-folder bundle per machine on Windows.
; Build the bundle on Windows first (installer/build under Git Bash, or the same
; pyinstaller command), then:  iscc /DVersion=0.1.0 installer\windows\desk_app.iss
; Not built or tested on this project's Linux CI: there is no Windows machine there.

#ifndef Version
  #define Version "0.1.0"
#endif

[Setup]
AppId={{8E9B7D2A-3C41-4F6B-9A57-DESKAPP00001}
AppName=Deposit-free counter desk
AppVersion={#Version}
AppPublisher=Deposit-free desk project
DefaultDirName={autopf}\DepositFreeDesk
DefaultGroupName=Deposit-free counter desk
; Per machine: IT installs once for every clerk of the PC.
PrivilegesRequired=admin
OutputBaseFilename=desk-app-{#Version}-setup
SetupIconFile=..\..\resources\icons\desk-app.ico
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
; A newer version installs over the older one; the data folder is per user and is not
; touched (the desk migrates its database on first start, copying it aside first).
UsePreviousAppDir=yes

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "..\..\dist\desk-app-{#Version}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\免押金服务台"; Filename: "{app}\desk-app-window.exe"
Name: "{group}\Uninstall"; Filename: "{uninstallexe}"

[UninstallDelete]
; Only the program folder. The data folder (%LOCALAPPDATA%\deposit-free-desk) is kept on
; uninstall: it holds what the counter recorded and what waits to be sent.
Type: filesandordirs; Name: "{app}\_internal"
