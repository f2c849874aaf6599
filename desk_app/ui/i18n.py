"""Translations: English source strings, Simplified Chinese by default (Qt Linguist).

The ``.ts`` files in ``resources/translations`` are the source of truth; ``.qm`` files
are built from them by :func:`compile_translations` (the build step and test setup
call it) and, in a checkout where nobody built them yet, on first start.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desk_app.paths import resources_dir

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")


def translations_dir() -> Path:
    """Folder of the ``.ts`` sources and compiled ``.qm`` files."""
    return resources_dir() / "translations"


def _lrelease() -> list[str]:
    found = shutil.which("pyside6-lrelease")
    if found:
        return [found]
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    if beside.exists():
        return [str(beside)]
    return [sys.executable, "-m", "PySide6.scripts.pyside_tool", "lrelease"]


def compile_translations(folder: Path | None = None) -> list[Path]:
    """Compile every ``.ts`` in ``folder`` whose ``.qm`` is missing or older.

    Args:
        folder: default :func:`translations_dir`.

    Returns:
        The ``.qm`` files now up to date.
    """
    folder = folder or translations_dir()
    out = []
    for ts in sorted(folder.glob("*.ts")):
        qm = ts.with_suffix(".qm")
        if not qm.exists() or qm.stat().st_mtime < ts.stat().st_mtime:
            subprocess.run(
                [*_lrelease(), "-silent", str(ts), "-qm", str(qm)],
                check=True,
                timeout=60,
            )
        out.append(qm)
    return out


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Install the desk's and Qt's own translators for ``language`` on ``app`` (replacing
    any installed before).

    Args:
        app: the application.
        language: ``zh_CN`` or ``en``; English needs no translator.

    Returns:
        The installed translators (keep them alive as long as the app).
    """
    # Replace whatever an earlier call installed: the language is the application's.
    for old in app.findChildren(QTranslator):
        app.removeTranslator(old)
        old.deleteLater()
    if language == "en":
        return []
    folder = translations_dir()
    qm = folder / f"desk_app_{language}.qm"
    # A bundle ships its .qm built (and has no lrelease); so may a read-only install.
    if not getattr(sys, "frozen", False):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            compile_translations(folder)
    installed = []
    ours = QTranslator(app)
    if ours.load(str(qm)):
        app.installTranslator(ours)
        installed.append(ours)
    qt = QTranslator(app)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(QLocale(language), "qtbase", "_", qt_dir):
        app.installTranslator(qt)
        installed.append(qt)
    return installed


def translations_load() -> bool:
    """Whether the Simplified Chinese translation loads and translates (for self-check)."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication(["desk-app-self-check"])
    install_translators(app, DEFAULT_LANGUAGE)
    return QCoreApplication.translate("MainWindow", "Deposit-free counter desk") == "免押金服务台"
